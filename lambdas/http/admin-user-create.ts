/** POST /api/admin/users (admin): a new official, with a one-time initial password. */
import { httpRoute, reply } from '../platform/http';
import { UserRequest } from '../domain/registry/schemas';
import { createUser } from '../domain/registry/admin';

export const handler = httpRoute({ auth: 'official', body: UserRequest }, async ({ official, body }) => reply(201, await createUser(official, body)));
