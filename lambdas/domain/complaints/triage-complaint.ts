/**
 * The workflow's first automatic step: triage a stored complaint and record it on the case, once.
 * A report about the same subject as an open case is linked to the oldest such case (the primary).
 */
import { clock } from '../../platform/clock';
import { listInstitutions, listSchools } from '../registry/registry-repository';
import { AlreadyTriagedError, getComplaint, openCasesAbout, PrimaryClosedError, recordTriage } from './complaint-repository';
import { caseEvent } from './events';
import { publicNotes } from './public-notes';
import type { Complaint, Triage } from './model';
import { matchInstitution, subjectKey, triage } from './triage-rules';

export interface TriageResult extends Triage {
  duplicateOf: string | null;
  category: Complaint['category'];
}

export async function triageComplaint(receiptNo: string, linkDuplicates = true): Promise<TriageResult> {
  const complaint = await getComplaint(receiptNo);
  if (!complaint) throw new Error(`Complaint ${receiptNo} does not exist`);
  if (complaint.triage) return { ...complaint.triage, duplicateOf: complaint.duplicateOf ?? null, category: complaint.category };
  const [institutions, schools] = await Promise.all([listInstitutions(), listSchools()]);
  const now = clock.now();
  const result = triage(complaint, { institutions, schools }, now);
  const key = subjectKey(complaint.subject, matchInstitution(complaint.subject.institutionName, institutions));
  const primary = key && linkDuplicates
    ? (await openCasesAbout(key, complaint.submittedAt)).find((c) => c.receiptNo !== receiptNo)
    : undefined;
  const event = caseEvent(receiptNo, 'triaged', now, 'system:triage', {
    publicStatus: complaint.status,
    publicNote: primary ? publicNotes.linked : publicNotes.routed,
    internalNote: primary ? `${result.reason}; duplicate of ${primary.receiptNo}` : result.reason,
    unit: result.unit,
    institutionStatus: result.institutionStatus,
    ...(primary ? { duplicateOf: primary.receiptNo } : {}),
  });
  try {
    await recordTriage(complaint, result, event, key, primary?.receiptNo);
    return { ...result, duplicateOf: primary?.receiptNo ?? null, category: complaint.category };
  } catch (err) {
    // A retried step (or a replay) finds the first result: triage happens once.
    if (err instanceof AlreadyTriagedError) return { ...err.triage, duplicateOf: (await getComplaint(receiptNo))?.duplicateOf ?? null, category: complaint.category };
    if (err instanceof PrimaryClosedError) return triageComplaint(receiptNo, false);
    throw err;
  }
}
