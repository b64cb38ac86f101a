/** GET /api/complaints/{receiptNo} with X-Access-Code */
import { httpRoute, reply } from '../platform/http';
import { clientLimit } from '../platform/rate-limit';
import { AccessCodeHeaders, ReceiptPath } from '../domain/complaints/schemas';
import { trackComplaint } from '../domain/complaints/track-complaint';

export const handler = httpRoute({ auth: 'public', guard: clientLimit('accessCodeChecks'), path: ReceiptPath, headers: AccessCodeHeaders }, async ({ path, headers }) =>
  reply(200, await trackComplaint(path.receiptNo, headers['x-access-code'])),
);
