/**
 * Survey tokens have no expiry of their own on the platform clock: a token is stored with a DynamoDB
 * TTL (`expiresAt`, 180 days, deleted by DynamoDB on the real time), and an answer is accepted only
 * while the token's round is open, [opensAt, closesAt) on the platform clock (campaigns.ts openRoundOf,
 * used by survey-answers.ts submitResponse). DynamoDB is mocked; the clock is held still at each instant.
 */
process.env.CAMPAIGNS_TABLE ??= 'campaigns-test';
process.env.RECTIFICATION_TABLE ??= 'rectification-test';

import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import fc from 'fast-check';
import { DynamoDBDocumentClient, GetCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { clock } from '../../../lambdas/platform/clock';
import { ConflictError } from '../../../lambdas/platform/errors';
import { DAY_MS, HOUR_MS, instantIn } from './reference';

/* eslint-disable @typescript-eslint/no-require-imports */
const { openRoundOf } = require('../../../lambdas/domain/campaigns/campaigns') as typeof import('../../../lambdas/domain/campaigns/campaigns');
const { submitResponse } = require('../../../lambdas/domain/campaigns/survey-answers') as typeof import('../../../lambdas/domain/campaigns/survey-answers');
const { parseForm } = require('../../../lambdas/domain/campaigns/forms') as typeof import('../../../lambdas/domain/campaigns/forms');
/* eslint-enable @typescript-eslint/no-require-imports */
type StoredRound = import('../../../lambdas/domain/campaigns/campaign-repository').StoredRound;

const ddb = mockClient(DynamoDBDocumentClient);

const round = (opensAt: number, closesAt: number, status: 'open' | 'closed' = 'open'): StoredRound => ({
  round: 1,
  opensAt: new Date(opensAt).toISOString(),
  closesAt: new Date(closesAt).toISOString(),
  status,
  formVersion: 1,
  enrolled: 40,
  classes: { c1: { schoolId: 'p06', grade: 4, enrolled: 40 } },
});

const form = { elements: [{ type: 'text', name: 'comment', title: '意见' }] };
const parsed = parseForm(form);
if (!parsed.ok) throw new Error('the test form is invalid');

/** Answers the survey with the clock standing at `now`, the round (still marked open) being `r`. */
async function answerAt(r: StoredRound, now: number): Promise<'accepted' | 'not_open'> {
  ddb.reset();
  ddb.on(GetCommand).resolves({ Item: { campaignId: 'CP-TEST', round: 1, classId: 'c1', schoolId: 'p06', grade: 4 } });
  ddb.on(QueryCommand).resolves({
    Items: [
      { pk: 'CAMPAIGN#CP-TEST', sk: 'CAMPAIGN', entity: 'campaign', campaignId: 'CP-TEST', title: '作业问卷', formVersion: 1, classIds: ['c1'], schedule: { cron: '0 8 1 * *', openForDays: 7 }, thresholds: [], reminderHoursBeforeClose: 24, active: true },
      { pk: 'CAMPAIGN#CP-TEST', sk: 'FORM#0001', entity: 'form', version: 1, form, questions: parsed.ok ? parsed.questions : [] },
      { pk: 'CAMPAIGN#CP-TEST', sk: 'ROUND#0001', entity: 'round', ...r },
    ],
  });
  ddb.on(TransactWriteCommand).resolves({});
  jest.spyOn(clock, 'now').mockReturnValue(new Date(now));
  try {
    await submitResponse('CP-TEST', { token: 'ABCDEFGH23456789', answers: { comment: '很好' } });
    expect(ddb).toHaveReceivedCommandTimes(TransactWriteCommand, 1); // the answer is stored and the token used
    return 'accepted';
  } catch (err) {
    if (err instanceof ConflictError && err.code === 'not_open') return 'not_open';
    throw err;
  }
}

afterEach(() => jest.restoreAllMocks());

describe('answering a survey: the round window on the platform clock', () => {
  const opensAt = Date.parse('2026-12-31T16:00:00.000Z'); // 1 January 2027, 00:00 district time
  const closesAt = opensAt + 7 * DAY_MS;

  it('an answer sent at the round’s opening is accepted, one a millisecond before is refused', async () => {
    expect(await answerAt(round(opensAt, closesAt), opensAt - 1)).toBe('not_open');
    expect(await answerAt(round(opensAt, closesAt), opensAt)).toBe('accepted');
  });

  it('an answer sent a millisecond before the round closes is accepted, one at its closing is refused even before the campaign clock has closed it', async () => {
    expect(await answerAt(round(opensAt, closesAt), closesAt - 1)).toBe('accepted');
    expect(await answerAt(round(opensAt, closesAt), closesAt)).toBe('not_open');
    expect(ddb).toHaveReceivedCommandTimes(TransactWriteCommand, 0);
  });

  it('for any round and any moment, a token’s answer is accepted exactly while opensAt ≤ now < closesAt', async () => {
    const scenario = fc.record({
      opensAt: instantIn(2020, 2030),
      days: fc.integer({ min: 1, max: 31 }),
      at: fc.oneof(fc.constant('open'), fc.constant('close')),
      delta: fc.oneof(fc.integer({ min: -3, max: 3 }), fc.integer({ min: -HOUR_MS, max: HOUR_MS })),
    });
    await fc.assert(
      fc.asyncProperty(scenario, async ({ opensAt: o, days, at, delta }) => {
        const c = o + days * DAY_MS;
        const now = (at === 'open' ? o : c) + delta;
        const expected = o <= now && now < c;
        expect(openRoundOf([round(o, c)], new Date(now)) !== undefined).toBe(expected);
        expect(openRoundOf([round(o, c, 'closed')], new Date(now))).toBeUndefined();
        expect(await answerAt(round(o, c), now)).toBe(expected ? 'accepted' : 'not_open');
      }),
      { numRuns: 60 },
    );
  });
});
