/** GET /api/me (officials): who the token says you are. */
import { httpRoute, reply } from '../platform/http';

export const handler = httpRoute({ auth: 'official' }, async ({ official }) => reply(200, official));
