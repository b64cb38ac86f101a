/** The workflow's first automatic step: triage a stored complaint and record it on the case, once. */
import { clock } from '../../platform/clock';
import { listInstitutions, listSchools } from '../registry/registry-repository';
import { AlreadyTriagedError, getComplaint, recordTriage } from './complaint-repository';
import { caseEvent } from './events';
import type { Triage } from './model';
import { matchInstitution, subjectKey, triage } from './triage-rules';

export async function triageComplaint(receiptNo: string): Promise<Triage> {
  const complaint = await getComplaint(receiptNo);
  if (!complaint) throw new Error(`Complaint ${receiptNo} does not exist`);
  if (complaint.triage) return complaint.triage;
  const [institutions, schools] = await Promise.all([listInstitutions(), listSchools()]);
  const now = clock.now();
  const result = triage(complaint, { institutions, schools }, now);
  const event = caseEvent(receiptNo, 'triaged', now, 'system:triage', {
    publicStatus: complaint.status,
    publicNote: 'Your report has been reviewed and passed to the office responsible for it.',
    internalNote: result.reason,
    unit: result.unit,
    institutionStatus: result.institutionStatus,
  });
  const key = subjectKey(complaint.subject, matchInstitution(complaint.subject.institutionName, institutions));
  try {
    await recordTriage(receiptNo, result, event, key, complaint.submittedAt, complaint.status);
    return result;
  } catch (err) {
    // A retried step (or a replay) finds the first result: triage happens once.
    if (err instanceof AlreadyTriagedError) return err.triage;
    throw err;
  }
}
