/** GET /api/rectification/overdue (supervisor): the escalation list. */
import { httpRoute, reply } from '../platform/http';
import { overdueItems } from '../domain/rectification/ledger';

export const handler = httpRoute({ auth: 'official' }, async ({ official }) => reply(200, await overdueItems(official)));
