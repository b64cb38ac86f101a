/**
 * Officials' sign-in through Cognito's hosted UI, as the pages do it when /config.json says so (in AWS).
 * No Cognito is reachable here: the hosted UI's authorize, token and logout endpoints are stubbed with
 * Playwright routes, and the "ID token" the stub hands out is a one-machine token (POST /api/dev/login), so
 * the platform's /api/me accepts it. This checks the pages' side of the protocol (PKCE S256, state, the
 * form-encoded code exchange, the session, sign-out), not Cognito itself.
 */
import { createHash } from 'node:crypto';
import type { Page, Request } from 'playwright-core';
import { screenshot, useBrowserPlatform } from './support';

const { api, url, page: newPage } = useBrowserPlatform();

const AUTH = 'https://double-reduction-test.auth.cn-north-1.amazoncognito.com';
const CLIENT_ID = 'web-client-id';

interface Stub {
  authorize: URL[];
  token: Array<{ body: URLSearchParams; contentType: string }>;
  logout: URL[];
}

async function stubHostedUi(page: Page, idToken: string): Promise<Stub> {
  const stub: Stub = { authorize: [], token: [], logout: [] };
  await page.route(`${url()}/config.json`, (route) =>
    route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify({ signIn: 'cognito', authDomain: AUTH, clientId: CLIENT_ID, redirectUri: url() }) }),
  );
  await page.route(`${AUTH}/**`, async (route, request: Request) => {
    const u = new URL(request.url());
    if (u.pathname === '/oauth2/authorize') {
      stub.authorize.push(u);
      return route.fulfill({ status: 200, contentType: 'text/html', body: '<!doctype html><title>Hosted UI</title><h1>Cognito hosted UI (stub)</h1>' });
    }
    if (u.pathname === '/oauth2/token' && request.method() === 'POST') {
      stub.token.push({ body: new URLSearchParams(request.postData() ?? ''), contentType: request.headers()['content-type'] ?? '' });
      return route.fulfill({
        status: 200,
        contentType: 'application/json',
        headers: { 'access-control-allow-origin': '*' },
        body: JSON.stringify({ id_token: idToken, access_token: 'not-used', refresh_token: 'not-used', token_type: 'Bearer', expires_in: 3600 }),
      });
    }
    if (u.pathname === '/logout') {
      stub.logout.push(u);
      return route.fulfill({ status: 200, contentType: 'text/html', body: '<!doctype html><title>Signed out</title><h1>Signed out (stub)</h1>' });
    }
    return route.fulfill({ status: 404, body: 'not stubbed' });
  });
  return stub;
}

it('one machine in development mode has the password form and the demo user picker', async () => {
  const page = await newPage();
  const res = await page.request.get(`${url()}/config.json`);
  expect(await res.json()).toEqual({ signIn: 'local', demo: true });
  await page.goto(`${url()}/#/official`);
  await page.getByRole('heading', { name: '工作人员登录', exact: true }).waitFor();
  await page.getByRole('heading', { name: '演示账号（本地演示）' }).waitFor();
  expect(await page.getByLabel(/^密码/).count()).toBe(1);
  expect(await page.locator('section.demo-signin').getByLabel(/^账号/).count()).toBe(1);
});

it('with config.json the sign-in page goes to the hosted UI with PKCE, and the callback signs in with the ID token', async () => {
  const page = await newPage();
  const stub = await stubHostedUi(page, await api.token('supervisor'));
  await page.goto(`${url()}/#/official`);
  await page.getByRole('heading', { name: '工作人员登录', exact: true }).waitFor();
  expect(await page.locator('select').count()).toBe(0);
  await screenshot(page, 'cognito-signin');

  await page.getByRole('button', { name: '前往统一身份认证登录' }).press('Enter');
  await page.getByRole('heading', { name: 'Cognito hosted UI (stub)' }).waitFor();
  expect(stub.authorize).toHaveLength(1);
  const q = Object.fromEntries(stub.authorize[0].searchParams);
  expect(q).toEqual({
    response_type: 'code',
    client_id: CLIENT_ID,
    redirect_uri: url(),
    scope: 'openid email profile',
    state: expect.stringMatching(/^[A-Za-z0-9_-]{20,}$/),
    code_challenge: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
    code_challenge_method: 'S256',
  });

  // Cognito redirects back to the redirect URI with the code and the state.
  await page.goto(`${url()}/?code=the-code&state=${q.state}`);
  await page.getByRole('heading', { name: '待办任务' }).waitFor();
  expect(await page.locator('header .who').innerText()).toContain('supervisor');
  expect(stub.token).toHaveLength(1);
  const exchange = stub.token[0];
  expect(exchange.contentType).toContain('application/x-www-form-urlencoded');
  expect(Object.fromEntries(exchange.body)).toEqual({
    grant_type: 'authorization_code',
    client_id: CLIENT_ID,
    code: 'the-code',
    redirect_uri: url(),
    code_verifier: expect.stringMatching(/^[A-Za-z0-9_-]{43,128}$/),
  });
  // The verifier sent with the code is the one whose S256 challenge went to the authorize endpoint.
  expect(createHash('sha256').update(exchange.body.get('code_verifier')!).digest('base64url')).toBe(q.code_challenge);
  // The code is off the address bar; the session holds the ID token, nothing of the pending sign-in is left.
  expect(new URL(page.url()).search).toBe('');
  const storage = await page.evaluate<Record<string, string>>(`Object.fromEntries(Object.entries(sessionStorage))`);
  expect(Object.keys(storage)).toEqual(['dr.official']);
  expect(JSON.parse(storage['dr.official']).token).toBe(await api.token('supervisor'));
  await screenshot(page, 'cognito-signed-in');

  // Signing out ends the hosted UI's session too.
  await page.getByRole('button', { name: '退出' }).click();
  await page.getByRole('heading', { name: 'Signed out (stub)' }).waitFor();
  expect(Object.fromEntries(stub.logout[0].searchParams)).toEqual({ client_id: CLIENT_ID, logout_uri: url() });
  await page.goto(`${url()}/#/official`);
  await page.getByRole('heading', { name: '工作人员登录', exact: true }).waitFor();
  expect(await page.evaluate<string | null>(`sessionStorage.getItem('dr.official')`)).toBeNull();
});

it('a callback whose state this tab did not send is refused: no code exchange, an error on the sign-in page', async () => {
  const page = await newPage();
  const stub = await stubHostedUi(page, await api.token('supervisor'));
  await page.goto(`${url()}/?code=stolen-code&state=forged`);
  await page.getByRole('heading', { name: '工作人员登录', exact: true }).waitFor();
  await page.getByText('登录未完成，请重试。').waitFor();
  expect(stub.token).toHaveLength(0);
  expect(new URL(page.url()).search).toBe('');
  expect(await page.evaluate<string | null>(`sessionStorage.getItem('dr.official')`)).toBeNull();
});
