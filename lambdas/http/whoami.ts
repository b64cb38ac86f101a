/** GET /api/me (officials): who you are now (the registry's role and scope), and whether the one-time password still has to be changed. */
import { httpRoute, reply } from '../platform/http';

export const handler = httpRoute({ auth: 'official', duringPasswordChange: true }, async ({ official, mustChangePassword }) =>
  reply(200, { ...official, ...(mustChangePassword ? { mustChangePassword: true } : {}) }),
);
