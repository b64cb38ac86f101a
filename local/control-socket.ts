/**
 * The operator's channel to a running one-machine platform: a Unix socket DATA_DIR/control.sock (mode 0600,
 * so only the data dir's owner reaches it; never a TCP port, so nothing on the network does). One JSON
 * request per connection, one JSON answer: {"command": "backup", "dir": "/var/backups/dr-2026-12-07"}.
 * `npm run backup` is its client.
 */
import { chmodSync, existsSync, unlinkSync } from 'node:fs';
import { createConnection, createServer, type Server } from 'node:net';
import { join, resolve } from 'node:path';
import { createBackup, type Manifest } from './backup';

export const controlSocketPath = (dataDir: string) => join(dataDir, 'control.sock');

type Request = { command: 'backup'; dir: string };
type Answer = { ok: true; manifest: Manifest } | { ok: false; error: string };

export function startControlSocket(opts: { dataDir: string; dynamodbEndpoint: string }): Promise<Server> {
  const path = controlSocketPath(opts.dataDir);
  // A socket left by a killed platform: this one is the data dir's platform now.
  if (existsSync(path)) unlinkSync(path);
  const server = createServer((conn) => {
    let text = '';
    conn.on('data', (d: Buffer) => {
      text += d.toString();
      if (!text.includes('\n')) return;
      void answer(text.split('\n')[0]).then((a) => conn.end(`${JSON.stringify(a)}\n`));
    });
    conn.on('error', () => undefined);
  });
  let busy = false;
  async function answer(line: string): Promise<Answer> {
    let req: Request;
    try {
      req = JSON.parse(line) as Request;
    } catch {
      return { ok: false, error: 'not JSON' };
    }
    if (req.command !== 'backup' || typeof req.dir !== 'string' || !req.dir) return { ok: false, error: 'the command is {"command": "backup", "dir": "<directory>"}' };
    if (busy) return { ok: false, error: 'a backup is being taken already' };
    busy = true;
    try {
      return { ok: true, manifest: await createBackup({ dataDir: opts.dataDir, dynamodbEndpoint: opts.dynamodbEndpoint, dir: resolve(req.dir) }) };
    } catch (err) {
      return { ok: false, error: (err as Error).message };
    } finally {
      busy = false;
    }
  }
  return new Promise((done, fail) => {
    server.once('error', fail);
    server.listen(path, () => {
      chmodSync(path, 0o600);
      done(server);
    });
  });
}

/** Sends one request to the platform running on `dataDir` and answers its reply. */
export function askPlatform(dataDir: string, request: Request): Promise<Answer> {
  return new Promise((done, fail) => {
    const conn = createConnection(controlSocketPath(dataDir));
    let text = '';
    conn.on('connect', () => conn.write(`${JSON.stringify(request)}\n`));
    conn.on('data', (d: Buffer) => (text += d.toString()));
    conn.on('end', () => {
      try {
        done(JSON.parse(text) as Answer);
      } catch {
        fail(new Error(`the platform answered ${text || 'nothing'}`));
      }
    });
    conn.on('error', (err: NodeJS.ErrnoException) =>
      fail(err.code === 'ENOENT' || err.code === 'ECONNREFUSED' ? new Error(`No platform runs on ${dataDir} (no ${controlSocketPath(dataDir)}): start it, or copy the stopped data dir as it is`) : err),
    );
  });
}
