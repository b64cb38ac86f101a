/**
 * A rectification item turns overdue at the district midnight after its due date (00:00 UTC+08:00,
 * which is 16:00 UTC on the due date), not at UTC midnight: in the daily escalation
 * (overdue-escalation.ts), the supervisor's list and the plan view (ledger.ts), and the ledger export
 * (ledger-report.ts). DynamoDB is mocked; its key condition `openSk < :d` is applied to the stored item
 * as DynamoDB would (string order), and the clock is held still at each instant.
 */
// Configuration read when the modules load (as in a cold start): set before they are required below.
process.env.RECTIFICATION_TABLE ??= 'rectification-test';
process.env.EVIDENCE_BUCKET ??= 'evidence-test';

import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import fc from 'fast-check';
import { DynamoDBDocumentClient, GetCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { clock } from '../../../lambdas/platform/clock';
import type { Official } from '../../../lambdas/domain/registry/schemas';
import { HOUR_MS, civilDateIn, districtInstant, refAddDays } from './reference';

/* eslint-disable @typescript-eslint/no-require-imports */
const { escalateOverdueItems } = require('../../../lambdas/domain/rectification/overdue-escalation') as typeof import('../../../lambdas/domain/rectification/overdue-escalation');
const { overdueItems, planForOfficial } = require('../../../lambdas/domain/rectification/ledger') as typeof import('../../../lambdas/domain/rectification/ledger');
const { ledgerRows } = require('../../../lambdas/domain/rectification/ledger-report') as typeof import('../../../lambdas/domain/rectification/ledger-report');
/* eslint-enable @typescript-eslint/no-require-imports */

const ddb = mockClient(DynamoDBDocumentClient);
const supervisor: Official = { username: 'supervisor', role: 'supervisor' };
const PLAN = 'RP-p06-002';
const ITEM = `${PLAN}.bbbb01`;

function storedItem(dueOn: string) {
  return {
    pk: `PLAN#${PLAN}`,
    sk: `ITEM#${ITEM}`,
    entity: 'item',
    itemId: ITEM,
    planId: PLAN,
    schoolId: 'p06',
    source: 'self_inspection',
    description: '三年级书面作业超过60分钟',
    measure: '压减书面作业',
    owner: '王老师',
    dueOn,
    status: 'open',
    overdue: false,
    evidence: [],
    history: [{ at: '2026-01-01T00:00:00.000Z', action: 'opened', by: 'supervisor:supervisor' }],
    createdAt: '2026-01-01T00:00:00.000Z',
    openPk: 'OPEN_ITEM',
    openSk: `${dueOn}#${ITEM}`,
  };
}

/** The table holds one plan with one open item due on `dueOn`. */
function tableWithItemDue(dueOn: string) {
  const item = storedItem(dueOn);
  const plan = { pk: `PLAN#${PLAN}`, sk: 'PLAN', entity: 'plan', planId: PLAN, schoolId: 'p06', status: 'open', openedAt: '2026-01-01T00:00:00.000Z', itemCount: 1, closedCount: 0 };
  ddb.reset();
  ddb.on(QueryCommand).callsFake((input: { IndexName?: string; ExpressionAttributeValues: Record<string, string> }) => {
    const v = input.ExpressionAttributeValues;
    if (input.IndexName === 'openItemsByDue') return { Items: item.openSk < v[':d'] ? [item] : [] };
    if (input.IndexName === 'bySchool') return { Items: [{ planId: PLAN }] };
    if (v[':pk'] === `PLAN#${PLAN}`) return { Items: [plan, item] };
    throw new Error(`unexpected query ${JSON.stringify(input)}`);
  });
  ddb.on(GetCommand, { Key: { pk: 'SCHOOL#p06', sk: 'SCHOOL' } }).resolves({ Item: { pk: 'SCHOOL#p06', sk: 'SCHOOL', kind: 'school', schoolId: 'p06', name: '第六小学教育集团', stage: 'primary', area: 'group_1' } });
  ddb.on(TransactWriteCommand).resolves({});
}

/** Everything that says whether the item is overdue, with the clock standing at `ms`. */
async function overdueEverywhere(dueOn: string, ms: number) {
  tableWithItemDue(dueOn);
  jest.spyOn(clock, 'now').mockReturnValue(new Date(ms));
  const listed = await overdueItems(supervisor);
  const plan = await planForOfficial(supervisor, PLAN);
  const rows = await ledgerRows({ schoolId: 'p06' });
  const { flagged } = await escalateOverdueItems();
  const flag = ddb.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems?.[0]?.Update;
  return {
    inSupervisorList: listed.map((i) => i.itemId).includes(ITEM),
    listedAsOverdue: listed.every((i) => i.overdue),
    inPlanView: plan.items[0].overdue,
    inLedger: rows[0].overdue,
    flaggedByEscalation: flagged === 1,
    // The flag records the moment: overdue = true, overdueAt = now.
    flagRecordsNow: flag === undefined || (setValue(flag, 'overdue') === true && setValue(flag, 'overdueAt') === new Date(ms).toISOString()),
  };
}

/** The value an UpdateExpression `SET #uN = :uM, …` gives an attribute (placeholders as buildUpdate makes them). */
function setValue(update: { UpdateExpression?: string; ExpressionAttributeNames?: Record<string, string>; ExpressionAttributeValues?: Record<string, unknown> }, attr: string): unknown {
  for (const [nameKey, name] of Object.entries(update.ExpressionAttributeNames ?? {})) {
    const valueKey = name === attr && new RegExp(`${nameKey} = (:\\w+)`).exec(update.UpdateExpression ?? '')?.[1];
    if (valueKey) return update.ExpressionAttributeValues?.[valueKey];
  }
  return undefined;
}

const allOverdue = (overdue: boolean) => ({ inSupervisorList: overdue, listedAsOverdue: true, inPlanView: overdue, inLedger: overdue, flaggedByEscalation: overdue, flagRecordsNow: true });

afterEach(() => jest.restoreAllMocks());

describe('overdue rectification items (district time, UTC+08:00)', () => {
  it('an item due 2026-12-07 is not overdue at 23:59:59.999 district time on the 7th (15:59:59.999Z)', async () => {
    expect(await overdueEverywhere('2026-12-07', Date.parse('2026-12-07T15:59:59.999Z'))).toEqual(allOverdue(false));
  });

  it('an item due 2026-12-07 is overdue from 00:00 district time on the 8th, 16:00Z on the 7th, eight hours before UTC midnight', async () => {
    expect(await overdueEverywhere('2026-12-07', Date.parse('2026-12-07T16:00:00.000Z'))).toEqual(allOverdue(true));
    expect(await overdueEverywhere('2026-12-07', Date.parse('2026-12-07T23:59:59.999Z'))).toEqual(allOverdue(true));
  });

  it('an item due on New Year’s Eve 2026 turns overdue at 2026-12-31T16:00:00.000Z, when the district year turns', async () => {
    expect((await overdueEverywhere('2026-12-31', Date.parse('2026-12-31T15:59:59.999Z'))).inSupervisorList).toBe(false);
    expect((await overdueEverywhere('2026-12-31', Date.parse('2026-12-31T16:00:00.000Z'))).inSupervisorList).toBe(true);
  });

  it('an item is overdue exactly from the district midnight after its due date, whatever the date (month ends, 29 February, year ends)', async () => {
    const at = fc.record({
      dueOn: civilDateIn(2020, 2030),
      delta: fc.oneof(fc.integer({ min: -3, max: 3 }), fc.integer({ min: -60_000, max: 60_000 }), fc.integer({ min: -30 * HOUR_MS, max: 30 * HOUR_MS })),
    });
    await fc.assert(
      fc.asyncProperty(at, async ({ dueOn, delta }) => {
        const midnightAfter = districtInstant(refAddDays(dueOn, 1));
        expect(await overdueEverywhere(dueOn, midnightAfter + delta)).toEqual(allOverdue(delta >= 0));
      }),
      { numRuns: 60 },
    );
  });
});
