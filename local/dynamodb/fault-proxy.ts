/**
 * Fault injection for one-machine mode (never deployed): an HTTP proxy in front of DynamoDB Local that
 * the handlers' AWS_ENDPOINT_URL_DYNAMODB points at. The platform's own set-up keeps the direct endpoint
 * (and the workflow engine journals to a file): the faults model the application's database.
 *
 * Off by default: every request goes to DynamoDB Local untouched (piped both ways, keep-alive). While a
 * fault is set (POST /_local/faults, local/control.ts), a matching request is answered, without reaching
 * the database, in DynamoDB's own wire shape, so the SDK classifies and retries it as it would in AWS:
 *   HTTP 400 {"__type":"com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException", ...}
 *   HTTP 400 {"__type":"com.amazonaws.dynamodb.v20120810#ThrottlingException", ...}
 *   HTTP 500 {"__type":"com.amazonaws.dynamodb.v20120810#InternalServerError", ...}
 * The counts tell what was injected and how the SDK took it: requests that were an SDK retry (its
 * `amz-sdk-request: attempt=N` header) and calls that got a fault and then went through on a retry.
 *
 * While the usage meter is on (POST /_local/meter, local/meter.ts), requests that can report consumed
 * capacity are sent on with `ReturnConsumedCapacity: TOTAL` (unless the caller asked itself) and the
 * units DynamoDB Local reports are counted, then taken out of the answer the caller did not ask for.
 */
import { randomUUID } from 'node:crypto';
import { Agent, createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { crc32 } from 'node:zlib';
import { meter } from '../meter';

export const DYNAMODB_FAULT_ERRORS = ['ProvisionedThroughputExceededException', 'ThrottlingException', 'InternalServerError'] as const;
export type DynamodbFaultError = (typeof DYNAMODB_FAULT_ERRORS)[number];

/** What POST /_local/faults sets for DynamoDB. */
export interface DynamodbFaultSpec {
  error: DynamodbFaultError;
  /** Share of matching requests that fail, 0..1. */
  rate: number;
  /** At most this many faults, then requests pass again. */
  count?: number;
  /** Operations (x-amz-target without the service prefix: PutItem, TransactWriteItems …); all when absent. */
  operations?: string[];
  /** Tables a request touches (any of them); all when absent. */
  tables?: string[];
}

export interface FaultCounts {
  /** The fault in force, with how many it may still inject when it has a count; null when off. */
  active: (DynamodbFaultSpec & { remaining?: number }) | null;
  /** Since the fault was last set: requests seen, faults injected (total, by error, operation, table). */
  requests: number;
  injected: { total: number; byError: Record<string, number>; byOperation: Record<string, number>; byTable: Record<string, number> };
  /** Requests that were a retry by the SDK (amz-sdk-request attempt > 1). */
  sdkRetries: number;
  /** SDK calls (amz-sdk-invocation-id) that got a fault and then went through on one of their retries. */
  recoveredBySdk: number;
  /** SDK calls whose last attempt seen got a fault: the SDK gave up (or is still waiting to retry). */
  unrecovered: number;
}

export class FaultSpecError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = 'FaultSpecError';
  }
}

const WIRE: Record<DynamodbFaultError, { status: number; message: string }> = {
  ProvisionedThroughputExceededException: {
    status: 400,
    message: 'The level of configured provisioned throughput for the table was exceeded. Consider increasing your provisioning level with the UpdateTable API.',
  },
  ThrottlingException: {
    status: 400,
    message: 'Throughput exceeds the current capacity of your table or index. DynamoDB is automatically scaling your table or index so please try again shortly.',
  },
  InternalServerError: { status: 500, message: 'Internal server error' },
};

const isStringArray = (v: unknown): v is string[] => Array.isArray(v) && v.every((s) => typeof s === 'string' && s.length > 0);

/** Validates the `dynamodb` member of POST /_local/faults. */
export function parseDynamodbFaultSpec(value: unknown): DynamodbFaultSpec {
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new FaultSpecError('dynamodb', 'must be an object {error, rate, count?, operations?, tables?}');
  const v = value as Record<string, unknown>;
  if (typeof v.error !== 'string' || !(DYNAMODB_FAULT_ERRORS as readonly string[]).includes(v.error)) {
    throw new FaultSpecError('dynamodb.error', `must be one of ${DYNAMODB_FAULT_ERRORS.join(', ')}`);
  }
  if (typeof v.rate !== 'number' || !(v.rate >= 0 && v.rate <= 1)) throw new FaultSpecError('dynamodb.rate', 'must be a number from 0 to 1');
  if (v.count !== undefined && !(typeof v.count === 'number' && Number.isInteger(v.count) && v.count >= 0)) throw new FaultSpecError('dynamodb.count', 'must be an integer ≥ 0');
  if (v.operations !== undefined && !isStringArray(v.operations)) throw new FaultSpecError('dynamodb.operations', 'must be a list of operation names');
  if (v.tables !== undefined && !isStringArray(v.tables)) throw new FaultSpecError('dynamodb.tables', 'must be a list of table names');
  return {
    error: v.error as DynamodbFaultError,
    rate: v.rate,
    ...(v.count !== undefined ? { count: v.count as number } : {}),
    ...(v.operations ? { operations: v.operations as string[] } : {}),
    ...(v.tables ? { tables: v.tables as string[] } : {}),
  };
}

/** The tables a DynamoDB JSON request names: TableName, transaction items, batch RequestItems. */
export function tablesOf(body: unknown): string[] {
  if (!body || typeof body !== 'object') return [];
  const b = body as Record<string, unknown>;
  const found = new Set<string>();
  if (typeof b.TableName === 'string') found.add(b.TableName);
  if (Array.isArray(b.TransactItems)) {
    for (const item of b.TransactItems as Array<Record<string, { TableName?: unknown } | undefined>>) {
      for (const part of Object.values(item ?? {})) if (typeof part?.TableName === 'string') found.add(part.TableName);
    }
  }
  if (b.RequestItems && typeof b.RequestItems === 'object') for (const t of Object.keys(b.RequestItems)) found.add(t);
  // Table ARNs are accepted by DynamoDB too: match on the name.
  return [...found].map((t) => t.replace(/^arn:[^:]+:dynamodb:[^:]*:\d*:table\//, ''));
}

export interface FaultProxy {
  endpoint: string;
  set(spec: DynamodbFaultSpec): FaultCounts;
  clear(): FaultCounts;
  counts(): FaultCounts;
  stop(): Promise<void>;
}

const MAX_TRACKED_CALLS = 50_000;

/** Operations that take ReturnConsumedCapacity (the ones the meter counts units of). */
const METERED = new Set(['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem', 'Query', 'Scan', 'BatchGetItem', 'BatchWriteItem', 'TransactGetItems', 'TransactWriteItems', 'ExecuteStatement', 'BatchExecuteStatement', 'ExecuteTransaction']);

const operationOf = (req: IncomingMessage): string => {
  const amzTarget = String(req.headers['x-amz-target'] ?? '');
  return amzTarget.includes('.') ? amzTarget.slice(amzTarget.indexOf('.') + 1) : amzTarget;
};

export async function startFaultProxy(opts: { target: string; port?: number }): Promise<FaultProxy> {
  const target = new URL(opts.target);
  const agent = new Agent({ keepAlive: true, maxSockets: 128 });
  let active: (DynamodbFaultSpec & { remaining?: number }) | null = null;
  let requests = 0;
  let injected: FaultCounts['injected'] = { total: 0, byError: {}, byOperation: {}, byTable: {} };
  let sdkRetries = 0;
  let recoveredBySdk = 0;
  // Calls that got a fault on their latest attempt seen (insertion-ordered: the oldest go first when full).
  const faultedCalls = new Set<string>();

  const reset = () => {
    requests = 0;
    injected = { total: 0, byError: {}, byOperation: {}, byTable: {} };
    sdkRetries = 0;
    recoveredBySdk = 0;
    faultedCalls.clear();
  };
  const counts = (): FaultCounts => ({
    active: active && { ...active },
    requests,
    injected: { total: injected.total, byError: { ...injected.byError }, byOperation: { ...injected.byOperation }, byTable: { ...injected.byTable } },
    sdkRetries,
    recoveredBySdk,
    unrecovered: faultedCalls.size,
  });
  const bump = (m: Record<string, number>, k: string) => (m[k] = (m[k] ?? 0) + 1);

  const forward = (req: IncomingMessage, res: ServerResponse, body?: Buffer) => {
    if (body && meter.on) return meteredForward(req, res, body);
    const upstream = httpRequest(
      { protocol: target.protocol, hostname: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers, agent },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    // DynamoDB Local gone: the caller's connection drops, as it would without the proxy.
    upstream.on('error', () => res.destroy());
    if (body) upstream.end(body);
    else req.pipe(upstream);
  };

  // Metering (off by default): asks for the consumed capacity, counts it, answers as without the meter.
  const meteredForward = (req: IncomingMessage, res: ServerResponse, body: Buffer) => {
    const operation = operationOf(req);
    let sent = body;
    let strip = false;
    let tables: string[] = [];
    let request: Record<string, unknown> | undefined;
    try {
      const json = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
      request = json;
      tables = tablesOf(json);
      if (json.ReturnConsumedCapacity === undefined || json.ReturnConsumedCapacity === 'NONE') {
        json.ReturnConsumedCapacity = 'TOTAL';
        strip = true;
        sent = Buffer.from(JSON.stringify(json), 'utf8');
      }
    } catch {
      // not JSON: sent as it came
    }
    // The whole body is sent at once: its length, not chunks.
    const { 'transfer-encoding': _chunked, ...headers } = { ...req.headers, 'content-length': String(sent.length) };
    const upstream = httpRequest({ protocol: target.protocol, hostname: target.hostname, port: target.port, method: req.method, path: req.url, headers, agent }, (answer) => {
      const chunks: Buffer[] = [];
      answer.on('data', (c: Buffer) => chunks.push(c));
      answer.on('error', () => res.destroy());
      answer.on('end', () => {
        let out = Buffer.concat(chunks);
        const { 'transfer-encoding': _chunked, ...rest } = answer.headers;
        const outHeaders: Record<string, string | string[] | undefined> = rest;
        outHeaders['content-length'] = String(out.length);
        let consumed: unknown;
        if (!answer.headers['content-encoding']) {
          try {
            const json = JSON.parse(out.toString('utf8')) as Record<string, unknown>;
            consumed = json.ConsumedCapacity;
            if (strip && consumed !== undefined) {
              delete json.ConsumedCapacity;
              const text = JSON.stringify(json);
              out = Buffer.from(text, 'utf8');
              outHeaders['content-length'] = String(out.length);
              outHeaders['x-amz-crc32'] = String(crc32(out));
            }
          } catch {
            // not JSON: passed on as it came
          }
        }
        meter.dynamodbRequest(operation, tables, answer.statusCode ?? 502, consumed, request);
        res.writeHead(answer.statusCode ?? 502, outHeaders);
        res.end(out);
      });
    });
    upstream.on('error', () => res.destroy());
    upstream.end(sent);
  };

  const answerFault = (req: IncomingMessage, res: ServerResponse, error: DynamodbFaultError) => {
    const wire = WIRE[error];
    const text = JSON.stringify({ __type: `com.amazonaws.dynamodb.v20120810#${error}`, message: wire.message });
    const send = () =>
      res
        .writeHead(wire.status, {
          'content-type': 'application/x-amz-json-1.0',
          'content-length': Buffer.byteLength(text),
          'x-amzn-requestid': randomUUID().replace(/-/g, '').toUpperCase(),
          'x-amz-crc32': String(crc32(text)),
        })
        .end(text);
    if (req.readableEnded) send();
    else {
      req.resume(); // drain what is left of the request, keeping the connection reusable
      req.once('end', send);
    }
  };

  const decide = (req: IncomingMessage, res: ServerResponse, operation: string, call: string | undefined, tables: string[]): boolean => {
    const fault = active;
    if (!fault) return false;
    if (fault.operations && !fault.operations.includes(operation)) return false;
    if (fault.tables && !tables.some((t) => fault.tables?.includes(t))) return false;
    if (fault.remaining !== undefined && fault.remaining <= 0) return false;
    if (!(Math.random() < fault.rate)) return false;
    if (fault.remaining !== undefined) fault.remaining--;
    injected.total++;
    bump(injected.byError, fault.error);
    bump(injected.byOperation, operation);
    for (const t of tables) bump(injected.byTable, t);
    if (call) {
      faultedCalls.delete(call);
      faultedCalls.add(call);
      if (faultedCalls.size > MAX_TRACKED_CALLS) faultedCalls.delete(faultedCalls.values().next().value as string);
    }
    answerFault(req, res, fault.error);
    return true;
  };

  const server: Server = createServer((req, res) => {
    // The meter needs the body of every request that can report capacity: read it first.
    if (meter.on && METERED.has(operationOf(req))) {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => handle(req, res, Buffer.concat(chunks)));
      return;
    }
    handle(req, res);
  });
  const handle = (req: IncomingMessage, res: ServerResponse, read?: Buffer) => {
    requests++;
    const operation = operationOf(req);
    const call = typeof req.headers['amz-sdk-invocation-id'] === 'string' ? req.headers['amz-sdk-invocation-id'] : undefined;
    const attempt = Number(/attempt=(\d+)/.exec(String(req.headers['amz-sdk-request'] ?? ''))?.[1] ?? 1);
    if (attempt > 1) sdkRetries++;
    const passed = () => {
      if (call && faultedCalls.delete(call)) recoveredBySdk++;
    };

    const fault = active;
    const mayFault = fault !== null && (!fault.operations || fault.operations.includes(operation));
    if (!mayFault) {
      passed();
      forward(req, res, read);
      return;
    }
    if (!fault.tables) {
      if (!decide(req, res, operation, call, [])) {
        passed();
        forward(req, res, read);
      }
      return;
    }
    // A table filter needs the body: read it, decide, then send the same bytes on.
    const withBody = (body: Buffer) => {
      let tables: string[] = [];
      try {
        tables = tablesOf(JSON.parse(body.toString('utf8')) as unknown);
      } catch {
        // not JSON: DynamoDB Local answers it as it would
      }
      if (!decide(req, res, operation, call, tables)) {
        passed();
        forward(req, res, body);
      }
    };
    if (read) return withBody(read);
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => withBody(Buffer.concat(chunks)));
  };
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    endpoint,
    set(spec) {
      active = { ...spec, ...(spec.count !== undefined ? { remaining: spec.count } : {}) };
      reset();
      return counts();
    },
    clear() {
      active = null;
      return counts();
    },
    counts,
    async stop() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      agent.destroy();
    },
  };
}
