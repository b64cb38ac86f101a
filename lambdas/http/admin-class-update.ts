/** PUT /api/admin/schools/{schoolId}/classes/{classId} (admin): a class's grade, name or enrolment. */
import { httpRoute, reply } from '../platform/http';
import { ClassPath, ClassUpdate } from '../domain/registry/schemas';
import { updateClass } from '../domain/registry/admin';

export const handler = httpRoute({ auth: 'official', path: ClassPath, body: ClassUpdate }, async ({ official, path, body }) => reply(200, await updateClass(official, path.schoolId, path.classId, body)));
