/** GET /api/admin/audit?about=&id=&cursor=&limit= (admin): the registries' audit trail, newest first. */
import { httpRoute, reply } from '../platform/http';
import { AuditQuery } from '../domain/registry/schemas';
import { auditTrail } from '../domain/registry/admin';

export const handler = httpRoute({ auth: 'official', query: AuditQuery }, async ({ official, query }) => reply(200, await auditTrail(official, query)));
