/**
 * Checked on every official request after the token. The token proves who the official is; the registry
 * says what they may do now: a disabled account is refused at once, a changed role or scope applies at
 * once, a one-machine token of an older session generation (signed out, password changed) is refused,
 * and an account still on its one-time password may only change it. Tokens cannot be revoked (Cognito's
 * ID tokens neither), so this read is what makes those take effect before expiry. One eventually
 * consistent read of a few attributes. An official the registry does not know (a Cognito user made
 * outside the admin routes) works with the token's claims.
 */
import { PasswordChangeRequiredError, UnauthorizedError } from '../../platform/errors';
import { accountOf } from './registry-repository';
import type { Official } from './schemas';

export interface SessionCheck {
  /** The token's session generation (one-machine tokens only). */
  generation?: number;
  /** The route is one an account on its one-time password may use (change it, sign out, who am I). */
  duringPasswordChange?: boolean;
}

/** The official as the registry has them now, and whether the one-time password is still to be changed. */
export async function currentOfficial(fromToken: Official, check: SessionCheck = {}): Promise<{ official: Official; mustChangePassword: boolean }> {
  const account = await accountOf(fromToken.username);
  if (!account) return { official: fromToken, mustChangePassword: false };
  if (account.disabled) throw new UnauthorizedError('This account is disabled');
  if (check.generation !== undefined && check.generation !== account.generation) throw new UnauthorizedError('This session has ended: sign in again');
  if (account.mustChangePassword && !check.duringPasswordChange) throw new PasswordChangeRequiredError('Change the one-time password first (POST /api/auth/password)');
  return { official: account.official ?? fromToken, mustChangePassword: account.mustChangePassword };
}
