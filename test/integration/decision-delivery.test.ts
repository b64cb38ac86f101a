/**
 * "A crash between the conditional write and SendTaskSuccess is recovered, not left hanging": with the
 * real DynamoDB Local, and the workflow engine's answers scripted (the engine down, then back).
 */
import { mockClient } from 'aws-sdk-client-mock';
import { SendTaskSuccessCommand, SFNClient, TaskTimedOut } from '@aws-sdk/client-sfn';
import type { DynamodbLocal } from '../../local/dynamodb/dynamodb-local';
import { startFaultProxy, type FaultProxy } from '../../local/dynamodb/fault-proxy';
import { startTestDatabase } from '../support/local-dynamodb';
import { clock } from '../../lambdas/platform/clock';

jest.setTimeout(60_000);

const sfn = mockClient(SFNClient);
let db: DynamodbLocal;
let faults: FaultProxy;
let openStep: typeof import('../../lambdas/domain/tasks/open-step');
let complete: typeof import('../../lambdas/domain/tasks/complete-task');
let deliver: typeof import('../../lambdas/domain/tasks/deliver');
let tasks: typeof import('../../lambdas/domain/tasks/task-repository');

beforeAll(async () => {
  ({ db } = await startTestDatabase());
  // The handlers' path to the database goes through the fault-injection proxy, as on `npm start`.
  faults = await startFaultProxy({ target: db.endpoint });
  process.env.AWS_ENDPOINT_URL_DYNAMODB = faults.endpoint;
  const repo = await import('../../lambdas/domain/complaints/complaint-repository');
  const events = await import('../../lambdas/domain/complaints/events');
  openStep = await import('../../lambdas/domain/tasks/open-step');
  complete = await import('../../lambdas/domain/tasks/complete-task');
  deliver = await import('../../lambdas/domain/tasks/deliver');
  tasks = await import('../../lambdas/domain/tasks/task-repository');
  for (const receiptNo of ['TS-2033-000001', 'TS-2033-000002', 'TS-2033-000003', 'TS-2033-000004']) {
    const now = clock.now();
    await repo.insertComplaint(
      { receiptNo, category: 'other', description: '一个用于测试的投诉描述。', subject: {}, anonymous: true, hasContact: false, status: 'received', submittedAt: now.toISOString(), accessCode: { hash: '00'.repeat(32), salt: '11'.repeat(16) }, overdueSteps: [], unit: 'group_1' },
      undefined,
      events.caseEvent(receiptNo, 'received', now, 'citizen', {}),
    );
  }
});
afterAll(async () => {
  await faults?.stop();
  await db?.stop();
});
beforeEach(() => sfn.reset());
afterEach(() => faults.clear());

const officer = { username: 'group_1', role: 'group_officer' as const, unit: 'group_1' as const };

it('keeps a decision the engine did not take, and the redelivery schedule hands it over once the engine is back', async () => {
  const { taskId, stepId } = await openStep.openStep({ kind: 'accept_case', receiptNo: 'TS-2033-000001', taskToken: 'token-one', unit: 'group_1' });
  sfn.on(SendTaskSuccessCommand).rejects(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1'), { name: 'Error' }));
  const { view } = await complete.completeTask(officer, taskId, { decision: 'accept' });
  expect(view.status).toBe('completed');
  expect((await tasks.getStep(stepId))?.status).toBe('decided');
  expect((await tasks.undeliveredSteps(10)).map((s) => s.stepId)).toContain(stepId);

  sfn.reset();
  sfn.on(SendTaskSuccessCommand).resolves({});
  expect(await deliver.redeliverDecisions()).toEqual({ delivered: 1, pending: 0 });
  const sent = sfn.commandCalls(SendTaskSuccessCommand);
  expect(sent).toHaveLength(1);
  expect(sent[0].args[0].input.taskToken).toBe('token-one');
  expect(JSON.parse(sent[0].args[0].input.output ?? '{}')).toMatchObject({ decision: 'accept', completedBy: 'group_1' });
  expect((await tasks.getStep(stepId))?.status).toBe('delivered');
  expect(await deliver.redeliverDecisions()).toEqual({ delivered: 0, pending: 0 });
});

it('stops retrying a decision whose execution no longer waits for it', async () => {
  const { taskId, stepId } = await openStep.openStep({ kind: 'accept_case', receiptNo: 'TS-2033-000002', taskToken: 'token-two', unit: 'group_1' });
  sfn.on(SendTaskSuccessCommand).rejects(new TaskTimedOut({ message: 'Task Timed Out', $metadata: {} }));
  await complete.completeTask(officer, taskId, { decision: 'accept' });
  expect((await tasks.getStep(stepId))?.status).toBe('delivered');
  expect((await tasks.undeliveredSteps(10)).map((s) => s.stepId)).not.toContain(stepId);
});

it('opens a step once however often the workflow retries the opening', async () => {
  const first = await openStep.openStep({ kind: 'investigate', receiptNo: 'TS-2033-000002', taskToken: 'token-three', unit: 'group_1' });
  const again = await openStep.openStep({ kind: 'investigate', receiptNo: 'TS-2033-000002', taskToken: 'token-three', unit: 'group_1' });
  expect(again).toEqual(first);
  const inbox = await tasks.openTasksOf('UNIT#group_1');
  expect(inbox.filter((t) => t.stepId === first.stepId)).toHaveLength(1);
});

it('reuses the open step when the workflow retries its opening with a new token, and the decision goes to the newest token', async () => {
  // Step Functions gives every attempt of a waitForTaskToken task a new token: a Retry after an attempt
  // that wrote the step but failed afterwards (e.g. a throttled status change) opens with another token.
  const first = await openStep.openStep({ kind: 'investigate', receiptNo: 'TS-2033-000003', taskToken: 'token-four-attempt-1', unit: 'group_1' });
  const retried = await openStep.openStep({ kind: 'investigate', receiptNo: 'TS-2033-000003', taskToken: 'token-four-attempt-2', unit: 'group_1' });
  expect(retried).toEqual(first);
  const inbox = (await tasks.openTasksOf('UNIT#group_1')).filter((t) => t.receiptNo === 'TS-2033-000003');
  expect(inbox.map((t) => t.taskId)).toEqual([first.taskId]);

  sfn.on(SendTaskSuccessCommand).resolves({});
  await complete.completeTask(officer, first.taskId, { decision: 'violation_confirmed', data: { findings: '发现问题。', departments: [] } });
  const sent = sfn.commandCalls(SendTaskSuccessCommand);
  expect(sent.map((c) => c.args[0].input.taskToken)).toEqual(['token-four-attempt-2']);

  // A later step of the same kind (e.g. after a transfer, or the next re-inspection) is a new step.
  const next = await openStep.openStep({ kind: 'investigate', receiptNo: 'TS-2033-000003', taskToken: 'token-five', unit: 'group_1' });
  expect(next.stepId).not.toBe(first.stepId);
});

it('answers a completed task as completed when only the delivery bookkeeping after SendTaskSuccess fails, and the schedule records it later', async () => {
  const { taskId, stepId } = await openStep.openStep({ kind: 'accept_case', receiptNo: 'TS-2033-000004', taskToken: 'token-six', unit: 'group_1' });
  sfn.on(SendTaskSuccessCommand).resolves({});
  // Every UpdateItem of the tasks table throttled: the decision's transaction and its delivery go through.
  faults.set({ error: 'ProvisionedThroughputExceededException', rate: 1, tables: ['tasks'], operations: ['UpdateItem'] });
  const { view } = await complete.completeTask(officer, taskId, { decision: 'accept' });
  const injected = faults.clear().injected.total;
  expect(view.status).toBe('completed');
  expect(injected).toBeGreaterThan(0);
  expect(sfn.commandCalls(SendTaskSuccessCommand)).toHaveLength(1);
  expect((await tasks.getStep(stepId))?.status).toBe('decided');

  // The token is no longer awaited (the engine took the decision): the schedule records the step as done.
  sfn.reset();
  sfn.on(SendTaskSuccessCommand).rejects(new TaskTimedOut({ message: 'Task Timed Out', $metadata: {} }));
  expect(await deliver.redeliverDecisions()).toEqual({ delivered: 1, pending: 0 });
  expect((await tasks.getStep(stepId))?.status).toBe('delivered');
});
