/**
 * Usage metering for one-machine mode (never deployed), for the cloud cost model (bench/cost-model.ts):
 * what the handlers would be billed for in AWS, counted while the meter is on. Off by default; when off,
 * nothing is counted and nothing the platform does changes.
 *   POST /_local/meter   → (re)starts the meter from zero     GET /_local/meter → the counts so far
 *   DELETE /_local/meter → stops it (answers the final counts)
 *
 * - DynamoDB: request units per operation and table, read from the `ConsumedCapacity` DynamoDB Local
 *   returns when the fault proxy (local/dynamodb/fault-proxy.ts) adds `ReturnConsumedCapacity: TOTAL`
 *   to a request that did not ask for it (and takes it out of the answer again). Two corrections, where
 *   DynamoDB Local's figures are not what on-demand DynamoDB bills:
 *   · TransactWriteItems: Local reports 4 units for a 1 KB transactional Put (AWS: 2) and nothing for an
 *     Update that creates its item, so its units are computed from the request instead: 2 WRU per KB
 *     of each Put's item, 2 per Update, Delete and ConditionCheck (their items' sizes are not in the
 *     request: taken as ≤ 1 KB), plus the GSI entries written (lib/spec/tables.ts: a Put whose item has an
 *     index's keys, 2 WRU per KB; an Update whose expression names an index key, 2 WRU); a Delete's index
 *     entries are not counted, so it is a floor; `rawUnits` keeps what Local said.
 *   · A Query or Scan that finds nothing: Local reports 0, AWS bills the minimum (0.5 RRU eventually
 *     consistent, 1 strongly consistent).
 * - Lambda: invocations and handler milliseconds per function (local/functions.ts).
 * - API requests per route (local/gateway.ts); KMS requests per operation (local/kms/server.ts).
 */
import { tables as tableSpecs, type TableName } from '../lib/spec/tables';

export interface DynamodbUsage {
  requests: number;
  /** Requests DynamoDB answered with an error (a failed condition is still billed in AWS: not in the units). */
  errors: number;
  readUnits: number;
  writeUnits: number;
  /** The units as DynamoDB Local reported them, before the TransactWriteItems correction. */
  rawUnits: number;
}

export interface MeterCounts {
  on: boolean;
  startedAt: string | null;
  /** Keyed `Operation table` (a transaction touching two tables is split as Local reports it, per table). */
  dynamodb: Record<string, DynamodbUsage>;
  lambda: Record<string, { invocations: number; ms: number }>;
  /** Invocations started while the meter was on that have not returned yet (a benchmark waits for 0). */
  lambdaInFlight: number;
  api: Record<string, number>;
  kms: Record<string, number>;
}

const READS = new Set(['GetItem', 'Query', 'Scan', 'BatchGetItem', 'TransactGetItems']);

class Meter {
  on = false;
  private startedAt: Date | null = null;
  private dynamodb: Record<string, DynamodbUsage> = {};
  private lambda: Record<string, { invocations: number; ms: number }> = {};
  private api: Record<string, number> = {};
  private inFlight = new Set<object>();
  private kms: Record<string, number> = {};

  start(): MeterCounts {
    this.on = true;
    this.startedAt = new Date();
    this.dynamodb = {};
    this.lambda = {};
    this.inFlight.clear();
    this.api = {};
    this.kms = {};
    return this.counts();
  }

  stop(): MeterCounts {
    const final = this.counts();
    this.on = false;
    return { ...final, on: false };
  }

  counts(): MeterCounts {
    const copy = <T extends object>(o: Record<string, T>) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, { ...v }]));
    return { on: this.on, startedAt: this.startedAt?.toISOString() ?? null, dynamodb: copy(this.dynamodb), lambda: copy(this.lambda), lambdaInFlight: this.inFlight.size, api: { ...this.api }, kms: { ...this.kms } };
  }

  private usage(operation: string, table: string): DynamodbUsage {
    const key = `${operation} ${table}`;
    return (this.dynamodb[key] ??= { requests: 0, errors: 0, readUnits: 0, writeUnits: 0, rawUnits: 0 });
  }

  /** One DynamoDB request and its answer's ConsumedCapacity (an object, a list of them, or absent). */
  dynamodbRequest(operation: string, tables: string[], status: number, consumed: unknown, request?: Record<string, unknown>): void {
    if (!this.on) return;
    if (operation === 'TransactWriteItems' && request && status < 400) return this.transactWrite(request, consumed);
    const list = (Array.isArray(consumed) ? consumed : consumed ? [consumed] : []) as Array<{ TableName?: string; CapacityUnits?: number }>;
    const counted = list.filter((c) => typeof c?.CapacityUnits === 'number');
    // One request: counted once, on the first table it names.
    const first = this.usage(operation, counted[0]?.TableName ?? tables[0] ?? '?');
    first.requests++;
    if (status >= 400) first.errors++;
    for (const c of counted) {
      const u = this.usage(operation, c.TableName ?? tables[0] ?? '?');
      const raw = c.CapacityUnits as number;
      u.rawUnits += raw;
      if (READS.has(operation)) u.readUnits += raw;
      else u.writeUnits += raw;
    }
    if ((operation === 'Query' || operation === 'Scan') && status < 400 && counted.every((c) => c.CapacityUnits === 0)) {
      first.readUnits += request?.ConsistentRead === true ? 1 : 0.5;
    }
  }

  private transactWrite(request: Record<string, unknown>, consumed: unknown): void {
    type Part = { TableName?: string; Item?: Record<string, unknown>; UpdateExpression?: string; ExpressionAttributeNames?: Record<string, string> };
    const items = (Array.isArray(request.TransactItems) ? request.TransactItems : []) as Array<Record<string, Part | undefined>>;
    const table = (name: unknown) => String(name ?? '?').replace(/^arn:[^:]+:dynamodb:[^:]*:\d*:table\//, '');
    let firstCounted = false;
    for (const item of items) {
      const [kind, part] = Object.entries(item ?? {})[0] ?? [];
      if (!kind || !part) continue;
      const u = this.usage('TransactWriteItems', table(part.TableName));
      if (!firstCounted) {
        u.requests++;
        firstCounted = true;
      }
      const units = kind === 'Put' ? 2 * Math.max(1, Math.ceil(itemSize(part.Item) / 1024)) : 2;
      u.writeUnits += units;
      const indexes = tableSpecs[table(part.TableName) as TableName]?.indexes ?? [];
      if (kind === 'Put' && part.Item) {
        const item = part.Item;
        for (const ix of indexes) if (ix.partitionKey in item && (!ix.sortKey || ix.sortKey in item)) u.writeUnits += units;
      } else if (kind === 'Update' && part.UpdateExpression) {
        const names = new Set((part.UpdateExpression.match(/#?[A-Za-z_][\w]*/g) ?? []).map((n) => part.ExpressionAttributeNames?.[n] ?? n));
        for (const ix of indexes) if (names.has(ix.partitionKey) || (ix.sortKey && names.has(ix.sortKey))) u.writeUnits += 2;
      }
    }
    for (const c of (Array.isArray(consumed) ? consumed : []) as Array<{ TableName?: string; CapacityUnits?: number }>) {
      if (typeof c?.CapacityUnits === 'number') this.usage('TransactWriteItems', table(c.TableName)).rawUnits += c.CapacityUnits;
    }
  }

  /** An invocation starts: the handle to pass to lambdaInvocation when it returns. */
  lambdaStarted(): object {
    const handle = {};
    if (this.on) this.inFlight.add(handle);
    return handle;
  }

  lambdaInvocation(name: string, ms: number, handle?: object): void {
    if (handle) this.inFlight.delete(handle);
    if (!this.on) return;
    const l = (this.lambda[name] ??= { invocations: 0, ms: 0 });
    l.invocations++;
    l.ms += ms;
  }

  apiRequest(routeKey: string): void {
    if (this.on) this.api[routeKey] = (this.api[routeKey] ?? 0) + 1;
  }

  kmsRequest(operation: string): void {
    if (this.on) this.kms[operation] = (this.kms[operation] ?? 0) + 1;
  }
}

/** An item's size as DynamoDB counts it (attribute names + values, in UTF-8 bytes), from its wire JSON; close enough for units. */
export function itemSize(item: unknown): number {
  if (!item || typeof item !== 'object') return 0;
  let size = 0;
  for (const [name, value] of Object.entries(item as Record<string, unknown>)) size += Buffer.byteLength(name) + valueSize(value);
  return size;
}

function valueSize(v: unknown): number {
  if (!v || typeof v !== 'object') return 1;
  const [type, x] = Object.entries(v as Record<string, unknown>)[0] ?? ['NULL', true];
  switch (type) {
    case 'S':
      return Buffer.byteLength(String(x));
    case 'N':
      return Math.ceil(String(x).replace(/[-.]/g, '').length / 2) + 1;
    case 'B':
      return Buffer.from(String(x), 'base64').length;
    case 'SS':
    case 'NS':
    case 'BS':
      return (x as unknown[]).reduce<number>((s, e) => s + valueSize({ [type[0]]: e }), 0);
    case 'L':
      return 3 + (x as unknown[]).reduce<number>((s, e) => s + 1 + valueSize(e), 0);
    case 'M':
      return 3 + Object.entries(x as Record<string, unknown>).reduce((s, [k, e]) => s + 1 + Buffer.byteLength(k) + valueSize(e), 0);
    default:
      return 1;
  }
}

/** One meter per platform process (the handlers, the proxy, the gateway and KMS share it). */
export const meter = new Meter();
