/** PUT /api/admin/institutions/{institutionId} (admin): an institution's fields (a new name moves its key). */
import { httpRoute, reply } from '../platform/http';
import { InstitutionIdPath, InstitutionUpdate } from '../domain/registry/schemas';
import { updateInstitution } from '../domain/registry/admin';

export const handler = httpRoute({ auth: 'official', path: InstitutionIdPath, body: InstitutionUpdate }, async ({ official, path, body }) =>
  reply(200, await updateInstitution(official, path.institutionId, body)),
);
