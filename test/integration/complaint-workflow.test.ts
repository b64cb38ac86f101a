/**
 * The complaint workflow (lib/workflows/complaint.asl.json) on the local Step Functions endpoint, with
 * the real handlers and DynamoDB Local: triage runs as the first step, and a complaint whose workflow
 * start was lost (crash between the write and StartExecution) is started by the recovery schedule.
 */
import { DescribeExecutionCommand, ListExecutionsCommand, SFNClient } from '@aws-sdk/client-sfn';
import type { DynamodbLocal } from '../../local/dynamodb/dynamodb-local';
import type { LocalStepFunctions } from '../../local/stepfunctions';
import { startLocalStepFunctions } from '../../local/stepfunctions';
import { functionNameFromArn, invokeFunction } from '../../local/functions';
import { localDefinition } from '../../local/platform';
import { startTestDatabase } from '../support/local-dynamodb';
import { newJournalFile } from './fixtures/sfn/harness';
import { clock } from '../../lambdas/platform/clock';

/** Fixtures enter the registry as an admin would: through the import. */
const seeder = { username: 'test-fixture', role: 'admin' } as const;

jest.setTimeout(60_000);

let db: DynamodbLocal;
let engine: LocalStepFunctions;
let sfn: SFNClient;
let repo: typeof import('../../lambdas/domain/complaints/complaint-repository');
let events: typeof import('../../lambdas/domain/complaints/events');
let workflowStart: typeof import('../../lambdas/domain/complaints/workflow-start');

beforeAll(async () => {
  ({ db } = await startTestDatabase());
  engine = await startLocalStepFunctions({
    journalFile: newJournalFile(),
    stateMachines: [{ name: 'complaint', definition: localDefinition('complaint') }],
    invokeFunction: (arn, payload) => invokeFunction(functionNameFromArn(arn), payload),
  });
  process.env.AWS_ENDPOINT_URL_SFN = engine.endpoint;
  process.env.COMPLAINT_STATE_MACHINE_ARN = engine.stateMachineArn('complaint');
  sfn = new SFNClient({ endpoint: engine.endpoint });
  repo = await import('../../lambdas/domain/complaints/complaint-repository');
  events = await import('../../lambdas/domain/complaints/events');
  workflowStart = await import('../../lambdas/domain/complaints/workflow-start');
  const registry = await import('../../lambdas/domain/registry/registry-import');
  const seed = await import('../../local/seed/demo-district');
  await registry.importDistrict(seeder, { schools: seed.demoSchools, institutions: seed.demoInstitutions });
});
afterAll(async () => {
  await engine?.stop();
  await db?.stop();
});

async function storeWithoutStarting(receiptNo: string, category: 'homework_burden' | 'unlicensed_tutoring', subject: Record<string, string>) {
  const now = clock.now();
  await repo.insertComplaint(
    { receiptNo, category, description: '作业太多了，每天写到十一点。', subject, anonymous: true, hasContact: false, status: 'received', submittedAt: now.toISOString(), accessCode: { hash: '00'.repeat(32), salt: '11'.repeat(16) }, overdueSteps: [] },
    undefined,
    events.caseEvent(receiptNo, 'received', now, 'citizen', { publicStatus: 'received' }),
  );
}

/** Waits until the execution parks on its first human step: the unit's accept_case task. */
async function waitingForAcceptance(receiptNo: string, unit: string) {
  const tasks = await import('../../lambdas/domain/tasks/task-repository');
  for (let i = 0; i < 100; i++) {
    const task = (await tasks.openTasksOf(`UNIT#${unit}`)).find((t) => t.receiptNo === receiptNo && t.kind === 'accept_case');
    if (task) return task;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${receiptNo} never reached accept_case`);
}

describe('the complaint workflow on the local engine', () => {
  it('triages the complaint as its first step, records the unit on the case and waits for the unit to accept it', async () => {
    await storeWithoutStarting('TS-2032-000001', 'homework_burden', { schoolName: '前进区第三小学' });
    const arn = await workflowStart.startComplaintWorkflow('TS-2032-000001');
    await waitingForAcceptance('TS-2032-000001', 'school_supervision');
    expect((await sfn.send(new DescribeExecutionCommand({ executionArn: arn }))).status).toBe('RUNNING');
    const c = await repo.getComplaint('TS-2032-000001');
    expect(c?.triage?.unit).toBe('school_supervision');
    expect(c?.executionArn).toBe(arn);
  });

  it('starts the workflow of a complaint stored before a crash, exactly once, from the recovery schedule', async () => {
    await storeWithoutStarting('TS-2032-000002', 'unlicensed_tutoring', { institutionName: '英才教育' });
    expect(await repo.listPendingWorkflowStarts(100)).toContain('TS-2032-000002');
    const first = await workflowStart.startPendingWorkflows();
    expect(first.started).toBeGreaterThanOrEqual(1);
    expect(await repo.listPendingWorkflowStarts(100)).not.toContain('TS-2032-000002');
    // A second start of the same complaint (a retried schedule, a slow handler) creates no second execution.
    await workflowStart.startComplaintWorkflow('TS-2032-000002');
    const list = await sfn.send(new ListExecutionsCommand({ stateMachineArn: engine.stateMachineArn('complaint') }));
    expect(list.executions?.filter((e) => e.name === 'TS-2032-000002')).toHaveLength(1);
    await waitingForAcceptance('TS-2032-000002', 'group_2');
    expect((await repo.getComplaint('TS-2032-000002'))?.triage).toMatchObject({ unit: 'group_2', institutionStatus: 'revoked' });
  });

  it('links later complaints about one institution to the first open case, and only that case stays in the subject index', async () => {
    const triage = await import('../../lambdas/domain/complaints/triage-complaint');
    const { documents } = await import('../../lambdas/platform/dynamodb');
    const { QueryCommand, GetCommand } = await import('@aws-sdk/lib-dynamodb');
    const table = process.env.COMPLAINTS_TABLE;
    const subject = { institutionName: '前进区示范重复培训班' };
    const receipts = ['TS-2034-000001', 'TS-2034-000002', 'TS-2034-000003', 'TS-2034-000004'];
    for (const r of receipts) {
      await storeWithoutStarting(r, 'unlicensed_tutoring', subject);
      await new Promise((res) => setTimeout(res, 5)); // distinct submission times
    }
    const results = [];
    for (const r of receipts) results.push(await triage.triageComplaint(r));
    expect(results.map((t) => t.duplicateOf)).toEqual([null, receipts[0], receipts[0], receipts[0]]);
    const first = (await documents.send(new GetCommand({ TableName: table, Key: { pk: `CASE#${receipts[0]}`, sk: 'CASE' } }))).Item;
    const indexed = await documents.send(
      new QueryCommand({ TableName: table, IndexName: 'bySubject', KeyConditionExpression: 'subjectPk = :p', ExpressionAttributeValues: { ':p': first?.subjectPk } }),
    );
    expect(indexed.Items?.map((i) => i.receiptNo)).toEqual([receipts[0]]);
  });
});
