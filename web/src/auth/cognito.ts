/**
 * The pure parts of signing in through Cognito's hosted UI (OAuth 2.0 authorization code grant with PKCE,
 * RFC 7636): the runtime configuration, the authorize, token and logout requests, the callback. No DOM, no
 * storage: only Web Crypto (`globalThis.crypto`, in browsers and Node 20 alike), so jest tests it in Node.
 */

/** What /config.json says in AWS (lib/constructs/web-site.ts); on one machine it says local (local/platform.ts). */
export interface CognitoConfig {
  signIn: 'cognito';
  /** https://<prefix>.auth.<region>.amazoncognito.com, no trailing slash. */
  authDomain: string;
  clientId: string;
  redirectUri: string;
}
/** One machine: local accounts (username and password), and in development mode the demo picker too. */
export interface LocalConfig {
  signIn: 'local';
  demo: boolean;
}
export type SignInConfig = CognitoConfig | LocalConfig;

export const SCOPES = ['openid', 'email', 'profile'] as const;

/** Local accounts with the demo picker: what a missing or unusable config.json means (the vite dev server has none). */
export const DEFAULT_SIGN_IN: LocalConfig = { signIn: 'local', demo: true };

/** A parsed config.json, or local sign-in with the demo picker when it is anything else (missing, HTML, another signIn). */
export function parseSignInConfig(raw: unknown): SignInConfig {
  if (!raw || typeof raw !== 'object') return DEFAULT_SIGN_IN;
  const c = raw as Record<string, unknown>;
  if (c.signIn === 'local') return { signIn: 'local', demo: c.demo !== false };
  if (c.signIn !== 'cognito') return DEFAULT_SIGN_IN;
  const str = (k: string): string | undefined => (typeof c[k] === 'string' && c[k] ? (c[k] as string) : undefined);
  const authDomain = str('authDomain');
  const clientId = str('clientId');
  const redirectUri = str('redirectUri');
  if (!authDomain || !clientId || !redirectUri || !/^https:\/\//.test(authDomain)) return DEFAULT_SIGN_IN;
  return { signIn: 'cognito', authDomain: authDomain.replace(/\/+$/, ''), clientId, redirectUri };
}

export function base64url(bytes: Uint8Array): string {
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** A random string of unreserved characters: 32 random bytes → 43 characters (RFC 7636 §4.1 asks 43–128). */
export function randomToken(bytes = 32): string {
  return base64url(globalThis.crypto.getRandomValues(new Uint8Array(bytes)));
}

/** The S256 code challenge of a verifier: BASE64URL(SHA256(ASCII(verifier))). */
export async function pkceChallenge(verifier: string): Promise<string> {
  if (!/^[A-Za-z0-9\-._~]{43,128}$/.test(verifier)) throw new Error('a PKCE code verifier is 43–128 unreserved characters');
  const digest = await globalThis.crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  return base64url(new Uint8Array(digest));
}

export function authorizeUrl(config: CognitoConfig, params: { state: string; codeChallenge: string }): string {
  const q = new URLSearchParams({
    response_type: 'code',
    client_id: config.clientId,
    redirect_uri: config.redirectUri,
    scope: SCOPES.join(' '),
    state: params.state,
    code_challenge: params.codeChallenge,
    code_challenge_method: 'S256',
  });
  return `${config.authDomain}/oauth2/authorize?${q.toString()}`;
}

export type Callback = { kind: 'code'; code: string } | { kind: 'error'; error: string; description?: string };

/**
 * What the redirect back from the hosted UI carries (`?code=&state=` or `?error=&state=`): undefined when the
 * query is not a callback at all, an error when the state is not the one this tab sent (a forged or stale
 * redirect: never exchange its code).
 */
export function parseCallback(search: string, expectedState: string | undefined): Callback | undefined {
  const q = new URLSearchParams(search.replace(/^\?/, ''));
  const code = q.get('code');
  const error = q.get('error');
  if (!code && !error) return undefined;
  const state = q.get('state');
  if (!expectedState || state !== expectedState) return { kind: 'error', error: 'invalid_state' };
  if (error) return { kind: 'error', error, description: q.get('error_description') ?? undefined };
  return { kind: 'code', code: code! };
}

/** The form-encoded body of the code exchange at <authDomain>/oauth2/token (a public client: no secret). */
export function tokenRequest(config: CognitoConfig, code: string, codeVerifier: string): { url: string; body: URLSearchParams } {
  return {
    url: `${config.authDomain}/oauth2/token`,
    body: new URLSearchParams({ grant_type: 'authorization_code', client_id: config.clientId, code, redirect_uri: config.redirectUri, code_verifier: codeVerifier }),
  };
}

export function logoutUrl(config: CognitoConfig): string {
  return `${config.authDomain}/logout?${new URLSearchParams({ client_id: config.clientId, logout_uri: config.redirectUri }).toString()}`;
}

/** The user name an ID token names (`cognito:username`), read without verifying: the API verifies the token. */
export function idTokenUsername(idToken: string): string | undefined {
  const payload = idToken.split('.')[1];
  if (!payload) return undefined;
  try {
    const json = atob(payload.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(payload.length / 4) * 4, '='));
    const bytes = Uint8Array.from(json, (c) => c.charCodeAt(0));
    const claims = JSON.parse(new TextDecoder().decode(bytes)) as Record<string, unknown>;
    const name = claims['cognito:username'] ?? claims.email ?? claims.sub;
    return typeof name === 'string' ? name : undefined;
  } catch {
    return undefined;
  }
}
