/**
 * Data access for tasks and workflow steps (table spec: lib/spec/tables.ts → tasks).
 * A step is one waiting point of a workflow (one task token). Its tasks are the inbox entries that may
 * complete it: the first for the routed unit or department, a later one for the supervisor when the SLA
 * is missed. Whichever is completed first decides the step (a conditional write on the step).
 */
import { GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { buildUpdate, documents, queryAll, type UpdateSpec } from '../../platform/dynamodb';
import { tableNameFor } from '../../platform/config';
import type { Assignee, StepOutcome, TaskKind } from './schemas';

const TABLE = tableNameFor('tasks');

export interface Step {
  stepId: string;
  token: string;
  kind: TaskKind;
  receiptNo: string;
  status: 'open' | 'decided' | 'delivered';
  taskIds: string[];
  openedAt: string;
  outcome?: StepOutcome;
}

export interface Task {
  taskId: string;
  stepId: string;
  kind: TaskKind;
  receiptNo: string;
  title: string;
  assignee: Assignee;
  decisions: string[];
  status: 'open' | 'completed' | 'superseded';
  openedAt: string;
  dueAt: string;
  escalated: boolean;
  escalationOf?: string;
  decision?: string;
  completedBy?: string;
  completedAt?: string;
}

export const keys = {
  task: (taskId: string) => ({ pk: `TASK#${taskId}` }),
  step: (stepId: string) => ({ pk: `STEP#${stepId}` }),
  /** One waiting point of a case's workflow (kind, and department for sign-offs): the step it has open now. */
  slot: (receiptNo: string, kind: TaskKind, department?: string) => ({ pk: `SLOT#${receiptNo}#${kind}${department ? `#${department}` : ''}` }),
  assignee: (a: Assignee) => (a.role === 'supervisor' ? 'ROLE#supervisor' : a.unit ? `UNIT#${a.unit}` : `DEPT#${a.department}`),
};

/** Index attributes an open task carries; a closed task drops them, leaving the sparse indexes. */
function openIndexes(t: Task): Record<string, string> {
  return {
    assigneePk: keys.assignee(t.assignee),
    assigneeSk: `${t.dueAt}#${t.taskId}`,
    // Supervisor tasks are the end of the escalation line: they do not escalate again.
    ...(t.assignee.role === 'supervisor' ? {} : { openPk: 'OPEN', openSk: `${t.dueAt}#${t.taskId}` }),
  };
}
export const CLOSED_TASK_INDEXES = ['assigneePk', 'assigneeSk', 'openPk', 'openSk'];

function taskFromItem(i: Record<string, unknown>): Task {
  return {
    taskId: i.taskId as string,
    stepId: i.stepId as string,
    kind: i.kind as TaskKind,
    receiptNo: i.receiptNo as string,
    title: i.title as string,
    assignee: i.assignee as Assignee,
    decisions: i.decisions as string[],
    status: i.status as Task['status'],
    openedAt: i.openedAt as string,
    dueAt: i.dueAt as string,
    escalated: Boolean(i.escalated),
    escalationOf: i.escalationOf as string | undefined,
    decision: i.decision as string | undefined,
    completedBy: i.completedBy as string | undefined,
    completedAt: i.completedAt as string | undefined,
  };
}

function stepFromItem(i: Record<string, unknown>): Step {
  return {
    stepId: i.stepId as string,
    token: i.token as string,
    kind: i.kind as TaskKind,
    receiptNo: i.receiptNo as string,
    status: i.status as Step['status'],
    taskIds: i.taskIds as string[],
    openedAt: i.openedAt as string,
    outcome: i.outcome as StepOutcome | undefined,
  };
}

/** Puts for a transaction: a new step and its first task, each only if absent (a retried open is a no-op). */
export function newStepPuts(step: Step, task: Task) {
  const absent = { ConditionExpression: 'attribute_not_exists(#pk)', ExpressionAttributeNames: { '#pk': 'pk' } };
  return [
    { Put: { TableName: TABLE, Item: { ...keys.step(step.stepId), entity: 'step', ...step }, ...absent } },
    { Put: { TableName: TABLE, Item: { ...keys.task(task.taskId), entity: 'task', ...task, ...openIndexes(task) }, ...absent } },
  ];
}

/** The step that a waiting point of a case has open, if it ever had one. */
export async function getSlotStepId(receiptNo: string, kind: TaskKind, department?: string): Promise<string | undefined> {
  const out = await documents.send(new GetCommand({ TableName: TABLE, Key: keys.slot(receiptNo, kind, department), ConsistentRead: true }));
  return out.Item?.stepId as string | undefined;
}

/** A transaction's Put pointing the waiting point at a new step, only if it still points where we read it. */
export function slotPut(receiptNo: string, kind: TaskKind, department: string | undefined, stepId: string, previous: string | undefined) {
  const condition: { ConditionExpression: string; ExpressionAttributeNames: Record<string, string>; ExpressionAttributeValues?: Record<string, string> } =
    previous === undefined
      ? { ConditionExpression: 'attribute_not_exists(#pk)', ExpressionAttributeNames: { '#pk': 'pk' } }
      : { ConditionExpression: '#stepId = :previous', ExpressionAttributeNames: { '#stepId': 'stepId' }, ExpressionAttributeValues: { ':previous': previous } };
  return {
    Put: {
      TableName: TABLE,
      Item: { ...keys.slot(receiptNo, kind, department), entity: 'slot', receiptNo, kind, ...(department ? { department } : {}), stepId },
      ...condition,
    },
  };
}

/**
 * Hands an open step to a new task token (a retried attempt of the workflow task that opened it); false
 * when the step was decided in the meantime or already carries another token.
 */
export async function retokenStep(stepId: string, fromToken: string, toToken: string): Promise<boolean> {
  try {
    await documents.send(
      new UpdateCommand(
        stepUpdate(stepId, {
          set: { token: toToken },
          condition: { expression: '#status = :open AND #token = :from', names: { '#status': 'status', '#token': 'token' }, values: { ':open': 'open', ':from': fromToken } },
        }).Update,
      ),
    );
    return true;
  } catch (err) {
    if (err instanceof ConditionalCheckFailedException) return false;
    throw err;
  }
}

/** The Put of an escalation task, for a transaction. */
export function escalationTaskPut(task: Task) {
  return {
    Put: {
      TableName: TABLE,
      Item: { ...keys.task(task.taskId), entity: 'task', ...task, ...openIndexes(task) },
      ConditionExpression: 'attribute_not_exists(#pk)',
      ExpressionAttributeNames: { '#pk': 'pk' },
    },
  };
}

export const taskUpdate = (taskId: string, u: Omit<UpdateSpec, 'TableName' | 'Key'>) => ({ Update: buildUpdate({ TableName: TABLE, Key: keys.task(taskId), ...u }) });
export const stepUpdate = (stepId: string, u: Omit<UpdateSpec, 'TableName' | 'Key'>) => ({ Update: buildUpdate({ TableName: TABLE, Key: keys.step(stepId), ...u }) });

export async function getTask(taskId: string): Promise<Task | undefined> {
  const out = await documents.send(new GetCommand({ TableName: TABLE, Key: keys.task(taskId), ConsistentRead: true }));
  return out.Item ? taskFromItem(out.Item) : undefined;
}

export async function getStep(stepId: string): Promise<Step | undefined> {
  const out = await documents.send(new GetCommand({ TableName: TABLE, Key: keys.step(stepId), ConsistentRead: true }));
  return out.Item ? stepFromItem(out.Item) : undefined;
}

/** An inbox: the open tasks of one assignee, earliest due first. */
export async function openTasksOf(assigneePk: string): Promise<Task[]> {
  const items = await queryAll({
    TableName: TABLE,
    IndexName: 'byAssignee',
    KeyConditionExpression: '#p = :p',
    ExpressionAttributeNames: { '#p': 'assigneePk' },
    ExpressionAttributeValues: { ':p': assigneePk },
  });
  // The index is eventually consistent: a task closed a moment ago may still be listed.
  return items.map(taskFromItem).filter((t) => t.status === 'open');
}

/** Open, not yet escalated tasks due before `before`, earliest first. */
export async function overdueTasks(before: string, limit: number): Promise<Task[]> {
  const out = await documents.send(
    new QueryCommand({
      TableName: TABLE,
      IndexName: 'openByDue',
      KeyConditionExpression: '#p = :p AND #s < :before',
      ExpressionAttributeNames: { '#p': 'openPk', '#s': 'openSk' },
      ExpressionAttributeValues: { ':p': 'OPEN', ':before': before },
      Limit: limit,
    }),
  );
  return (out.Items ?? []).map(taskFromItem);
}

/** Steps decided but whose decision the workflow engine has not confirmed. */
export async function undeliveredSteps(limit: number): Promise<Step[]> {
  const out = await documents.send(
    new QueryCommand({
      TableName: TABLE,
      IndexName: 'pendingDelivery',
      KeyConditionExpression: '#p = :p',
      ExpressionAttributeNames: { '#p': 'deliveryPk' },
      ExpressionAttributeValues: { ':p': 'PENDING' },
      Limit: limit,
    }),
  );
  return (out.Items ?? []).map(stepFromItem);
}

/** The tasks of a case's steps are found through its audit trail; this reads several at once. */
export async function getTasks(taskIds: string[]): Promise<Task[]> {
  const tasks = await Promise.all(taskIds.map(getTask));
  return tasks.filter((t): t is Task => t !== undefined);
}
