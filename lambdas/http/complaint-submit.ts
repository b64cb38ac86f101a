/** POST /api/complaints */
import { httpRoute, reply } from '../platform/http';
import { clientLimit } from '../platform/rate-limit';
import { ComplaintSubmission } from '../domain/complaints/schemas';
import { IdempotencyKeyHeader } from '../platform/schemas';
import { submitComplaint } from '../domain/complaints/submit-complaint';

export const handler = httpRoute({ auth: 'public', guard: clientLimit('publicWrites'), body: ComplaintSubmission, headers: IdempotencyKeyHeader }, async ({ body, headers }) => {
  const result = await submitComplaint(body, headers['idempotency-key']);
  return reply(result.statusCode, result.receipt, result.replayed ? { 'idempotent-replayed': 'true' } : undefined);
});
