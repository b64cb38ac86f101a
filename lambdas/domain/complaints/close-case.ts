/**
 * Closing a case: the outcome becomes public, the complainant is notified (an outbox item in the same
 * transaction: SMS in AWS, the local outbox on one machine), and every duplicate linked to the case is
 * closed with the same outcome. Closing twice (a retried step) changes nothing.
 */
import { randomUUID } from 'node:crypto';
import { clock } from '../../platform/clock';
import { cancellationCodes } from '../../platform/dynamodb';
import { caseUpdate, eventPut, getComplaint, listFollowers, notificationPut, statusFields, transact } from './complaint-repository';
import { caseEvent } from './events';
import { publicNotes } from './public-notes';
import type { Complaint } from './model';

export type OutcomeKind = 'unfounded' | 'rectified' | 'linked';

const DEFAULT_PUBLIC_OUTCOME: Record<Exclude<OutcomeKind, 'linked'>, string> = { unfounded: publicNotes.unfounded, rectified: publicNotes.rectified };

export interface CaseOutcome {
  outcome: OutcomeKind;
  publicOutcome: string;
}

export async function closeCase(receiptNo: string, outcome: Exclude<OutcomeKind, 'linked'>, publicOutcome?: string | null): Promise<CaseOutcome> {
  const complaint = await getComplaint(receiptNo);
  if (!complaint) throw new Error(`Complaint ${receiptNo} does not exist`);
  const result: CaseOutcome = { outcome, publicOutcome: publicOutcome?.trim() || DEFAULT_PUBLIC_OUTCOME[outcome] };
  const closed = await closeOne(complaint, result, 'system:workflow');
  for (const follower of await listFollowers(receiptNo)) {
    const duplicate = await getComplaint(follower);
    if (duplicate) await closeOne(duplicate, { outcome: 'linked', publicOutcome: result.publicOutcome }, `system:linked-to:${receiptNo}`);
  }
  return closed;
}

async function closeOne(complaint: Complaint, result: CaseOutcome, actor: string): Promise<CaseOutcome> {
  const now = clock.now();
  try {
    await transact([
      {
        Update: caseUpdate(complaint.receiptNo, {
          set: { ...statusFields(complaint, 'closed'), outcome: { kind: result.outcome, publicText: result.publicOutcome, at: now.toISOString() }, closedAt: now.toISOString() },
          remove: ['subjectPk', 'subjectSk'],
          condition: { expression: '#status <> :closed', names: { '#status': 'status' }, values: { ':closed': 'closed' } },
        }),
      },
      { Put: eventPut(caseEvent(complaint.receiptNo, 'closed', now, actor, { publicStatus: 'closed', publicNote: result.publicOutcome, outcome: result.outcome })) },
      ...(complaint.hasContact
        ? [
            {
              Put: notificationPut({
                notificationId: randomUUID(),
                receiptNo: complaint.receiptNo,
                channel: 'sms',
                createdAt: now.toISOString(),
                // No personal data and no outcome text in an SMS: the citizen reads it with the access code.
                message: `【前进区教育局】您的投诉举报 ${complaint.receiptNo} 已办结，请凭查询码查看处理结果并评价。Your report ${complaint.receiptNo} is closed: see the outcome with your access code.`,
              }),
            },
          ]
        : []),
    ]);
    return result;
  } catch (err) {
    if (cancellationCodes(err)?.[0] !== 'ConditionalCheckFailed') throw err;
    const stored = await getComplaint(complaint.receiptNo);
    return { outcome: stored?.outcome?.kind ?? result.outcome, publicOutcome: stored?.outcome?.publicText ?? result.publicOutcome };
  }
}
