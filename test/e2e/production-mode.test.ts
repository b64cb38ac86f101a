/**
 * `MODE=production npm start` on a bureau's own server: nothing meant for demos and tests answers (no demo
 * district, no demo sign-in, no clock, fault, schedule or meter controls, no SMS outbox, no internal
 * endpoints in health); the web console gets the password form alone; the first admin comes from
 * `npm run admin -- create-admin`, changes the one-time password and enters the district; it runs on the
 * real time (PLATFORM_NOW refuses to start) and HOST makes it listen beyond loopback.
 */
import { spawnSync } from 'node:child_process';
import { networkInterfaces } from 'node:os';
import { freePort } from '../../local/net';
import { newDataDir, startPlatformProcess, stopPlatformProcess, usePlatform } from '../support/platform-process';

jest.setTimeout(180_000);

const PRODUCTION = { MODE: 'production', PLATFORM_NOW: '' };
const { api, current } = usePlatform({ env: { ...PRODUCTION, HOST: '0.0.0.0' } });

it('answers nothing meant for demos and tests', async () => {
  const base = current().url;
  expect((await api.call('GET', '/api/schools')).body).toEqual([]);
  expect((await api.call('POST', '/api/dev/login', { body: { username: 'supervisor' } })).status).toBe(404);
  expect((await api.call('GET', '/api/dev/outbox')).status).toBe(404);
  for (const [method, path] of [['GET', '/_local/clock'], ['POST', '/_local/clock'], ['POST', '/_local/faults'], ['POST', '/_local/schedules/campaign-clock'], ['POST', '/_local/meter'], ['GET', '/_local/meter']] as const) {
    const res = await fetch(`${base}${path}`, { method, headers: { 'content-type': 'application/json' }, body: method === 'POST' ? '{"advanceMs": 86400000}' : undefined });
    expect({ path, method, status: res.status }).toEqual({ path, method, status: 404 });
  }
  const health = (await api.call('GET', '/api/health')).body;
  expect(health.status).toBe('ok');
  expect(health).not.toHaveProperty('local');
  expect(Math.abs(Date.parse(health.now as string) - Date.now())).toBeLessThan(60_000);
  expect(await (await fetch(`${base}/config.json`)).json()).toEqual({ signIn: 'local', demo: false });
  expect(current().output()).toContain('production mode');
});

it('makes its first admin with npm run admin -- create-admin, who changes the one-time password and enters the district', async () => {
  const run = spawnSync('npm', ['run', '--silent', 'admin', '--', '--url', current().url, '--data-dir', current().dataDir, 'create-admin', 'it.officer', '信息科王科长'], { encoding: 'utf8', env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' } });
  expect(run.status).toBe(0);
  const initial = /initial password (\S+)/.exec(run.stdout)?.[1] as string;
  const first = await api.call('POST', '/api/auth/login', { body: { username: 'it.officer', password: initial } });
  expect(first.body.mustChangePassword).toBe(true);
  expect((await api.call('POST', '/api/admin/schools', { token: first.body.token, body: { schoolId: 'x01', name: '第一小学', stage: 'primary', area: 'group_1' } })).status).toBe(403);
  const changed = await api.call('POST', '/api/auth/password', { token: first.body.token, body: { currentPassword: initial, newPassword: 'Bureau-IT-Officer-2026' } });
  expect(changed.status).toBe(200);
  expect((await api.call('POST', '/api/admin/schools', { token: changed.body.token, body: { schoolId: 'x01', name: '第一小学', stage: 'primary', area: 'group_1' } })).status).toBe(201);
  expect(((await api.call('GET', '/api/schools')).body as Array<{ schoolId: string }>).map((s) => s.schoolId)).toEqual(['x01']);
});

it('listens beyond loopback with HOST=0.0.0.0', async () => {
  const address = Object.values(networkInterfaces())
    .flat()
    .find((i) => i && i.family === 'IPv4' && !i.internal)?.address;
  // A machine with loopback alone has nothing else to reach it by.
  if (!address) return;
  const res = await fetch(`http://${address}:${current().port}/api/health`);
  expect(res.status).toBe(200);
});

it('refuses to start on a pinned clock, or on a data dir whose clock a demo moved', async () => {
  const pinned = spawnSync('npm', ['start', '--silent'], { encoding: 'utf8', env: { ...process.env, MODE: 'production', PLATFORM_NOW: '2026-12-07T10:00:00+08:00', PORT: String(await freePort()), DATA_DIR: newDataDir() }, timeout: 60_000 });
  expect(pinned.status).toBe(1);
  expect(pinned.stderr + pinned.stdout).toMatch(/PLATFORM_NOW is for tests and demos/);

  // A demo data dir: the clock moved a day, then the same dir in production.
  const demo = await startPlatformProcess({ env: { PLATFORM_NOW: '' } });
  await fetch(`${demo.url}/_local/clock`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"advanceMs": 86400000}' });
  await stopPlatformProcess(demo);
  const moved = spawnSync('npm', ['start', '--silent'], { encoding: 'utf8', env: { ...process.env, ...PRODUCTION, PORT: String(await freePort()), DATA_DIR: demo.dataDir }, timeout: 60_000 });
  expect(moved.status).toBe(1);
  expect(moved.stderr + moved.stdout).toMatch(/clock was moved/);
});
