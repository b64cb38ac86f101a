import { districtCron, rateMs } from '../../../local/scheduler';
import { schedules } from '../../../lib/spec/schedules';

describe('the local scheduler reads the schedules as EventBridge Scheduler does', () => {
  it('understands every expression of the schedule spec', () => {
    for (const s of schedules) expect(() => rateMs(s.expression) ?? districtCron(s.expression)).not.toThrow();
  });

  it('fires the daily overdue escalation at 00:05 district time (16:05 UTC the day before)', () => {
    const cron = districtCron('cron(5 0 * * ? *)');
    expect(cron.nextRun(new Date('2026-12-07T16:10:00Z'))?.toISOString()).toBe('2026-12-08T16:05:00.000Z');
    expect(cron.nextRun(new Date('2026-12-07T16:04:59Z'))?.toISOString()).toBe('2026-12-07T16:05:00.000Z');
  });

  it('crosses the year end and 29 February in district time', () => {
    const cron = districtCron('cron(5 0 * * ? *)');
    expect(cron.nextRun(new Date('2026-12-31T23:30:00+08:00'))?.toISOString()).toBe('2026-12-31T16:05:00.000Z');
    expect(cron.nextRun(new Date('2028-02-28T23:30:00+08:00'))?.toISOString()).toBe('2028-02-28T16:05:00.000Z');
  });

  it('refuses a numbered day of week, which EventBridge and cron count differently', () => {
    expect(() => districtCron('cron(0 8 ? * 2 *)')).toThrow(/day-of-week/);
  });
});
