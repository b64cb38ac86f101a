/** POST /api/admin/schools (admin): a new school of the district; it appears in GET /api/schools at once. */
import { httpRoute, reply } from '../platform/http';
import { SchoolRequest } from '../domain/registry/schemas';
import { createSchool } from '../domain/registry/admin';

export const handler = httpRoute({ auth: 'official', body: SchoolRequest }, async ({ official, body }) => reply(201, await createSchool(official, body)));
