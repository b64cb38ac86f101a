/**
 * Completing a task: exactly once. The step, the task, its sibling tasks (an escalation) and the case
 * change in one transaction conditioned on the step still being open, so of two concurrent completions
 * one wins and the other gets 409. The decision is then delivered to the workflow (see deliver.ts).
 *
 * With an Idempotency-Key (per official and task), the answer is kept in the same transaction: a retry after
 * an answer that never arrived (a timeout, a 503 after the write) gets the first answer again, not a 409.
 */
import * as z from 'zod';
import { clock } from '../../platform/clock';
import { cancellationCodes } from '../../platform/dynamodb';
import { ConflictError, ForbiddenError, InvalidInputError, NotFoundError } from '../../platform/errors';
import { caseUpdate, eventPut, getComplaint, statusFields, transact } from '../complaints/complaint-repository';
import { caseEvent } from '../complaints/events';
import { publicNotes } from '../complaints/public-notes';
import type { Official } from '../registry/schemas';
import { mayWork } from './access';
import { deliverDecision } from './deliver';
import { decisionData, type CompleteTaskRequest, type StepOutcome, type TaskView } from './schemas';
import { CLOSED_TASK_INDEXES, getStep, getTask, stepUpdate, taskUpdate } from './task-repository';
import { taskView } from './views';
import { claimFor, idempotencyPut, priorAnswer, type IdempotencyClaim } from '../idempotency';

const MAX_CONFLICT_RETRIES = 4;

export async function completeTask(official: Official, taskId: string, request: CompleteTaskRequest, idempotencyKey?: string): Promise<{ view: TaskView; replayed: boolean }> {
  const task = await getTask(taskId);
  if (!task) throw new NotFoundError('No such task');
  if (!mayWork(official, task.assignee)) throw new ForbiddenError('This task belongs to another unit, department or role');
  const schemas = decisionData[task.kind] as Record<string, z.ZodType>;
  // Own keys only: a decision called "constructor" or "__proto__" names no schema (it would find Object's).
  const schema = Object.hasOwn(schemas, request.decision) ? schemas[request.decision] : undefined;
  if (!schema) {
    throw new InvalidInputError(`decision must be one of ${task.decisions.join(', ')}`, [
      { field: 'decision', message: `must be one of ${task.decisions.join(', ')}`, in: 'body' },
    ]);
  }
  const parsed = schema.safeParse(request.data ?? {});
  if (!parsed.success) {
    throw new InvalidInputError('The decision data is invalid: see details', parsed.error.issues.map((i) => ({ field: ['data', ...i.path.map(String)].join('.'), message: i.message, in: 'body' as const })));
  }
  const data = parsed.data as Record<string, unknown>;
  // The key's fingerprint is taken of the request as its decision's schema parsed it (bounded: never the
  // raw data, which may nest as deep as a hostile client likes).
  const claim: IdempotencyClaim | undefined = idempotencyKey ? claimFor(`POST /api/tasks/${taskId}/complete#${official.username}`, idempotencyKey, { decision: request.decision, comment: request.comment, data }) : undefined;
  if (claim) {
    const prior = await replayOrReject(claim);
    if (prior) return prior;
  }
  if (task.status !== 'open') throw new ConflictError('This task is no longer open', 'task_closed');
  const complaint = await getComplaint(task.receiptNo);
  if (!complaint) throw new NotFoundError('The case of this task no longer exists');
  if (request.decision === 'transfer' && data.unit === complaint.unit) {
    throw new InvalidInputError('A case is transferred to another unit', [{ field: 'data.unit', message: 'must differ from the unit handling the case', in: 'body' }]);
  }
  const step = await getStep(task.stepId);
  if (!step || step.status !== 'open') throw new ConflictError('This step has already been decided', 'task_closed');

  const now = clock.now();
  const outcome: StepOutcome = { decision: request.decision, data, comment: request.comment ?? null, completedBy: official.username, completedAt: now.toISOString() };
  const siblings = step.taskIds.filter((id) => id !== taskId);
  const caseChange: Record<string, unknown> =
    request.decision === 'accept'
      ? statusFields(complaint, 'accepted')
      : request.decision === 'transfer'
        ? { unit: data.unit, ...statusFields(complaint, complaint.status, data.unit as typeof complaint.unit) }
        : {};
  const event = caseEvent(task.receiptNo, 'task.completed', now, `official:${official.username}`, {
    kind: task.kind,
    taskId,
    stepId: step.stepId,
    decision: request.decision,
    decisionData: data,
    ...(request.comment ? { internalNote: request.comment } : {}),
    ...(request.decision === 'accept' ? { publicStatus: 'accepted' as const, publicNote: publicNotes.accepted } : {}),
    ...(request.decision === 'transfer' ? { fromUnit: complaint.unit, toUnit: data.unit } : {}),
  });
  const items = [
    stepUpdate(step.stepId, {
      set: { status: 'decided', outcome, deliveryPk: 'PENDING', deliverySk: now.toISOString() },
      // Still open, and still waiting on the token read above (a retried opening hands the step a new one).
      condition: { expression: '#status = :open AND #token = :token', names: { '#status': 'status', '#token': 'token' }, values: { ':open': 'open', ':token': step.token } },
    }),
    taskUpdate(taskId, {
      set: { status: 'completed', decision: request.decision, completedBy: official.username, completedAt: outcome.completedAt },
      remove: CLOSED_TASK_INDEXES,
      condition: { expression: '#status = :open', names: { '#status': 'status' }, values: { ':open': 'open' } },
    }),
    ...siblings.map((id) => taskUpdate(id, { set: { status: 'superseded' }, remove: CLOSED_TASK_INDEXES })),
    ...(Object.keys(caseChange).length || complaint.overdueSteps.includes(step.stepId)
      ? [
          {
            Update: caseUpdate(task.receiptNo, {
              set: caseChange,
              ...(complaint.overdueSteps.includes(step.stepId) ? { delete: { overdueSteps: new Set([step.stepId]) } } : {}),
            }),
          },
        ]
      : []),
    { Put: eventPut(event) },
  ];
  const view = taskView({ ...task, status: 'completed', decision: request.decision, completedBy: official.username, completedAt: outcome.completedAt }, now);
  try {
    await transactOnce(claim ? [...items, idempotencyPut({ claim, statusCode: 200, body: view, now })] : items, claim ? items.length : undefined);
  } catch (err) {
    // The same key a moment ago, at the same time: answer what it answered.
    if (claim && err instanceof IdempotencyRace) {
      const prior = await replayOrReject(claim);
      if (prior) return prior;
    }
    throw err;
  }
  await deliverDecision(step, outcome);
  return { view, replayed: false };
}

class IdempotencyRace extends Error {}

async function replayOrReject(claim: IdempotencyClaim): Promise<{ view: TaskView; replayed: true } | undefined> {
  const prior = await priorAnswer(claim, clock.now());
  if (prior.kind === 'mismatch') throw new ConflictError('This Idempotency-Key was already used with a different request', 'idempotency_key_reused');
  return prior.kind === 'replay' ? { view: prior.body as TaskView, replayed: true } : undefined;
}

/**
 * Runs the transaction; a lost race is a 409 (an idempotency record's condition at `idempotencyAt`: a
 * race of the same key). DynamoDB cancels both sides of a conflict now and then: retry.
 */
async function transactOnce(items: Parameters<typeof transact>[0], idempotencyAt?: number): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await transact(items);
      return;
    } catch (err) {
      const codes = cancellationCodes(err);
      if (idempotencyAt !== undefined && codes?.[idempotencyAt] === 'ConditionalCheckFailed') throw new IdempotencyRace();
      if (codes?.slice(0, 2).includes('ConditionalCheckFailed')) throw new ConflictError('This task was completed by someone else a moment ago', 'task_closed');
      if (codes?.includes('TransactionConflict') && attempt < MAX_CONFLICT_RETRIES) {
        await new Promise((r) => setTimeout(r, 20 + Math.random() * 80 * (attempt + 1)));
        continue;
      }
      throw err;
    }
  }
}
