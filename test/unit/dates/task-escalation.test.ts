/**
 * A task is overdue, and is escalated to the supervisor, exactly when now is past its dueAt: the
 * escalation schedule (tasks/escalate.ts, through task-repository.ts overdueTasks) and the inbox view
 * (tasks/views.ts) agree, to the millisecond. DynamoDB is mocked; the openByDue key condition
 * `openSk < :before` is applied to the stored task as DynamoDB would (string order of ISO instants).
 */
process.env.TASKS_TABLE ??= 'tasks-test';

import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import fc from 'fast-check';
import { DynamoDBDocumentClient, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { clock } from '../../../lambdas/platform/clock';
import { HOUR_MS, DAY_MS, civilDateIn, districtInstant, utcMidnight } from './reference';

/* eslint-disable @typescript-eslint/no-require-imports */
const { escalateOverdueTasks } = require('../../../lambdas/domain/tasks/escalate') as typeof import('../../../lambdas/domain/tasks/escalate');
const { taskView } = require('../../../lambdas/domain/tasks/views') as typeof import('../../../lambdas/domain/tasks/views');
/* eslint-enable @typescript-eslint/no-require-imports */
type Task = import('../../../lambdas/domain/tasks/task-repository').Task;

const ddb = mockClient(DynamoDBDocumentClient);

function taskDue(dueAt: string): Task {
  return {
    taskId: 'a'.repeat(32),
    stepId: 'b'.repeat(32),
    kind: 'investigate',
    receiptNo: 'TS-2026-000123',
    title: 'Investigate TS-2026-000123',
    assignee: { role: 'group_officer', unit: 'group_1' },
    decisions: ['findings'],
    status: 'open',
    openedAt: '2026-01-01T00:00:00.000Z',
    dueAt,
    escalated: false,
  };
}

/** Runs the escalation schedule with the clock standing at `now` over a table holding `task`. */
async function escalateAt(task: Task, now: number) {
  const stored = { pk: `TASK#${task.taskId}`, entity: 'task', ...task, openPk: 'OPEN', openSk: `${task.dueAt}#${task.taskId}` };
  ddb.reset();
  ddb.on(QueryCommand).callsFake((input: { IndexName?: string; ExpressionAttributeValues: Record<string, string> }) => {
    if (input.IndexName === 'openByDue') return { Items: stored.openSk < input.ExpressionAttributeValues[':before'] ? [stored] : [] };
    if (input.ExpressionAttributeValues[':pk'] === 'CONFIG#calendar') return { Items: [] }; // no admin calendar: the bundled one
    throw new Error(`unexpected query ${JSON.stringify(input)}`);
  });
  ddb.on(TransactWriteCommand).resolves({});
  jest.spyOn(clock, 'now').mockReturnValue(new Date(now));
  const { escalated } = await escalateOverdueTasks();
  const put = ddb.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems?.find((i) => i.Put?.Item?.escalationOf)?.Put?.Item;
  return { escalated, escalationDueAt: put?.dueAt as string | undefined, overdueInInbox: taskView(task, new Date(now)).overdue };
}

afterEach(() => jest.restoreAllMocks());

describe('task SLAs: overdue and escalated exactly when now is past dueAt', () => {
  const due = '2026-12-08T15:59:59.999Z'; // 23:59:59.999 district time on Tuesday 8 December

  it('a task due at 23:59:59.999 district time is not escalated at that very millisecond', async () => {
    expect(await escalateAt(taskDue(due), Date.parse(due))).toEqual({ escalated: 0, escalationDueAt: undefined, overdueInInbox: false });
  });

  it('one millisecond later (00:00 district time on Wednesday the 9th) it is escalated, the supervisor having until the end of Thursday the 10th', async () => {
    const now = Date.parse(due) + 1;
    expect(await escalateAt(taskDue(due), now)).toEqual({ escalated: 1, escalationDueAt: '2026-12-10T15:59:59.999Z', overdueInInbox: true });
  });

  it('a task due on the eve of 2027 is escalated at 2026-12-31T16:00:00.000Z and the supervisor’s working day counts from Friday 1 January 2027 (district date): Monday the 4th', async () => {
    const eve = '2026-12-31T15:59:59.999Z';
    expect((await escalateAt(taskDue(eve), Date.parse(eve))).escalated).toBe(0);
    expect(await escalateAt(taskDue(eve), Date.parse(eve) + 1)).toEqual({ escalated: 1, escalationDueAt: '2027-01-04T15:59:59.999Z', overdueInInbox: true });
  });

  it('for any due time and any now, the schedule escalates and the inbox shows overdue exactly when now > dueAt', async () => {
    // Due times as SLAs make them (the last millisecond of a district day) or any instant.
    const dueAt = fc.oneof(
      civilDateIn(2020, 2030).map((d) => districtInstant(d, '23:59:59.999')),
      fc.integer({ min: utcMidnight(2020, 1, 1), max: utcMidnight(2030, 12, 31) }),
    );
    const delta = fc.oneof(fc.integer({ min: -3, max: 3 }), fc.integer({ min: -HOUR_MS, max: HOUR_MS }), fc.integer({ min: -3 * DAY_MS, max: 3 * DAY_MS }));
    await fc.assert(
      fc.asyncProperty(dueAt, delta, async (dueMs, d) => {
        const result = await escalateAt(taskDue(new Date(dueMs).toISOString()), dueMs + d);
        expect(result.escalated).toBe(d > 0 ? 1 : 0);
        expect(result.overdueInInbox).toBe(d > 0);
        if (d > 0) {
          // The supervisor's own deadline is the end of a district day, after now.
          expect(result.escalationDueAt).toMatch(/T15:59:59\.999Z$/);
          expect(Date.parse(result.escalationDueAt as string)).toBeGreaterThan(dueMs + d);
        }
      }),
      { numRuns: 60 },
    );
  });
});
