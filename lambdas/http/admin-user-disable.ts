/** POST /api/admin/users/{username}/disable (admin): the account signs in no more. */
import { httpRoute, reply } from '../platform/http';
import { UsernamePath } from '../domain/registry/schemas';
import { disableUser } from '../domain/registry/admin';

export const handler = httpRoute({ auth: 'official', path: UsernamePath }, async ({ official, path }) => reply(200, await disableUser(official, path.username)));
