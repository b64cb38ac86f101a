/** GET /api/tasks (officials) */
import { httpRoute, reply } from '../platform/http';
import { inbox } from '../domain/tasks/inbox';

export const handler = httpRoute({ auth: 'official' }, async ({ official }) => reply(200, await inbox(official)));
