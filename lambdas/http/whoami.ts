/** GET /api/me (officials): who you are now (the registry's role and scope), and whether the one-time password still has to be changed. */
import { httpRoute, reply } from '../platform/http';
import { accountOf } from '../domain/registry/registry-repository';

export const handler = httpRoute({ auth: 'official', duringPasswordChange: true }, async ({ official }) =>
  reply(200, { ...official, ...((await accountOf(official.username))?.mustChangePassword ? { mustChangePassword: true } : {}) }),
);
