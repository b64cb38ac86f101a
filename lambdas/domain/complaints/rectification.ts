/**
 * A confirmed violation gets a rectification deadline in working days (the latest decision's
 * rectificationDays, else the default); the workflow waits until then and opens a re-inspection.
 * Each round is recorded once: a retried step returns the deadline it set before.
 */
import { clock } from '../../platform/clock';
import { districtDate } from '../../platform/dates';
import { cancellationCodes } from '../../platform/dynamodb';
import { dueAfterWorkingDays } from '../calendar/calendar';
import { DEFAULT_RECTIFICATION_WORKING_DAYS } from '../sla/slas';
import { caseUpdate, eventPut, getComplaint, statusFields, transact } from './complaint-repository';
import { caseEvent } from './events';
import { publicNotes } from './public-notes';

interface WorkflowState {
  investigation?: { data?: { rectificationDays?: number } };
  reinspection?: { decision?: string; data?: { rectificationDays?: number } };
  rectification?: { round?: number };
}

export async function startRectification(receiptNo: string, state: WorkflowState): Promise<{ reinspectAt: string; round: number }> {
  const complaint = await getComplaint(receiptNo);
  if (!complaint) throw new Error(`Complaint ${receiptNo} does not exist`);
  const round = (state.rectification?.round ?? 0) + 1;
  const days = (round > 1 ? state.reinspection?.data?.rectificationDays : state.investigation?.data?.rectificationDays) ?? DEFAULT_RECTIFICATION_WORKING_DAYS;
  const now = clock.now();
  const deadline = await dueAfterWorkingDays(now, days);
  try {
    await transact([
      {
        Update: caseUpdate(receiptNo, {
          set: { ...statusFields(complaint, 'rectifying'), rectification: { round, deadline: deadline.toISOString(), workingDays: days } },
          condition: {
            expression: 'attribute_not_exists(#r) OR #r.#round < :round',
            names: { '#r': 'rectification', '#round': 'round' },
            values: { ':round': round },
          },
        }),
      },
      {
        Put: eventPut(
          caseEvent(receiptNo, 'rectification.started', now, 'system:workflow', {
            publicStatus: 'rectifying',
            publicNote: round === 1 ? publicNotes.rectifying(districtDate(deadline)) : publicNotes.rectifyingAgain(districtDate(deadline)),
            round,
            deadline: deadline.toISOString(),
          }),
        ),
      },
    ]);
    return { reinspectAt: deadline.toISOString(), round };
  } catch (err) {
    if (cancellationCodes(err)?.[0] !== 'ConditionalCheckFailed') throw err;
    const stored = await getComplaint(receiptNo);
    if (!stored?.rectification) throw err;
    return { reinspectAt: stored.rectification.deadline, round: stored.rectification.round };
  }
}
