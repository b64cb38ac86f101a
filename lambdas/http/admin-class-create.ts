/** POST /api/admin/schools/{schoolId}/classes (admin): a new class of a school. */
import { httpRoute, reply } from '../platform/http';
import { ClassRequest, SchoolIdPath } from '../domain/registry/schemas';
import { addClass } from '../domain/registry/admin';

export const handler = httpRoute({ auth: 'official', path: SchoolIdPath, body: ClassRequest }, async ({ official, path, body }) => reply(201, await addClass(official, path.schoolId, body)));
