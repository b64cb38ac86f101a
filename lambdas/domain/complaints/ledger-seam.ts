/**
 * The seam to the rectification ledger (PRODUCT.md §2, issue 4): a confirmed `homework_burden` complaint
 * must open an item in the school's rectification plan. Until the ledger exists, the request is recorded
 * as an audit event of the case (type ...rectification-ledger.item-requested) carrying the item draft;
 * the ledger will create the item from it in the same transaction that records the decision.
 */
import type { CaseEvent, Complaint } from './model';
import { caseEvent } from './events';

export interface LedgerItemDraft {
  source: 'complaint_case';
  sourceRef: string;
  schoolName?: string;
  description: string;
  measure: string;
}

export function ledgerItemRequest(complaint: Complaint, findings: string, at: Date, actor: string): CaseEvent | undefined {
  if (complaint.category !== 'homework_burden') return undefined;
  const draft: LedgerItemDraft = {
    source: 'complaint_case',
    sourceRef: complaint.receiptNo,
    schoolName: complaint.subject.schoolName,
    description: findings,
    measure: 'Reduce homework to the national limits and report the measures taken',
  };
  return caseEvent(complaint.receiptNo, 'rectification-ledger.item-requested', at, actor, { draft });
}
