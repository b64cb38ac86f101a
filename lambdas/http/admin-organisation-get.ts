/** GET /api/admin/organisation (admin): the working units and joint departments with their entered names and contacts. */
import { httpRoute, reply } from '../platform/http';
import { organisation } from '../domain/registry/admin';

export const handler = httpRoute({ auth: 'official' }, async ({ official }) => reply(200, await organisation(official)));
