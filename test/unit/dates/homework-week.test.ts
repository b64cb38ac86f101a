/**
 * The homework week and the notice window, over dates 2020–2030 (weeks that cross a month or a year),
 * against a reference that finds the week from getUTCDay (./reference.ts).
 */
import fc from 'fast-check';
import { checkNotice, RuleSetSchema, type RuleSet } from '../../../lambdas/domain/homework/rules';
import type { HomeworkItem } from '../../../lambdas/domain/homework/schemas';
import { aroundYearTurn, civilDateIn, refAddDays, refMonday } from './reference';

// publish-notice.ts reads its tables' names when it loads (as in a cold start).
for (const table of ['HOMEWORK', 'RECTIFICATION', 'REGISTRY']) process.env[`${table}_TABLE`] ??= `${table.toLowerCase()}-test`;
/* eslint-disable-next-line @typescript-eslint/no-require-imports */
const { noticeDateAllowed } = require('../../../lambdas/domain/homework/publish-notice') as typeof import('../../../lambdas/domain/homework/publish-notice');

/**
 * Only the week-average rule, at limit 0, so that every notice with written minutes violates it and the
 * message states what was counted: the total, the days with a notice, and the first and last date.
 */
const weekRule: RuleSet = RuleSetSchema.parse({
  id: 'week-probe',
  version: 1,
  rules: [{ id: 'week', kind: 'written_minutes_week_average', grades: [1, 12], limit: 0, message: '{total}|{days}|{from}|{to}' }],
});

const item = fc.record({
  subject: fc.constantFrom('语文', '数学', '英语'),
  content: fc.constantFrom('练习册', '阅读', '跳绳'),
  kind: fc.constantFrom('written', 'reading', 'exercise', 'labour', 'practice'),
  minutes: fc.integer({ min: 1, max: 240 }),
}) as fc.Arbitrary<HomeworkItem>;
const written = (minutes: number): HomeworkItem => ({ subject: '数学', content: '练习册', kind: 'written', minutes });

/** A notice date and the class's other notices within two weeks either side (several may share a date). */
const scenario = fc.record({
  date: civilDateIn(2020, 2030),
  ownMinutes: fc.integer({ min: 1, max: 120 }),
  others: fc.array(fc.record({ offset: fc.integer({ min: -13, max: 13 }), items: fc.array(item, { maxLength: 3 }) }), { maxLength: 12 }),
});

function reference(date: string, ownMinutes: number, others: Array<{ date: string; items: HomeworkItem[] }>) {
  const monday = refMonday(date);
  const perDay = new Map<string, number>([[date, ownMinutes]]);
  for (const o of others) {
    if (o.date < monday || o.date >= date) continue;
    perDay.set(o.date, (perDay.get(o.date) ?? 0) + o.items.reduce((s, i) => s + (i.kind === 'written' ? i.minutes : 0), 0));
  }
  const total = [...perDay.values()].reduce((a, b) => a + b, 0);
  return `${total}|${perDay.size}|${[...perDay.keys()].sort()[0]}|${date}`;
}

const weekFigures = (date: string, ownMinutes: number, others: Array<{ date: string; items: HomeworkItem[] }>) => {
  const violations = checkNotice(weekRule, { grade: 5, date, items: [written(ownMinutes)] }, { sameWeek: others, noHomeworkWeekdays: [] });
  expect(violations).toHaveLength(1);
  return violations[0].message;
};

describe('the homework week (Monday to Sunday) of the week-average rule', () => {
  it('counts exactly the other notices of the same Monday–Sunday week dated before the notice, whatever month or year the week crosses', () => {
    fc.assert(
      fc.property(scenario, ({ date, ownMinutes, others }) => {
        const context = others.map((o) => ({ date: refAddDays(date, o.offset), items: o.items }));
        expect(weekFigures(date, ownMinutes, context)).toBe(reference(date, ownMinutes, context));
      }),
      { numRuns: 400 },
    );
  });

  it('ignores notices of the previous week, later in the week and of the same day in a week that crosses the year', () => {
    fc.assert(
      fc.property(aroundYearTurn(2020, 2030), fc.integer({ min: 1, max: 120 }), (date, own) => {
        const monday = refMonday(date);
        const sunday = refAddDays(monday, 6);
        const ignored = [refAddDays(monday, -1), refAddDays(monday, -7), date, refAddDays(date, 1), refAddDays(sunday, 1)];
        const context = ignored.map((d) => ({ date: d, items: [written(50)] }));
        expect(weekFigures(date, own, context)).toBe(`${own}|1|${date}|${date}`);
      }),
      { numRuns: 100 },
    );
  });

  it('a Thursday 1 January 2026 counts Monday 29 and Wednesday 31 December 2025, not Sunday 28 December', () => {
    const context = [
      { date: '2025-12-28', items: [written(200)] },
      { date: '2025-12-29', items: [written(40)] },
      { date: '2025-12-31', items: [written(10), { ...written(5), kind: 'reading' as const }] },
    ];
    expect(weekFigures('2026-01-01', 30, context)).toBe('80|3|2025-12-29|2026-01-01');
  });

  it('a Sunday 1 March 2026 counts its week back to Monday 23 February, one day per date with a notice', () => {
    const context = [
      { date: '2026-02-22', items: [written(200)] },
      { date: '2026-02-23', items: [written(40)] },
      { date: '2026-02-23', items: [written(5)] },
      { date: '2026-02-28', items: [] },
    ];
    expect(weekFigures('2026-03-01', 30, context)).toBe('75|3|2026-02-23|2026-03-01');
  });
});

describe('the 7-day window for publishing a notice', () => {
  const offset = fc.oneof(fc.integer({ min: -9, max: 9 }), fc.integer({ min: -60, max: 60 }));

  it('accepts a date exactly when it is at most 7 days before or after today, across month and year ends', () => {
    fc.assert(
      fc.property(civilDateIn(2020, 2030), offset, (today, n) => {
        expect(noticeDateAllowed(refAddDays(today, n), today)).toBe(Math.abs(n) <= 7);
      }),
      { numRuns: 500 },
    );
  });

  it('around any today the accepted dates are the 15 consecutive days from 7 before to 7 after', () => {
    fc.assert(
      fc.property(civilDateIn(2020, 2030), (today) => {
        const scan = Array.from({ length: 41 }, (_, i) => refAddDays(today, i - 20));
        expect(scan.filter((d) => noticeDateAllowed(d, today))).toEqual(Array.from({ length: 15 }, (_, i) => refAddDays(today, i - 7)));
      }),
      { numRuns: 100 },
    );
  });

  it.each([
    ['2026-12-28', '2027-01-04', true],
    ['2026-12-28', '2027-01-05', false],
    ['2028-03-03', '2028-02-25', true],
    ['2028-03-03', '2028-02-24', false],
    ['2027-03-03', '2027-02-24', true],
    ['2027-03-03', '2027-02-23', false],
  ])('today %s: a notice for %s is allowed: %s', (today, date, allowed) => {
    expect(noticeDateAllowed(date, today)).toBe(allowed);
  });
});
