/**
 * A citizen reaches their case with its receipt number and access code. Every check counts against the
 * receipt's cap of wrong codes (withAccessCodeAttempt), and a wrong code looks exactly like no case at all.
 */
import { NotFoundError } from '../../platform/errors';
import { withAccessCodeAttempt } from '../../platform/rate-limit';
import { accessCodeMatches } from './access-code';
import { getComplaint } from './complaint-repository';
import type { Complaint } from './model';

export async function complaintForCitizen(receiptNo: string, accessCode: string): Promise<Complaint> {
  const complaint = await withAccessCodeAttempt(receiptNo, async () => {
    const found = await getComplaint(receiptNo);
    const ok = !!found && accessCodeMatches(accessCode, found.accessCode);
    return { ok, value: ok ? found : undefined };
  });
  if (!complaint) throw new NotFoundError('No complaint matches this receipt number and access code');
  return complaint;
}
