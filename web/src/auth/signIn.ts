/**
 * Sign-in as the deployment says (/config.json): Cognito's hosted UI in AWS, local accounts on one machine
 * (with the demo picker in development mode). The browser side of ./cognito.ts: storage, redirects, fetch.
 */
import { api, session } from '../api';
import { authorizeUrl, DEFAULT_SIGN_IN, idTokenUsername, logoutUrl, parseCallback, parseSignInConfig, pkceChallenge, randomToken, tokenRequest, type CognitoConfig, type SignInConfig } from './cognito';

const PENDING_KEY = 'dr.signin.pending';

let loaded: Promise<SignInConfig> | undefined;

/** config.json beside index.html, once; anything but a usable Cognito config means the user picker. */
export function loadSignInConfig(): Promise<SignInConfig> {
  loaded ??= (async () => {
    try {
      const res = await fetch(new URL('config.json', document.baseURI).href, { headers: { accept: 'application/json' }, cache: 'no-cache' });
      if (!res.ok || !(res.headers.get('content-type') ?? '').includes('json')) return DEFAULT_SIGN_IN;
      return parseSignInConfig(await res.json());
    } catch {
      return DEFAULT_SIGN_IN;
    }
  })();
  return loaded;
}

/** Leaves for the hosted UI; the verifier and state stay in this tab's sessionStorage until the callback. */
export async function beginSignIn(config: CognitoConfig): Promise<void> {
  const state = randomToken(16);
  const verifier = randomToken(32);
  sessionStorage.setItem(PENDING_KEY, JSON.stringify({ state, verifier }));
  window.location.assign(authorizeUrl(config, { state, codeChallenge: await pkceChallenge(verifier) }));
}

export class SignInError extends Error {}

/**
 * Completes a redirect back from the hosted UI, if this page load is one: checks the state, exchanges the
 * code (with the verifier) for tokens, keeps the ID token (what the API verifies) as the session, and
 * removes ?code=&state= from the address bar. Answers whether it signed in.
 */
export function completeSignIn(config: CognitoConfig): Promise<boolean> {
  // Once per page load (React's StrictMode runs effects twice in development).
  completing ??= exchangeCallback(config);
  return completing;
}
let completing: Promise<boolean> | undefined;

async function exchangeCallback(config: CognitoConfig): Promise<boolean> {
  const pending = (() => {
    try {
      return JSON.parse(sessionStorage.getItem(PENDING_KEY) ?? 'null') as { state: string; verifier: string } | null;
    } catch {
      return null;
    }
  })();
  const callback = parseCallback(window.location.search, pending?.state);
  if (!callback) return false;
  sessionStorage.removeItem(PENDING_KEY);
  // The code is single-use: off the address bar (and out of the history) at once.
  window.history.replaceState(null, '', `${window.location.pathname}${window.location.hash}`);
  if (callback.kind === 'error') throw new SignInError(callback.description ?? callback.error);
  const { url, body } = tokenRequest(config, callback.code, pending!.verifier);
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
  const json = (await res.json().catch(() => ({}))) as { id_token?: string; error?: string };
  if (!res.ok || !json.id_token) throw new SignInError(json.error ?? `token ${res.status}`);
  session.set({ username: idTokenUsername(json.id_token) ?? 'official', token: json.id_token });
  return true;
}

/** Signs out everywhere: a local session is ended on the platform (every device), a Cognito one at the hosted UI. */
export async function signOutEverywhere(): Promise<void> {
  const config = await loadSignInConfig();
  if (config.signIn === 'local' && session.get()) await api.logout().catch(() => undefined);
  session.clear();
  if (config.signIn === 'cognito') window.location.assign(logoutUrl(config));
}
