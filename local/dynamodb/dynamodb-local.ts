// Starts the official DynamoDB Local (a Java process) on a free loopback port, with its files under
// dataDir (or in memory), and waits until it answers. The caller owns the process and stops it.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { freePort } from '../net';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { ensureDynamodbLocal } = require('./fetch-dynamodb-local.cjs') as { ensureDynamodbLocal: () => string };

/** Waits for (then kills) a DynamoDB Local left running on the same files by a killed platform. */
async function stopLeftover(pidFile: string): Promise<void> {
  let pid: number;
  try {
    pid = Number(readFileSync(pidFile, 'utf8').trim());
  } catch {
    return;
  }
  const alive = () => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  for (let i = 0; i < 50 && pid > 0 && alive(); i++) await new Promise((r) => setTimeout(r, 100));
  if (pid > 0 && alive()) process.kill(pid, 'SIGKILL');
  rmSync(pidFile, { force: true });
}

export interface DynamodbLocal {
  endpoint: string;
  port: number;
  stop(): Promise<void>;
}

export async function startDynamodbLocal(opts: { dataDir?: string; port?: number; inMemory?: boolean } = {}): Promise<DynamodbLocal> {
  const dir = ensureDynamodbLocal();
  const port = opts.port ?? (await freePort());
  // DYNAMODB_LOCAL_JAVA_OPTS: JVM flags, e.g. the tests' C1-only JIT, which starts in ~40 % less CPU.
  const jvm = (process.env.DYNAMODB_LOCAL_JAVA_OPTS ?? '').split(/\s+/).filter(Boolean);
  const args = [...jvm, `-Djava.library.path=${join(dir, 'DynamoDBLocal_lib')}`, '-jar', join(dir, 'DynamoDBLocal.jar'), '-port', String(port)];
  if (opts.inMemory || !opts.dataDir) args.push('-inMemory');
  else {
    mkdirSync(opts.dataDir, { recursive: true });
    args.push('-dbPath', opts.dataDir);
  }
  // -disableTelemetry: the machine has no network; DynamoDB Local would otherwise try to phone home.
  args.push('-disableTelemetry');
  const pidFile = opts.dataDir && !opts.inMemory ? join(opts.dataDir, 'dynamodb-local.pid') : undefined;
  if (pidFile) await stopLeftover(pidFile);
  // A watchdog shell owns java: when this process dies, even by SIGKILL, java goes too, so a restart
  // never finds the database files held by an orphan.
  const quoted = args.map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  const script = [
    `java ${quoted} & J=$!`,
    `${pidFile ? `echo $J > '${pidFile}';` : ''} trap 'kill $J 2>/dev/null; wait $J; exit 0' TERM INT`,
    `while kill -0 ${process.pid} 2>/dev/null && kill -0 $J 2>/dev/null; do sleep 0.3; done`,
    'kill $J 2>/dev/null; wait $J',
  ].join('\n');
  const child: ChildProcess = spawn('bash', ['-c', script], { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new DynamoDBClient({ endpoint, region: 'local', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`DynamoDB Local exited with ${child.exitCode}: ${stderr.slice(-2000)}`);
    try {
      await client.send(new ListTablesCommand({ Limit: 1 }));
      break;
    } catch {
      if (Date.now() > deadline) {
        child.kill('SIGKILL');
        throw new Error(`DynamoDB Local did not answer on ${endpoint} within 30 s: ${stderr.slice(-2000)}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  client.destroy();
  return {
    endpoint,
    port,
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}
