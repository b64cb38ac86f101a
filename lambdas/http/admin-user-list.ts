/** GET /api/admin/users (admin): every official with role, scope and whether the account is disabled. */
import { httpRoute, reply } from '../platform/http';
import { usersForAdmin } from '../domain/registry/admin';

export const handler = httpRoute({ auth: 'official' }, async ({ official }) => reply(200, await usersForAdmin(official)));
