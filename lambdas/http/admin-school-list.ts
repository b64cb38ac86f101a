/** GET /api/admin/schools (admin): every school with stage, area, no-homework days and classes. */
import { httpRoute, reply } from '../platform/http';
import { schoolsForAdmin } from '../domain/registry/admin';

export const handler = httpRoute({ auth: 'official' }, async ({ official }) => reply(200, await schoolsForAdmin(official)));
