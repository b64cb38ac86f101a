/** GET /api/schools (public): schools with classes, grades and enrolment. */
import { httpRoute, reply } from '../platform/http';
import { listSchools } from '../domain/registry/registry-repository';

export const handler = httpRoute({ auth: 'public' }, async () =>
  reply(200, (await listSchools()).map(({ schoolId, name, classes }) => ({ schoolId, name, classes }))),
);
