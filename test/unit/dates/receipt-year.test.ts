/**
 * Receipt numbers at the year change: TS-YYYY-NNNNNN takes its year, and its counter, from the district
 * date of the moment the complaint is filed (lambdas/domain/complaints/submit-complaint.ts). DynamoDB
 * and Step Functions are mocked; the clock is held still at each instant.
 */
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import fc from 'fast-check';
import { DynamoDBDocumentClient, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { clock } from '../../../lambdas/platform/clock';
import { submitComplaint } from '../../../lambdas/domain/complaints/submit-complaint';
import type { ComplaintSubmission } from '../../../lambdas/domain/complaints/schemas';
import { DISTRICT_OFFSET_MS, instantIn, utcMidnight } from './reference';

const ddb = mockClient(DynamoDBDocumentClient);
const sfn = mockClient(SFNClient);

// Anonymous: no contact, so no KMS call.
const complaint: ComplaintSubmission = {
  category: 'unlicensed_tutoring',
  description: '小区里每个周末都有人办数学补习班，收费很高。',
  subject: { institutionName: '状元补习班', address: '永安小区5号楼' },
  anonymous: true,
};

/** The receipt counters by year, as the table holds them (ADD #seq :one). */
let counters: Record<string, number>;

beforeEach(() => {
  ddb.reset();
  sfn.reset();
  counters = { '2026': 4711 };
  ddb.on(UpdateCommand).callsFake((input: { Key: { pk: string } }) => {
    const year = /^COUNTER#receipt#(\d{4})$/.exec(input.Key.pk)?.[1];
    if (!year) return {}; // the workflow-started marker
    counters[year] = (counters[year] ?? 0) + 1;
    return { Attributes: { seq: counters[year] } };
  });
  ddb.on(TransactWriteCommand).resolves({});
  sfn.on(StartExecutionCommand).callsFake((input: { name: string }) => ({ executionArn: `arn:aws:states:cn-north-1:123456789012:execution:complaint:${input.name}`, startDate: new Date() }));
});

afterEach(() => jest.restoreAllMocks());

/** Files the complaint with the clock standing at `ms`; answers the receipt number and the counter it used. */
async function fileAt(ms: number) {
  jest.spyOn(clock, 'now').mockReturnValue(new Date(ms));
  ddb.resetHistory();
  const { receipt } = await submitComplaint(complaint);
  const counterKeys = ddb
    .commandCalls(UpdateCommand)
    .map((c) => String(c.args[0].input.Key?.pk))
    .filter((pk) => pk.startsWith('COUNTER#'));
  const caseItem = ddb.commandCalls(TransactWriteCommand)[0].args[0].input.TransactItems?.find((i) => i.Put?.Item?.sk === 'CASE')?.Put?.Item;
  return { receiptNo: receipt.receiptNo, counterKeys, submittedAt: caseItem?.submittedAt as string };
}

describe('receipt numbers at the turn of the year (district time, UTC+08:00)', () => {
  it('a complaint filed at 2026-12-31T15:59:59.999Z (23:59:59.999 district time) gets the next 2026 number', async () => {
    const filed = await fileAt(Date.parse('2026-12-31T15:59:59.999Z'));
    expect(filed.receiptNo).toBe('TS-2026-004712');
    expect(filed.counterKeys).toEqual(['COUNTER#receipt#2026']);
    expect(filed.submittedAt).toBe('2026-12-31T15:59:59.999Z');
  });

  it('a complaint filed at 2026-12-31T16:00:00.000Z (midnight district time, still 31 December in UTC) gets the first 2027 number', async () => {
    const filed = await fileAt(Date.parse('2026-12-31T16:00:00.000Z'));
    expect(filed.receiptNo).toBe('TS-2027-000001');
    expect(filed.counterKeys).toEqual(['COUNTER#receipt#2027']);
    expect(counters['2026']).toBe(4711);
  });

  it('the receipt year, and the counter it draws on, is the UTC year 8 hours after the moment of filing', async () => {
    // Any instant 2020–2035, many of them within moments of a district midnight, and of New Year's Eve in particular.
    const newYearsEve = fc.record({ y: fc.integer({ min: 2020, max: 2035 }), delta: fc.oneof(fc.integer({ min: -3, max: 3 }), fc.integer({ min: -7_200_000, max: 7_200_000 })) });
    const instant = fc.oneof(instantIn(2020, 2035), newYearsEve.map(({ y, delta }) => utcMidnight(y, 12, 31) + 16 * 3_600_000 + delta));
    await fc.assert(
      fc.asyncProperty(instant, async (ms) => {
        const year = String(new Date(ms + DISTRICT_OFFSET_MS).getUTCFullYear());
        const filed = await fileAt(ms);
        expect(filed.receiptNo).toMatch(new RegExp(`^TS-${year}-\\d{6}$`));
        expect(filed.receiptNo).toBe(`TS-${year}-${String(counters[year]).padStart(6, '0')}`);
        expect(filed.counterKeys).toEqual([`COUNTER#receipt#${year}`]);
      }),
      { numRuns: 80 },
    );
  });
});
