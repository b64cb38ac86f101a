/** GET /api/notifications (school administrator) */
import { httpRoute, reply } from '../platform/http';
import { notificationsOf } from '../domain/rectification/overdue-escalation';

export const handler = httpRoute({ auth: 'official' }, async ({ official }) => reply(200, await notificationsOf(official)));
