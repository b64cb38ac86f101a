/** GET /api/cases?status=&unit=&overdue=&limit=&cursor= (officials): the queue, served by a GSI query. */
import { httpRoute, reply } from '../platform/http';
import { QueueQuery } from '../domain/complaints/schemas';
import { caseQueue } from '../domain/complaints/official-access';

export const handler = httpRoute({ auth: 'official', query: QueueQuery }, async ({ official, query }) => reply(200, await caseQueue(official, query)));
