/**
 * Checked on every official request after the token. The token proves who the official is; the registry
 * says what they may do now: a disabled account is refused at once, and a changed role or scope applies
 * at once, not when the token expires (tokens live up to 12 hours and Cognito's ID tokens cannot be
 * revoked). One eventually consistent read of a few attributes. An official the registry does not know
 * (a Cognito user made outside the admin routes) works with the token's claims.
 */
import { UnauthorizedError } from '../../platform/errors';
import { accountOf } from './registry-repository';
import type { Official } from './schemas';

export async function currentOfficial(fromToken: Official): Promise<Official> {
  const account = await accountOf(fromToken.username);
  if (!account) return fromToken;
  if (account.disabled) throw new UnauthorizedError('This account is disabled');
  return account.official ?? fromToken;
}
