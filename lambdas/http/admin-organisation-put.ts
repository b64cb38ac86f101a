/** PUT /api/admin/organisation/{scope}/{code} (admin): a unit's or department's name, head and phone. */
import { httpRoute, reply } from '../platform/http';
import { OrgUnitPath, OrgUnitUpdate } from '../domain/registry/schemas';
import { updateOrgUnit } from '../domain/registry/admin';

export const handler = httpRoute({ auth: 'official', path: OrgUnitPath, body: OrgUnitUpdate }, async ({ official, path, body }) => reply(200, await updateOrgUnit(official, path, body)));
