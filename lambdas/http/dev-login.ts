/**
 * POST /api/dev/login (one-machine mode only; the route is never deployed): a signed ID token for a
 * seeded user, with the same claims Cognito puts in its ID tokens, so the same verifier accepts it.
 */
import { httpRoute, reply } from '../platform/http';
import { NotFoundError } from '../platform/errors';
import { signOfficialToken } from '../platform/local-tokens';
import { DevLoginRequest } from '../domain/registry/schemas';
import { getStoredUser } from '../domain/registry/admin-repository';

export const handler = httpRoute({ auth: 'public', body: DevLoginRequest }, async ({ body }) => {
  const user = await getStoredUser(body.username);
  if (!user || user.disabled) throw new NotFoundError(`No seeded user is called ${body.username}`);
  return reply(200, { token: await signOfficialToken({ username: user.username, role: user.role, unit: user.unit, department: user.department, schoolId: user.schoolId }) });
});
