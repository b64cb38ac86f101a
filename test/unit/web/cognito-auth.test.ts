/** The pure parts of the hosted-UI sign-in (web/src/auth/cognito.ts): PKCE, the authorize URL, the callback. */
import {
  authorizeUrl,
  idTokenUsername,
  logoutUrl,
  parseCallback,
  parseSignInConfig,
  pkceChallenge,
  randomToken,
  tokenRequest,
  type CognitoConfig,
} from '../../../web/src/auth/cognito';

const config: CognitoConfig = {
  signIn: 'cognito',
  authDomain: 'https://double-reduction-prod.auth.cn-north-1.amazoncognito.com',
  clientId: '1example23456789',
  redirectUri: 'https://d111111abcdef8.cloudfront.net',
};

describe('PKCE (RFC 7636)', () => {
  test('the S256 challenge of the appendix B verifier is the appendix B challenge', async () => {
    await expect(pkceChallenge('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).resolves.toBe('E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
  });

  test('a random verifier is 43 unreserved characters, different each time, and has a challenge', async () => {
    const a = randomToken();
    const b = randomToken();
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(a).not.toBe(b);
    expect(await pkceChallenge(a)).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  test('a verifier that is too short or has other characters is refused', async () => {
    await expect(pkceChallenge('short')).rejects.toThrow(/43–128/);
    await expect(pkceChallenge(`${'a'.repeat(43)}+`)).rejects.toThrow(/43–128/);
  });
});

describe('the authorize request', () => {
  test('asks the hosted UI for a code with the client, redirect URI, scopes, state and the S256 challenge', () => {
    const url = new URL(authorizeUrl(config, { state: 'st4te', codeChallenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM' }));
    expect(`${url.origin}${url.pathname}`).toBe('https://double-reduction-prod.auth.cn-north-1.amazoncognito.com/oauth2/authorize');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      response_type: 'code',
      client_id: '1example23456789',
      redirect_uri: 'https://d111111abcdef8.cloudfront.net',
      scope: 'openid email profile',
      state: 'st4te',
      code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
      code_challenge_method: 'S256',
    });
  });
});

describe('the callback', () => {
  test('a code with the state this tab sent', () => {
    expect(parseCallback('?code=abc-123&state=st4te', 'st4te')).toEqual({ kind: 'code', code: 'abc-123' });
  });

  test('a state that is not ours, or no pending sign-in at all, is an error and the code is not used', () => {
    expect(parseCallback('?code=abc&state=other', 'st4te')).toEqual({ kind: 'error', error: 'invalid_state' });
    expect(parseCallback('?code=abc', 'st4te')).toEqual({ kind: 'error', error: 'invalid_state' });
    expect(parseCallback('?code=abc&state=st4te', undefined)).toEqual({ kind: 'error', error: 'invalid_state' });
  });

  test('an error from the hosted UI', () => {
    expect(parseCallback('?error=access_denied&error_description=User+cancelled&state=s', 's')).toEqual({ kind: 'error', error: 'access_denied', description: 'User cancelled' });
  });

  test('an ordinary page load is no callback', () => {
    expect(parseCallback('', 'st4te')).toBeUndefined();
    expect(parseCallback('?lang=en', undefined)).toBeUndefined();
  });
});

test('the code exchange is form-encoded with the verifier and no secret', () => {
  const { url, body } = tokenRequest(config, 'abc-123', 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk');
  expect(url).toBe('https://double-reduction-prod.auth.cn-north-1.amazoncognito.com/oauth2/token');
  expect(Object.fromEntries(body)).toEqual({
    grant_type: 'authorization_code',
    client_id: '1example23456789',
    code: 'abc-123',
    redirect_uri: 'https://d111111abcdef8.cloudfront.net',
    code_verifier: 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk',
  });
  expect(body.toString()).toContain('redirect_uri=https%3A%2F%2Fd111111abcdef8.cloudfront.net');
});

test('sign-out goes to the hosted UI’s logout with the client and the site as logout URI', () => {
  const url = new URL(logoutUrl(config));
  expect(`${url.origin}${url.pathname}`).toBe('https://double-reduction-prod.auth.cn-north-1.amazoncognito.com/logout');
  expect(Object.fromEntries(url.searchParams)).toEqual({ client_id: '1example23456789', logout_uri: 'https://d111111abcdef8.cloudfront.net' });
});

describe('config.json', () => {
  test('a complete Cognito config is used (a trailing slash on the domain dropped)', () => {
    expect(parseSignInConfig({ ...config, authDomain: `${config.authDomain}/` })).toEqual(config);
  });

  test('anything else means local accounts with the demo picker', () => {
    for (const raw of [undefined, null, '<!doctype html>', {}, { signIn: 'local' }, { ...config, clientId: '' }, { ...config, authDomain: 'http://insecure.example' }]) {
      expect(parseSignInConfig(raw)).toEqual({ signIn: 'local', demo: true });
    }
  });

  test('production mode on one machine says local accounts without the demo picker', () => {
    expect(parseSignInConfig({ signIn: 'local', demo: false })).toEqual({ signIn: 'local', demo: false });
  });
});

test('the user name of an ID token (UTF-8 claims), or undefined for something that is not a JWT', () => {
  const payload = Buffer.from(JSON.stringify({ 'cognito:username': '张老师', 'custom:role': 'supervisor' })).toString('base64url');
  expect(idTokenUsername(`eyJhbGciOiJSUzI1NiJ9.${payload}.sig`)).toBe('张老师');
  expect(idTokenUsername('not-a-jwt')).toBeUndefined();
});
