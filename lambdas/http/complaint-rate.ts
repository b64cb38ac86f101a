/** POST /api/complaints/{receiptNo}/rating with X-Access-Code: once, after closure. */
import { httpRoute, reply } from '../platform/http';
import { clientLimit } from '../platform/rate-limit';
import { AccessCodeHeaders, RatingRequest, ReceiptPath } from '../domain/complaints/schemas';
import { rateComplaint } from '../domain/complaints/rate-complaint';

export const handler = httpRoute({ auth: 'public', guard: clientLimit('publicWrites'), path: ReceiptPath, headers: AccessCodeHeaders, body: RatingRequest }, async ({ path, headers, body }) =>
  reply(201, await rateComplaint(path.receiptNo, headers['x-access-code'], body)),
);
