import { tokenExpiry } from '../../../lambdas/domain/campaigns/schedule';
import type { Round } from '../../../lambdas/domain/campaigns/schemas';

const DAY = 86_400_000;
const now = new Date('2026-12-07T02:00:00Z');
const seconds = (iso: string, plusDays = 0) => Math.floor((Date.parse(iso) + plusDays * DAY) / 1000);

describe('a survey token is kept at least until its round has closed', () => {
  it('for 180 days from issue when its round closes within them', () => {
    expect(tokenExpiry({ opensAt: '2026-12-07T08:00:00+08:00', closesAt: '2026-12-14T18:00:00+08:00' }, [], undefined, now)).toBe(seconds(now.toISOString(), 180));
  });

  it('until a month after the close of a one-off round that stays open longer than 180 days', () => {
    expect(tokenExpiry({ opensAt: '2026-12-07T08:00:00+08:00', closesAt: '2027-09-01T18:00:00+08:00' }, [], undefined, now)).toBe(seconds('2027-09-01T18:00:00+08:00', 30));
  });

  it('until a month after the close of the open round it belongs to', () => {
    const open: Round = { round: 1, opensAt: '2026-12-01T00:00:00Z', closesAt: '2027-08-01T00:00:00Z', status: 'open', formVersion: 1, enrolled: 40 };
    expect(tokenExpiry({ opensAt: open.opensAt, closesAt: open.closesAt }, [open], open, now)).toBe(seconds(open.closesAt, 30));
  });

  it('for a recurring campaign, past the close of the next round', () => {
    // The 1st of every month at 08:00 district time, open 31 days: the next round closes 2027-02-01 08:00.
    const exp = tokenExpiry({ cron: '0 8 1 * *', openForDays: 31 }, [], undefined, now);
    expect(exp).toBeGreaterThanOrEqual(seconds('2027-02-01T08:00:00+08:00', 30) - 1);
    expect(exp).toBeGreaterThanOrEqual(seconds(now.toISOString(), 180));
  });
});
