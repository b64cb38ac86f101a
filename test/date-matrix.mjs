// The date matrix of `npm test` (scripts/test.mjs): after the whole suite at its pinned default
// (test/support/env.ts: Monday 2026-12-07 10:00 district time), the suites whose behaviour depends on
// the date run again with the platform's clock started at each of these instants (PLATFORM_NOW, which
// the clock module and `npm start` honour). A test that passes only on the day it was written fails here.
export const instants = [
  { name: 'a Sunday', now: '2026-11-29T10:00:00+08:00' },
  { name: 'a Wednesday, the Sixth Primary School’s no-homework day', now: '2026-12-09T10:00:00+08:00' },
  { name: '31 December 23:30 district time, before a year with no bundled calendar', now: '2026-12-31T23:30:00+08:00' },
  { name: 'the eve of the Spring Festival (除夕), inside the holiday', now: '2026-02-16T20:00:00+08:00' },
  { name: 'a make-up working day (调休), a Saturday', now: '2026-02-28T09:00:00+08:00' },
  // The unit suites only: the property tests sweep 29 February through rounds, weeks and deadlines already.
  { name: '29 February of a leap year', now: '2024-02-29T10:00:00+08:00', unitOnly: true },
];

// Suites that read "today" (homework weeks, SLAs, deadlines, overdue items, rounds, limits' windows).
export const suites = [
  'test/unit/dates/',
  'test/unit/domain/working-days.test.ts',
  'test/unit/homework/',
  'test/unit/campaigns/schedule.test.ts',
  'test/unit/rectification/',
  'test/unit/platform/rate-limit.test.ts',
  'test/unit/local/',
  'test/integration/homework-week-and-calendar.test.ts',
  'test/e2e/homework-ledger.test.ts',
  'test/e2e/campaigns.test.ts',
  'test/e2e/complaint-governance.test.ts',
  'test/browser/ledger.test.ts',
];
