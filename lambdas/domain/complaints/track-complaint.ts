/** The citizen's view of a case: receipt number + access code; a wrong code looks like no case at all. */
import { districtTimestamp } from '../../platform/dates';
import { complaintForCitizen } from './citizen-access';
import { listEvents } from './complaint-repository';
import { publicTimeline } from './events';
import type { ComplaintPublicView } from './schemas';

export async function trackComplaint(receiptNo: string, accessCode: string): Promise<ComplaintPublicView> {
  const complaint = await complaintForCitizen(receiptNo, accessCode);
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
