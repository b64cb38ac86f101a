/** POST /api/admin/users/{username}/enable (admin): a disabled account signs in again. */
import { httpRoute, reply } from '../platform/http';
import { UsernamePath } from '../domain/registry/schemas';
import { enableUser } from '../domain/registry/admin';

export const handler = httpRoute({ auth: 'official', path: UsernamePath }, async ({ official, path }) => reply(200, await enableUser(official, path.username)));
