/** The citizen's view of a case: receipt number + access code; a wrong code looks like no case at all. */
import { NotFoundError } from '../../platform/errors';
import { districtTimestamp } from '../../platform/clock';
import { withAccessCodeAttempt } from '../../platform/rate-limit';
import { accessCodeMatches } from './access-code';
import { getComplaint, listEvents } from './complaint-repository';
import { publicTimeline } from './events';
import type { ComplaintPublicView } from './schemas';

const NOT_FOUND = 'No complaint matches this receipt number and access code';

export async function trackComplaint(receiptNo: string, accessCode: string): Promise<ComplaintPublicView> {
  const complaint = await withAccessCodeAttempt(receiptNo, async () => {
    const found = await getComplaint(receiptNo);
    const ok = !!found && accessCodeMatches(accessCode, found.accessCode);
    return { ok, value: ok ? found : undefined };
  });
  if (!complaint) throw new NotFoundError(NOT_FOUND);
  const events = await listEvents(receiptNo);
  return {
    receiptNo: complaint.receiptNo,
    category: complaint.category,
    status: complaint.status,
    submittedAt: districtTimestamp(new Date(complaint.submittedAt)),
    timeline: publicTimeline(events, districtTimestamp),
    ...(complaint.outcome ? { outcome: complaint.outcome.publicText } : {}),
  };
}
