/**
 * The documented production set-up, run: Debian's nginx with deploy/nginx/double-reduction.conf (only its
 * paths and ports replaced) terminating TLS in front of `MODE=production npm start`; the systemd unit in
 * deploy/systemd passes `systemd-analyze verify`. Over HTTPS the console and the API answer, with HSTS and
 * the API's security headers; plain HTTP is sent to HTTPS.
 */
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { request as plainRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort } from '../../local/net';
import { usePlatform } from '../support/platform-process';

jest.setTimeout(120_000);

const ROOT = resolve(__dirname, '../..');
const NGINX = '/usr/sbin/nginx';
const { current } = usePlatform({ env: { MODE: 'production', PLATFORM_NOW: '', TRUSTED_PROXIES: '127.0.0.1,::1' } });

let nginx: ChildProcess | undefined;
let ca: Buffer;
let httpsPort: number;
let httpPort: number;

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}
function call(url: string, opts: { method?: string; body?: string } = {}): Promise<Answer> {
  const u = new URL(url);
  const send = u.protocol === 'https:' ? request : plainRequest;
  return new Promise((done, fail) => {
    const req = send(u, { method: opts.method ?? 'GET', ca, servername: 'localhost', headers: opts.body ? { 'content-type': 'application/json' } : {} }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => done({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', fail);
    req.end(opts.body);
  });
}

beforeAll(async () => {
  if (!existsSync(NGINX)) throw new Error(`${NGINX} is missing: apt-get install -y nginx-light (.ci/run installs it)`);
  const dir = mkdtempSync(join(tmpdir(), 'dr-nginx-'));
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost', '-keyout', join(dir, 'privkey.pem'), '-out', join(dir, 'fullchain.pem')], { stdio: 'ignore' });
  ca = readFileSync(join(dir, 'fullchain.pem'));
  [httpsPort, httpPort] = [await freePort(), await freePort()];
  const site = readFileSync(join(ROOT, 'deploy/nginx/double-reduction.conf'), 'utf8')
    .replace(/^\s*listen \[::\].*$/gm, '')
    .replace('listen 80;', `listen 127.0.0.1:${httpPort};`)
    .replace('listen 443 ssl http2;', `listen 127.0.0.1:${httpsPort} ssl http2;`)
    .replaceAll('/etc/ssl/double-reduction/', `${dir}/`)
    .replace('proxy_pass http://127.0.0.1:3000;', `proxy_pass http://127.0.0.1:${current().port};`);
  writeFileSync(join(dir, 'site.conf'), site);
  writeFileSync(
    join(dir, 'nginx.conf'),
    `pid ${dir}/nginx.pid;\nerror_log ${dir}/error.log;\nevents {}\nhttp {\n  access_log off;\n  client_body_temp_path ${dir}/body;\n  proxy_temp_path ${dir}/proxy;\n  fastcgi_temp_path ${dir}/fastcgi;\n  uwsgi_temp_path ${dir}/uwsgi;\n  scgi_temp_path ${dir}/scgi;\n  include ${dir}/site.conf;\n}\n`,
  );
  nginx = spawn(NGINX, ['-p', dir, '-c', join(dir, 'nginx.conf'), '-g', 'daemon off;'], { stdio: ['ignore', 'ignore', 'pipe'] });
  for (let i = 0; i < 100; i++) {
    try {
      await call(`https://localhost:${httpsPort}/api/health`);
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error(`nginx did not answer: ${readFileSync(join(dir, 'error.log'), 'utf8')}`);
});

afterAll(() => {
  nginx?.kill('SIGTERM');
});

it('answers the API over TLS with HSTS and the API security headers', async () => {
  const health = await call(`https://localhost:${httpsPort}/api/health`);
  expect(health.status).toBe(200);
  expect(JSON.parse(health.body)).toMatchObject({ status: 'ok' });
  expect(health.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
  expect(health.headers['x-content-type-options']).toBe('nosniff');
  const refused = await call(`https://localhost:${httpsPort}/api/auth/login`, { method: 'POST', body: JSON.stringify({ username: 'nobody', password: 'Not-a-password-1' }) });
  expect(refused.status).toBe(401);
});

it('serves the console over TLS, with the password sign-in of production mode', async () => {
  const page = await call(`https://localhost:${httpsPort}/`);
  expect(page.status).toBe(200);
  expect(page.body).toContain('<div id="root">');
  expect(JSON.parse((await call(`https://localhost:${httpsPort}/config.json`)).body)).toEqual({ signIn: 'local', demo: false });
});

it('sends plain HTTP to HTTPS', async () => {
  const plain = await call(`http://localhost:${httpPort}/official`);
  expect(plain.status).toBe(301);
  expect(String(plain.headers.location)).toMatch(/^https:\/\/localhost\/official$/);
});

it('ships a systemd unit that systemd itself accepts, in production mode behind the proxy', () => {
  const unit = join(ROOT, 'deploy/systemd/double-reduction.service');
  const verify = spawnSync('systemd-analyze', ['verify', unit], { encoding: 'utf8' });
  // Only what the unit says itself: this machine has no double-reduction user nor /opt checkout.
  const complaints = `${verify.stdout}${verify.stderr}`.split('\n').filter((l) => l.includes('double-reduction.service') && !/User|Group|WorkingDirectory|not found|No such file/.test(l));
  expect(complaints).toEqual([]);
  const text = readFileSync(unit, 'utf8');
  for (const line of ['Environment=MODE=production', 'Environment=HOST=127.0.0.1', 'Environment=TRUSTED_PROXIES=127.0.0.1,::1', 'KillSignal=SIGTERM', 'Restart=on-failure', 'NoNewPrivileges=yes']) expect(text).toContain(line);
});
