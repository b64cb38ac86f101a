/**
 * Every API answer carries the security headers (lambdas/platform/security-headers.ts): a handler's 200,
 * its 400, 401 and 413, the gateway's own 404 and 405, a file download.
 */
import { usePlatform } from '../support/platform-process';

jest.setTimeout(120_000);

const { api, current } = usePlatform();

const expectSecured = (headers: Headers, what: string) => {
  expect({ what, nosniff: headers.get('x-content-type-options'), frame: headers.get('x-frame-options'), csp: headers.get('content-security-policy') }).toEqual({
    what,
    nosniff: 'nosniff',
    frame: 'DENY',
    csp: "default-src 'none'; frame-ancestors 'none'",
  });
};

it('are on a handler’s answers, good and bad, public and official', async () => {
  const base = current().url;
  expectSecured((await fetch(`${base}/api/health`)).headers, 'GET /api/health');
  expectSecured((await fetch(`${base}/api/complaints`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).headers, '400');
  expectSecured((await fetch(`${base}/api/me`)).headers, '401');
  const token = await api.token('supervisor');
  expectSecured((await fetch(`${base}/api/rectification/export?format=csv`, { headers: { authorization: `Bearer ${token}` } })).headers, 'a CSV download');
});

it('are on the gateway’s own answers (no such route, a method the route has not) and on a body too large', async () => {
  const base = current().url;
  expectSecured((await fetch(`${base}/api/nothing-here`)).headers, '404');
  expectSecured((await fetch(`${base}/api/health`, { method: 'DELETE' })).headers, '405');
  const large = await fetch(`${base}/api/complaints`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ description: 'x'.repeat(70 * 1024) }) });
  expect(large.status).toBe(413);
  expectSecured(large.headers, '413');
});
