/** POST /api/admin/institutions (admin): an off-campus training institution in the registry. */
import { httpRoute, reply } from '../platform/http';
import { InstitutionRequest } from '../domain/registry/schemas';
import { createInstitution } from '../domain/registry/admin';

export const handler = httpRoute({ auth: 'official', body: InstitutionRequest }, async ({ official, body }) => reply(201, await createInstitution(official, body)));
