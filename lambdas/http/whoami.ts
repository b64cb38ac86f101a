/** GET /api/me (officials): who you are now: the registry's role and scope for the token's username. */
import { httpRoute, reply } from '../platform/http';

export const handler = httpRoute({ auth: 'official', duringPasswordChange: true }, async ({ official }) => reply(200, official));
