/** PUT /api/admin/users/{username} (admin): an official's name, role and scope. */
import { httpRoute, reply } from '../platform/http';
import { UsernamePath, UserUpdate } from '../domain/registry/schemas';
import { updateUser } from '../domain/registry/admin';

export const handler = httpRoute({ auth: 'official', path: UsernamePath, body: UserUpdate }, async ({ official, path, body }) => reply(200, await updateUser(official, path.username, body)));
