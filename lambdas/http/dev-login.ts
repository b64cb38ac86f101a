/**
 * POST /api/dev/login (one machine in development mode only; never deployed, not served in production
 * mode): a session for a seeded demo user without a password, with the same claims Cognito puts in its ID
 * tokens, so the same verifier accepts it.
 */
import { httpRoute, reply } from '../platform/http';
import { NotFoundError } from '../platform/errors';
import { DevLoginRequest } from '../domain/registry/schemas';
import { getStoredUser } from '../domain/registry/admin-repository';
import { demoSignIn } from '../domain/registry/sessions';

export const handler = httpRoute({ auth: 'public', body: DevLoginRequest }, async ({ body }) => {
  const user = await getStoredUser(body.username);
  if (!user || user.disabled) throw new NotFoundError(`No seeded user is called ${body.username}`);
  return reply(200, await demoSignIn(user));
});
