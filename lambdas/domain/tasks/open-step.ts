/**
 * Opening a human step of a workflow: called by the waitForTaskToken task that carries the token. It
 * writes the step, its first task (with its SLA in working days) and the audit event in one transaction;
 * the case enters the status that step stands for. A retried or replayed open finds the step and does
 * nothing more.
 *
 * Step Functions gives each attempt of the task a new token, so a Retry after an attempt that wrote the
 * step but failed afterwards (a throttled status change, a Lambda service error) opens with another
 * token. The step is therefore keyed by its waiting point (case, kind, department), not by the token: the
 * retry finds the open step of that waiting point and hands it the new token, so the inbox keeps one task
 * and the decision goes to the attempt the workflow waits on.
 */
import { createHash } from 'node:crypto';
import { clock } from '../../platform/clock';
import { logger } from '../../platform/logger';
import { cancellationCodes } from '../../platform/dynamodb';
import { caseUpdate, eventPut, getComplaint, statusFields, transact } from '../complaints/complaint-repository';
import { caseEvent } from '../complaints/events';
import { publicNotes } from '../complaints/public-notes';
import type { PublicStatus } from '../complaints/schemas';
import type { Department, Unit } from '../registry/schemas';
import { dueAfterWorkingDays } from '../calendar/calendar';
import { stepSlaWorkingDays } from '../sla/slas';
import { decisionsOf, type Assignee, type TaskKind } from './schemas';
import { getSlotStepId, getStep, newStepPuts, retokenStep, slotPut, type Step, type Task } from './task-repository';
import { taskTitle } from './titles';

export const stepIdOf = (token: string) => createHash('sha256').update(token).digest('hex').slice(0, 32);
export const taskIdOf = (stepId: string, n: number) => createHash('sha256').update(`${stepId}:${n}`).digest('hex').slice(0, 32);

/** The public status a case enters when a step of this kind opens, with the citizen's note. */
const PHASES: Partial<Record<TaskKind, { status: PublicStatus; note: string }>> = {
  investigate: { status: 'investigating', note: publicNotes.investigating },
  department_signoff: { status: 'joint_enforcement', note: publicNotes.jointEnforcement },
};

export interface OpenStepInput {
  kind: TaskKind;
  receiptNo: string;
  taskToken: string;
  unit?: Unit;
  department?: Department;
}

export async function openStep(input: OpenStepInput): Promise<{ stepId: string; taskId: string }> {
  const now = clock.now();
  const complaint = await getComplaint(input.receiptNo);
  if (!complaint) throw new Error(`Complaint ${input.receiptNo} does not exist`);
  const phase = PHASES[input.kind];
  const slotStepId = await getSlotStepId(input.receiptNo, input.kind, input.department);
  const current = slotStepId ? await getStep(slotStepId) : undefined;
  if (current?.status === 'open' && (current.token === input.taskToken || (await retokenStep(current.stepId, current.token, input.taskToken)))) {
    // The same waiting point again (a retry or a replay of its opening): its step and task stand.
    if (current.token !== input.taskToken) logger.info('step opened again by a retried task: it keeps its task and takes the new token', { receiptNo: input.receiptNo, kind: input.kind, stepId: current.stepId });
    if (phase && complaint.status !== phase.status) await enterPhase(input.receiptNo, complaint, phase, now);
    return { stepId: current.stepId, taskId: current.taskIds[0] };
  }
  const stepId = stepIdOf(input.taskToken);
  const taskId = taskIdOf(stepId, 0);
  const assignee: Assignee = input.kind === 'department_signoff'
    ? { role: 'department_officer', department: input.department }
    : { role: 'group_officer', unit: input.unit ?? complaint.unit };
  if (!assignee.unit && !assignee.department) throw new Error(`Step ${input.kind} of ${input.receiptNo} has no unit or department`);
  const step: Step = { stepId, token: input.taskToken, kind: input.kind, receiptNo: input.receiptNo, status: 'open', taskIds: [taskId], openedAt: now.toISOString() };
  const task: Task = {
    taskId,
    stepId,
    kind: input.kind,
    receiptNo: input.receiptNo,
    title: taskTitle(input.kind, input.receiptNo),
    assignee,
    decisions: decisionsOf(input.kind),
    status: 'open',
    openedAt: now.toISOString(),
    dueAt: (await dueAfterWorkingDays(now, stepSlaWorkingDays[input.kind])).toISOString(),
    escalated: false,
  };
  const opened = caseEvent(input.receiptNo, 'task.opened', now, 'system:workflow', {
    kind: input.kind,
    taskId,
    stepId,
    dueAt: task.dueAt,
    ...(assignee.unit ? { unit: assignee.unit } : { department: assignee.department }),
  });
  try {
    await transact([...newStepPuts(step, task), { Put: eventPut(opened) }, slotPut(input.receiptNo, input.kind, input.department, stepId, slotStepId)]);
  } catch (err) {
    // Opened before with this very token (a replay, or decided since): the step and its task exist already.
    // Any other cancellation (the waiting point moved on concurrently, throttling) fails this attempt.
    if (cancellationCodes(err)?.[0] !== 'ConditionalCheckFailed') throw err;
  }
  if (phase && complaint.status !== phase.status) await enterPhase(input.receiptNo, complaint, phase, now);
  return { stepId, taskId };
}

async function enterPhase(receiptNo: string, complaint: { submittedAt: string; unit?: Unit }, phase: { status: PublicStatus; note: string }, now: Date) {
  try {
    await transact([
      {
        Update: caseUpdate(receiptNo, {
          set: statusFields(complaint, phase.status),
          // Parallel sign-off steps open together: the first one moves the case, the others find it moved.
          condition: { expression: '#status <> :next AND #status <> :closed', names: { '#status': 'status' }, values: { ':next': phase.status, ':closed': 'closed' } },
        }),
      },
      { Put: eventPut(caseEvent(receiptNo, 'status.changed', now, 'system:workflow', { publicStatus: phase.status, publicNote: phase.note })) },
    ]);
  } catch (err) {
    if (cancellationCodes(err)?.[0] !== 'ConditionalCheckFailed') throw err;
  }
}
