/**
 * Checked on every official request after the token: a disabled account is refused at once. Tokens live
 * up to 12 hours (Cognito's ID tokens cannot be revoked), so the token alone would keep a disabled
 * official working until it expires. One eventually consistent read of a single attribute.
 */
import { UnauthorizedError } from '../../platform/errors';
import { isAccountDisabled } from './registry-repository';
import type { Official } from './schemas';

export async function requireActiveAccount(official: Official): Promise<void> {
  if (await isAccountDisabled(official.username)) throw new UnauthorizedError('This account is disabled');
}
