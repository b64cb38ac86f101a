/**
 * A confirmed homework-burden complaint opens an item in the named school's rectification plan
 * (PRODUCT.md §1, step 7). The item id derives from the receipt number, so a retried step opens nothing
 * twice; the case's audit event is written in the item's transaction, so it is there exactly once too.
 * When the complaint names no registered school, the case records that instead (once).
 */
import { createHash } from 'node:crypto';
import { clock } from '../../platform/clock';
import { openItemOnce } from '../rectification/open-items';
import { appendEvent, eventPut, getComplaint, listEvents } from './complaint-repository';
import { caseEvent } from './events';

export async function raiseLedgerItem(receiptNo: string, findings: string): Promise<{ itemId: string | null }> {
  const complaint = await getComplaint(receiptNo);
  if (!complaint) throw new Error(`Complaint ${receiptNo} does not exist`);
  const schoolId = complaint.triage?.schoolId;
  const now = clock.now();
  if (!schoolId) {
    if ((await listEvents(receiptNo)).some((e) => e.type.endsWith('.rectification-ledger.no-school'))) return { itemId: null };
    await appendEvent(caseEvent(receiptNo, 'rectification-ledger.no-school', now, 'system:workflow', { internalNote: 'No registered school is named: no ledger item opened; add one by hand if needed' }));
    return { itemId: null };
  }
  const suffix = createHash('sha256').update(receiptNo).digest('hex').slice(0, 10);
  const { itemId } = await openItemOnce(
    schoolId,
    { source: 'complaint_case', sourceRef: receiptNo, description: findings, measure: 'Reduce homework to the national limits and report the measures taken', owner: '校长 Principal', idSuffix: suffix },
    'system:complaint-workflow',
    (id) => [{ Put: eventPut(caseEvent(receiptNo, 'rectification-ledger.item-opened', now, 'system:workflow', { itemId: id, schoolId })) }],
  );
  return { itemId };
}
