import { campaignStatus, nextOpening, nextTransition, validCron } from '../../../lambdas/domain/campaigns/schedule';
import type { Round } from '../../../lambdas/domain/campaigns/schemas';

const t = (iso: string) => new Date(iso);
const round = (n: number, opensAt: string, closesAt: string, status: 'open' | 'closed'): Round => ({ round: n, opensAt, closesAt, status, formVersion: 1, enrolled: 40 });
const monthly = { cron: '0 8 1 * *', openForDays: 7 };

describe('when rounds open and close', () => {
  const oneOff = { opensAt: '2026-12-01T08:00:00+08:00', closesAt: '2026-12-08T08:00:00+08:00' };

  it('opens a one-off round at its time, not before, and closes it at its end', () => {
    expect(nextTransition(oneOff, [], t('2026-11-30T23:59:00Z'), 24, new Set())).toBeUndefined();
    expect(nextTransition(oneOff, [], t('2026-12-01T00:00:00Z'), 24, new Set())).toMatchObject({ kind: 'open', round: 1 });
    const open = [round(1, '2026-12-01T00:00:00.000Z', '2026-12-08T00:00:00.000Z', 'open')];
    expect(nextTransition(oneOff, open, t('2026-12-06T00:00:00Z'), 24, new Set())).toBeUndefined();
    expect(nextTransition(oneOff, open, t('2026-12-07T00:00:00Z'), 24, new Set())).toEqual({ kind: 'remind', round: 1 });
    expect(nextTransition(oneOff, open, t('2026-12-07T00:00:00Z'), 24, new Set([1]))).toBeUndefined();
    expect(nextTransition(oneOff, open, t('2026-12-08T00:00:00Z'), 24, new Set([1]))).toEqual({ kind: 'close', round: 1 });
    expect(campaignStatus(oneOff, [{ ...open[0], status: 'closed' }])).toBe('closed');
  });

  it('opens a monthly round on the 1st at 08:00 district time for its days', () => {
    expect(nextOpening(monthly, [], t('2026-11-28T00:00:00Z'))).toBe('2026-12-01T00:00:00.000Z');
    expect(nextTransition(monthly, [], t('2026-12-01T00:00:01Z'), 24, new Set())).toEqual({ kind: 'open', round: 1, opensAt: '2026-12-01T00:00:00.000Z', closesAt: '2026-12-08T00:00:00.000Z' });
  });

  it('catches up the latest missed occurrence whose window still runs, and skips one that is over', () => {
    const closed = [round(1, '2026-12-01T00:00:00.000Z', '2026-12-08T00:00:00.000Z', 'closed')];
    // Down from 31 December to 3 January: January's round (1–8 January) still runs.
    expect(nextTransition(monthly, closed, t('2027-01-03T00:00:00Z'), 24, new Set())).toMatchObject({ kind: 'open', round: 2, opensAt: '2027-01-01T00:00:00.000Z' });
    // Down until 10 January: January's window is over; nothing opens until February.
    expect(nextTransition(monthly, closed, t('2027-01-10T00:00:00Z'), 24, new Set())).toBeUndefined();
    expect(campaignStatus(monthly, closed)).toBe('scheduled');
  });

  it('accepts five-field cron expressions only', () => {
    expect(validCron('0 8 1 * *')).toBe(true);
    expect(validCron('every month')).toBe(false);
    expect(validCron('0 0 8 1 * *')).toBe(false);
  });
});
