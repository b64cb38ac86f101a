/** PUT /api/admin/schools/{schoolId} (admin): a school's name, stage, area or no-homework days. */
import { httpRoute, reply } from '../platform/http';
import { SchoolIdPath, SchoolUpdate } from '../domain/registry/schemas';
import { updateSchool } from '../domain/registry/admin';

export const handler = httpRoute({ auth: 'official', path: SchoolIdPath, body: SchoolUpdate }, async ({ official, path, body }) => reply(200, await updateSchool(official, path.schoolId, body)));
