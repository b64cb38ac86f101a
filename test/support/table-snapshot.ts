/**
 * Every item of every table in a platform's DynamoDB Local, to show that a run of requests wrote
 * nothing: snapshot before, snapshot after, compare the item sets.
 */
import { DynamoDBClient, ListTablesCommand, ScanCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';

/** Table name → canonical JSON of each item. */
export type Snapshot = Map<string, Set<string>>;

export interface TableChange {
  table: string;
  added: string[];
  removed: string[];
}

const canonical = (v: unknown): unknown =>
  Array.isArray(v)
    ? v.map(canonical)
    : v && typeof v === 'object' && !(v instanceof Uint8Array)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, x]) => [k, canonical(x)]))
      : v instanceof Uint8Array
        ? Buffer.from(v).toString('base64')
        : v;

export class TableWatch {
  private readonly client: DynamoDBClient;

  /** `ignore`: tables left out of every snapshot (counters that are not business data). */
  constructor(
    endpoint: string,
    private readonly ignore: readonly string[] = [],
  ) {
    // The local runtime's region and key: DynamoDB Local keeps a separate set of tables per key and region.
    this.client = new DynamoDBClient({ endpoint, region: 'local', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  }

  async snapshot(): Promise<Snapshot> {
    const names: string[] = [];
    let start: string | undefined;
    do {
      const page = await this.client.send(new ListTablesCommand({ ExclusiveStartTableName: start }));
      names.push(...(page.TableNames ?? []));
      start = page.LastEvaluatedTableName;
    } while (start);
    const scan = async (table: string): Promise<[string, Set<string>]> => {
      const items = new Set<string>();
      let key: Record<string, AttributeValue> | undefined;
      do {
        const page = await this.client.send(new ScanCommand({ TableName: table, ConsistentRead: true, ExclusiveStartKey: key }));
        for (const item of page.Items ?? []) items.add(JSON.stringify(canonical(item)));
        key = page.LastEvaluatedKey;
      } while (key);
      return [table, items];
    };
    return new Map(await Promise.all(names.filter((n) => !this.ignore.includes(n)).sort().map(scan)));
  }

  destroy(): void {
    this.client.destroy();
  }
}

/** What differs between two snapshots, table by table (a changed item is one removed and one added). */
export function changes(before: Snapshot, after: Snapshot): TableChange[] {
  const out: TableChange[] = [];
  for (const table of new Set([...before.keys(), ...after.keys()])) {
    const a = before.get(table) ?? new Set<string>();
    const b = after.get(table) ?? new Set<string>();
    const added = [...b].filter((x) => !a.has(x));
    const removed = [...a].filter((x) => !b.has(x));
    if (added.length || removed.length || before.has(table) !== after.has(table)) out.push({ table, added, removed });
  }
  return out;
}
