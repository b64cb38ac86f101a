/**
 * SLA escalation (schedule escalate-overdue-tasks): a task past its due time gets a task of the same kind
 * for the supervisor, sharing its step, so either may decide it; the case is flagged overdue until the
 * step is decided. Nothing is skipped: the original task stays open in its inbox too.
 */
import { clock } from '../../platform/clock';
import { cancellationCodes } from '../../platform/dynamodb';
import { caseUpdate, eventPut, transact } from '../complaints/complaint-repository';
import { caseEvent } from '../complaints/events';
import { dueAfterWorkingDays } from '../calendar/calendar';
import { taskIdOf } from './open-step';
import { escalationTaskPut, overdueTasks, stepUpdate, taskUpdate, type Task } from './task-repository';
import { taskTitle } from './titles';

/** The supervisor's own SLA on an escalated step. */
const SUPERVISOR_SLA_WORKING_DAYS = 1;

export async function escalateOverdueTasks(limit = 100): Promise<{ escalated: number }> {
  const now = clock.now();
  const supervisorDueAt = (await dueAfterWorkingDays(now, SUPERVISOR_SLA_WORKING_DAYS)).toISOString();
  let escalated = 0;
  for (const task of await overdueTasks(now.toISOString(), limit)) {
    if (task.status !== 'open') continue;
    const escalation: Task = {
      taskId: taskIdOf(task.stepId, 1),
      stepId: task.stepId,
      kind: task.kind,
      receiptNo: task.receiptNo,
      title: taskTitle(task.kind, task.receiptNo, true),
      assignee: { role: 'supervisor' },
      decisions: task.decisions,
      status: 'open',
      openedAt: now.toISOString(),
      dueAt: supervisorDueAt,
      escalated: true,
      escalationOf: task.taskId,
    };
    try {
      await transact([
        taskUpdate(task.taskId, {
          set: { escalated: true },
          remove: ['openPk', 'openSk'],
          condition: { expression: '#status = :open AND attribute_exists(#openPk)', names: { '#status': 'status', '#openPk': 'openPk' }, values: { ':open': 'open' } },
        }),
        escalationTaskPut(escalation),
        stepUpdate(task.stepId, {
          set: { taskIds: [task.taskId, escalation.taskId] },
          condition: { expression: '#status = :open', names: { '#status': 'status' }, values: { ':open': 'open' } },
        }),
        { Update: caseUpdate(task.receiptNo, { add: { overdueSteps: new Set([task.stepId]) } }) },
        {
          Put: eventPut(
            caseEvent(task.receiptNo, 'task.escalated', now, 'system:sla', {
              kind: task.kind,
              taskId: task.taskId,
              escalationTaskId: escalation.taskId,
              stepId: task.stepId,
              dueAt: task.dueAt,
              internalNote: `SLA missed (due ${task.dueAt}): escalated to the supervisor`,
            }),
          ),
        },
      ]);
      escalated++;
    } catch (err) {
      // Completed or escalated meanwhile: nothing to do.
      if (!cancellationCodes(err)?.includes('ConditionalCheckFailed')) throw err;
    }
  }
  return { escalated };
}
