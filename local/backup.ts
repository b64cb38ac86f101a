/**
 * Backup and restore of a one-machine platform (`npm run backup -- <dir>`, `npm run restore -- <dir>`).
 *
 * A backup is taken by the running platform itself (asked over DATA_DIR/control.sock, local/control-socket.ts),
 * so it is consistent while requests keep coming: new handler invocations are held at the gate (none refused,
 * they wait a moment) and those in flight finish; every table write happens in a handler, so the tables
 * are still while each is read whole. Then the workflow journal (an execution that went on meanwhile
 * without a task resumes from the copy, as after a crash: steps are exactly-once), the evidence files,
 * the contact key and the token signing key are copied, and the gate opens.
 *
 * A backup is a directory: manifest.json (format, time, item counts, every file's size and SHA-256),
 * tables/<name>.jsonl (one DynamoDB item per line, in the wire format, binary values as {"$base64": …}, so
 * every type survives), and
 * files/ (stepfunctions/journal.jsonl, s3/, kms/, local-jwt-signing-key.json, clock.json).
 * Restore checks every file against the manifest, refuses a DATA_DIR that holds data, writes the tables
 * into a fresh DynamoDB Local and puts the files back; `npm start` on it finds every case, execution,
 * file and contact.
 */
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { BatchWriteItemCommand, DynamoDBClient, paginateScan, type AttributeValue, type WriteRequest } from '@aws-sdk/client-dynamodb';
import { tableList } from '../lib/spec/tables';
import { createTables } from './dynamodb/create-tables';
import { startDynamodbLocal } from './dynamodb/dynamodb-local';
import { pauseInvocations } from './functions';

export const BACKUP_FORMAT = 1;

/** DynamoDB Local takes any credentials and region; the CLI runs outside the platform's environment. */
const localClient = (endpoint: string) => new DynamoDBClient({ endpoint, region: 'local', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });

/** What a DATA_DIR holds besides DynamoDB Local's files: copied as they are. */
const FILES = ['stepfunctions/journal.jsonl', 's3', 'kms', 'local-jwt-signing-key.json', 'clock.json'];

export interface Manifest {
  format: number;
  createdAt: string;
  /** How long new requests were held while the backup was taken. */
  heldMs: number;
  tables: Record<string, number>;
  files: Array<{ path: string; bytes: number; sha256: string }>;
}

/** Binary attributes (B, BS: the sealed contacts) as base64 in the JSON lines, and back. */
const toLine = (item: Record<string, AttributeValue>) => JSON.stringify(item, (_k, v: unknown) => (v instanceof Uint8Array ? { $base64: Buffer.from(v).toString('base64') } : v));
const fromLine = (line: string) =>
  JSON.parse(line, (_k, v: unknown) => (v && typeof v === 'object' && typeof (v as { $base64?: unknown }).$base64 === 'string' ? new Uint8Array(Buffer.from((v as { $base64: string }).$base64, 'base64')) : v)) as Record<string, AttributeValue>;

const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

function filesUnder(root: string, dir = root): string[] {
  if (!existsSync(dir)) return [];
  if (statSync(dir).isFile()) return [relative(root, dir)];
  return readdirSync(dir).flatMap((n) => filesUnder(root, join(dir, n)));
}

function assertEmptyDir(dir: string): void {
  if (existsSync(dir) && readdirSync(dir).length > 0) throw new Error(`${dir} is not empty: a backup goes into a new directory`);
}

/** Takes the backup from the running platform: `endpoint` is DynamoDB Local's own (not the fault proxy). */
export async function createBackup(opts: { dataDir: string; dynamodbEndpoint: string; dir: string }): Promise<Manifest> {
  assertEmptyDir(opts.dir);
  // It holds the contact key and the token signing key: for the data dir's owner alone.
  mkdirSync(join(opts.dir, 'tables'), { recursive: true, mode: 0o700 });
  const client = localClient(opts.dynamodbEndpoint);
  const heldFrom = Date.now();
  const resume = await pauseInvocations();
  const tables: Record<string, number> = {};
  try {
    for (const spec of tableList) {
      const lines: string[] = [];
      for await (const page of paginateScan({ client }, { TableName: spec.name, ConsistentRead: true })) for (const item of page.Items ?? []) lines.push(toLine(item));
      writeFileSync(join(opts.dir, 'tables', `${spec.name}.jsonl`), lines.length ? `${lines.join('\n')}\n` : '');
      tables[spec.name] = lines.length;
    }
    for (const f of FILES) {
      const from = join(opts.dataDir, f);
      if (!existsSync(from)) continue;
      const to = join(opts.dir, 'files', f);
      mkdirSync(dirname(to), { recursive: true });
      cpSync(from, to, { recursive: true });
    }
  } finally {
    resume();
    client.destroy();
  }
  const heldMs = Date.now() - heldFrom;
  const files = filesUnder(opts.dir).map((path) => ({ path, bytes: statSync(join(opts.dir, path)).size, sha256: sha256(join(opts.dir, path)) }));
  const manifest: Manifest = { format: BACKUP_FORMAT, createdAt: new Date().toISOString(), heldMs, tables, files };
  writeFileSync(join(opts.dir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

/** Checks a backup against its manifest: every file there, of its size and hash, and no table missing. */
export function verifyBackup(dir: string): Manifest {
  const file = join(dir, 'manifest.json');
  if (!existsSync(file)) throw new Error(`${dir} holds no manifest.json: not a backup`);
  const manifest = JSON.parse(readFileSync(file, 'utf8')) as Manifest;
  if (manifest.format !== BACKUP_FORMAT) throw new Error(`${dir}: backup format ${manifest.format}, this platform reads ${BACKUP_FORMAT}`);
  for (const f of manifest.files) {
    const path = join(dir, f.path);
    if (!existsSync(path)) throw new Error(`${dir}: ${f.path} is missing`);
    if (statSync(path).size !== f.bytes || sha256(path) !== f.sha256) throw new Error(`${dir}: ${f.path} differs from the manifest (damaged or edited)`);
  }
  for (const spec of tableList) if (manifest.tables[spec.name] === undefined) throw new Error(`${dir}: the table ${spec.name} is missing`);
  return manifest;
}

/** Writes a backup into a new DATA_DIR (DynamoDB Local started for it and stopped again). */
export async function restoreBackup(opts: { dir: string; dataDir: string; log?: (m: string) => void }): Promise<Manifest> {
  const manifest = verifyBackup(opts.dir);
  assertEmptyDir(opts.dataDir);
  mkdirSync(opts.dataDir, { recursive: true, mode: 0o700 });
  const dynamo = await startDynamodbLocal({ dataDir: join(opts.dataDir, 'dynamodb') });
  const client = localClient(dynamo.endpoint);
  try {
    await createTables(client);
    for (const spec of tableList) {
      const text = readFileSync(join(opts.dir, 'tables', `${spec.name}.jsonl`), 'utf8');
      const items = text.split('\n').filter(Boolean).map(fromLine);
      for (let i = 0; i < items.length; i += 25) {
        let requests: WriteRequest[] = items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } }));
        for (let attempt = 0; requests.length > 0; attempt++) {
          if (attempt > 10) throw new Error(`restoring ${spec.name}: DynamoDB Local keeps leaving items unprocessed`);
          const out = await client.send(new BatchWriteItemCommand({ RequestItems: { [spec.name]: requests } }));
          requests = out.UnprocessedItems?.[spec.name] ?? [];
          if (requests.length) await new Promise((r) => setTimeout(r, 50 * 2 ** attempt));
        }
      }
      if (items.length !== manifest.tables[spec.name]) throw new Error(`${spec.name}: ${items.length} items in the file, the manifest says ${manifest.tables[spec.name]}`);
      opts.log?.(`  ${spec.name}: ${items.length} items`);
    }
  } finally {
    client.destroy();
    await dynamo.stop();
  }
  const files = join(opts.dir, 'files');
  if (existsSync(files)) cpSync(files, opts.dataDir, { recursive: true });
  rebindObjects(join(opts.dataDir, 's3'));
  return manifest;
}

/**
 * The local S3 (local/s3/store.ts) trusts an object only while its sidecar names the inode of its bytes; a
 * copy has new inodes. Each sidecar is bound to its copied bytes again when they are the bytes it describes
 * (size, and the MD5 of a single-part ETag): a write torn by a crash before the backup stays absent.
 */
function rebindObjects(s3Dir: string): void {
  const metaRoot = join(s3Dir, '.meta');
  for (const rel of filesUnder(metaRoot)) {
    const metaFile = join(metaRoot, rel);
    const bytesFile = join(s3Dir, rel);
    if (!existsSync(bytesFile)) continue;
    const meta = JSON.parse(readFileSync(metaFile, 'utf8')) as { size: number; etag: string; ino: number };
    const info = statSync(bytesFile);
    if (info.size !== meta.size) continue;
    const md5 = /^"([0-9a-f]{32})"$/.exec(meta.etag)?.[1];
    if (md5 && createHash('md5').update(readFileSync(bytesFile)).digest('hex') !== md5) continue;
    writeFileSync(metaFile, JSON.stringify({ ...meta, ino: info.ino }));
  }
}
