import { bundledYear } from '../../../lambdas/domain/calendar/bundled';
import { missingYear, workingCalendar } from '../../../lambdas/domain/calendar/working-days';
import { endOfDistrictDay } from '../../../lambdas/platform/dates';

const bundled = workingCalendar((year) => bundledYear(year) ?? missingYear(year));
const { dueAfterWorkingDays, nthWorkingDayAfter } = bundled;

// District time is UTC+08:00: 2026-09-30T10:00+08:00 is 02:00Z.
const at = (local: string) => new Date(`${local}+08:00`);

describe('SLAs in Chinese working days', () => {
  it.each([
    ['a Wednesday: the next day', '2026-11-25T10:00:00', 1, '2026-11-26'],
    ['a Friday: the Monday after', '2026-11-27T16:30:00', 1, '2026-11-30'],
    ['a Saturday: still the Monday', '2026-11-28T09:00:00', 1, '2026-11-30'],
    ['the eve of the National Day holiday: after the holiday', '2026-09-30T10:00:00', 1, '2026-10-08'],
    ['five working days across the National Day holiday', '2026-09-29T10:00:00', 5, '2026-10-12'],
    ['late in the evening: the district date counts, not UTC', '2026-11-25T23:30:00', 1, '2026-11-26'],
  ])('a 1-or-more-day SLA started on %s ends on the right day', (_what, local, n, expected) => {
    expect(nthWorkingDayAfter(at(local), n)).toBe(expected);
  });

  it('counts a make-up working day (调休) on a weekend as a working day', () => {
    // 2026-10-10 (Saturday) is a make-up working day after the 2026 National Day holiday.
    expect(nthWorkingDayAfter(at('2026-10-09T10:00:00'), 1)).toBe('2026-10-10');
  });

  it('ends at the last millisecond of the district day', () => {
    expect(endOfDistrictDay('2026-11-30').toISOString()).toBe('2026-11-30T15:59:59.999Z');
    expect(dueAfterWorkingDays(at('2026-11-27T16:30:00'), 1).toISOString()).toBe('2026-11-30T15:59:59.999Z');
  });
});
