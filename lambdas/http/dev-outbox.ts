/**
 * GET /api/dev/outbox (one-machine mode only; never deployed): the notifications the platform would
 * have sent as SMS in AWS, newest first. Phone numbers are not shown: the message goes to the contact
 * of the case.
 */
import { httpRoute, reply } from '../platform/http';
import { listNotifications } from '../domain/complaints/complaint-repository';

export const handler = httpRoute({ auth: 'public' }, async () => reply(200, await listNotifications(100)));
