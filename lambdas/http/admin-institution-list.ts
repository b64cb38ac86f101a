/** GET /api/admin/institutions?status=&q= (admin): the registry's institutions, searched by name, alias or address. */
import { httpRoute, reply } from '../platform/http';
import { InstitutionQuery } from '../domain/registry/schemas';
import { institutionsForAdmin } from '../domain/registry/admin';

export const handler = httpRoute({ auth: 'official', query: InstitutionQuery }, async ({ official, query }) => reply(200, await institutionsForAdmin(official, query)));
