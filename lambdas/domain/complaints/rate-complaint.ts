/** The complainant rates the handling once, after closure (API.md). */
import { clock } from '../../platform/clock';
import { districtTimestamp } from '../../platform/dates';
import { cancellationCodes } from '../../platform/dynamodb';
import { ConflictError } from '../../platform/errors';
import { complaintForCitizen } from './citizen-access';
import { caseUpdate, eventPut, transact } from './complaint-repository';
import { caseEvent } from './events';
import type { RatingRequest } from './schemas';

export async function rateComplaint(receiptNo: string, accessCode: string, rating: RatingRequest) {
  const complaint = await complaintForCitizen(receiptNo, accessCode);
  if (complaint.status !== 'closed') throw new ConflictError('A complaint can be rated once it is closed', 'not_closed');
  if (complaint.rating) throw new ConflictError('This complaint has already been rated', 'already_rated');
  const now = clock.now();
  try {
    await transact([
      {
        Update: caseUpdate(receiptNo, {
          set: { rating: { score: rating.score, ...(rating.comment ? { comment: rating.comment } : {}), at: now.toISOString() } },
          condition: { expression: '#status = :closed AND attribute_not_exists(#rating)', names: { '#status': 'status', '#rating': 'rating' }, values: { ':closed': 'closed' } },
        }),
      },
      { Put: eventPut(caseEvent(receiptNo, 'rated', now, 'citizen', { score: rating.score })) },
    ]);
  } catch (err) {
    if (cancellationCodes(err)?.[0] === 'ConditionalCheckFailed') throw new ConflictError('This complaint has already been rated', 'already_rated');
    throw err;
  }
  return { receiptNo, score: rating.score, ratedAt: districtTimestamp(now) };
}
