/**
 * Sessions of local accounts (one machine; Cognito keeps them in AWS). Sign-in checks the password
 * against its scrypt hash under the account's cap of failed sign-ins (5 a quarter hour, 20 a day:
 * lib/spec/rate-limits.ts), and answers an ID token for an hour and a refresh token for the working day.
 * A refresh token is used once: refreshing answers a new pair; a token used twice means it was copied, and
 * signs the account out everywhere. Signing out, or a new password, moves the account's session
 * generation: every token and refresh token of the older one is refused from the next request on.
 * A wrong name, a wrong password and a disabled account answer alike, so the answer does not tell which
 * names exist.
 */
import { createHash, randomBytes } from 'node:crypto';
import { clock } from '../../platform/clock';
import { ConflictError, UnauthorizedError } from '../../platform/errors';
import { signOfficialToken, TOKEN_LIFETIME_SECONDS } from '../../platform/local-tokens';
import { withGuardedAttempt } from '../../platform/rate-limit';
import { getStoredUser, type StoredUser } from './admin-repository';
import { changePasswordItem, endSessions, getSession, putSession, replaceSession, SessionGone } from './session-repository';
import { hashPassword, verifyPassword } from './passwords';
import type { Official, SessionTokens } from './schemas';

/** A working day: after it, the official signs in again. */
export const SESSION_SECONDS = 12 * 3600;

// A name that does not exist still costs one scrypt, so timing does not tell which names exist.
let dummyHash: Promise<string> | undefined;

const refreshHash = (token: string) => createHash('sha256').update(token).digest('hex');
const scopeOf = (u: StoredUser): Official => ({ username: u.username, role: u.role, unit: u.unit, department: u.department, schoolId: u.schoolId });

/** A new ID token and refresh token of the account's current generation. */
async function issue(user: StoredUser, generation: number, replacing?: string): Promise<SessionTokens> {
  const refreshToken = randomBytes(32).toString('base64url');
  const session = { hash: refreshHash(refreshToken), username: user.username, generation, expiresAt: Math.floor(clock.now().getTime() / 1000) + SESSION_SECONDS };
  if (replacing) await replaceSession(replacing, session);
  else await putSession(session);
  return { token: await signOfficialToken(scopeOf(user), generation), refreshToken, expiresIn: TOKEN_LIFETIME_SECONDS, mustChangePassword: user.mustChangePassword ?? false };
}

export async function signIn(username: string, password: string): Promise<SessionTokens> {
  const user = await withGuardedAttempt('signIn', username.toLowerCase(), async () => {
    const u = await getStoredUser(username);
    const hash = u && !u.disabled && u.passwordHash ? u.passwordHash : await (dummyHash ??= hashPassword('no such account'));
    const ok = (await verifyPassword(password, hash)) && hash === u?.passwordHash && !u.disabled;
    return { ok, value: ok ? u : undefined };
  });
  if (!user) throw new UnauthorizedError('Wrong username or password');
  return issue(user, user.sessionGeneration ?? 0);
}

/** The demo picker (POST /api/dev/login, never in production): a session for a seeded user, without a password. */
export async function demoSignIn(user: StoredUser): Promise<SessionTokens> {
  return issue(user, user.sessionGeneration ?? 0);
}

export async function refresh(refreshToken: string): Promise<SessionTokens> {
  const hash = refreshHash(refreshToken);
  const ended = () => new UnauthorizedError('This session has ended: sign in again');
  const session = await getSession(hash);
  if (!session || session.expiresAt * 1000 <= clock.now().getTime()) throw ended();
  // Refreshed with before: two holders of one refresh token (one of them a thief). End them all.
  if (session.used) {
    await endSessions(session.username);
    throw ended();
  }
  const user = await getStoredUser(session.username);
  if (!user || user.disabled || (user.sessionGeneration ?? 0) !== session.generation) throw ended();
  try {
    return await issue(user, session.generation, hash);
  } catch (err) {
    // Someone refreshed with this token a moment ago: the same, at the same time.
    if (err instanceof SessionGone) {
      await endSessions(user.username);
      throw ended();
    }
    throw err;
  }
}

/** Signs the account out everywhere: every token and refresh token it holds is refused from now on. */
export async function signOut(official: Official): Promise<void> {
  await endSessions(official.username);
}

/** A new password (the one-time one first of all): every other session ends; this one goes on with new tokens. */
export async function changePassword(official: Official, currentPassword: string, newPassword: string): Promise<SessionTokens> {
  const user = await withGuardedAttempt('signIn', official.username.toLowerCase(), async () => {
    const u = await getStoredUser(official.username);
    const ok = !!u?.passwordHash && (await verifyPassword(currentPassword, u.passwordHash));
    return { ok, value: ok ? u : undefined };
  });
  if (!user?.passwordHash) throw new UnauthorizedError('The current password is wrong');
  if (newPassword.toLowerCase().includes(user.username.toLowerCase())) throw new ConflictError('The new password must not contain the username', 'weak_password');
  const generation = await changePasswordItem(user.username, user.passwordHash, await hashPassword(newPassword), clock.now().toISOString());
  return issue({ ...user, mustChangePassword: false }, generation);
}
