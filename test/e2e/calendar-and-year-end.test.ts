/**
 * The platform's time on one machine, over HTTP against `npm start` pinned at 31 December 23:30
 * district time: PLATFORM_NOW starts the clock, a restart continues it, receipt numbers change year at
 * the district's midnight, a year with no working-day calendar is a warning in health until the admin
 * enters it, and then new deadlines (not the stored ones) count its holidays.
 */
import type { Receipt } from '../support/api-client';
import { usePlatform } from '../support/platform-process';

jest.setTimeout(180_000);

const PINNED = '2026-12-31T23:30:00+08:00';
const { api, restart } = usePlatform({ env: { PLATFORM_NOW: PINNED } });

const complaint = {
  category: 'homework_burden',
  description: '第六小学三年级每天书面作业超过两个小时，孩子经常写到晚上十点。',
  subject: { schoolName: '前进区第六小学教育集团' },
  contact: { name: '李先生', phone: '13800138000' },
};
const platformNow = async () => Date.parse(((await api.call('GET', '/_local/clock')).body as { now: string }).now);
const acceptTaskDue = async (r: Receipt) => new Date((await api.taskFor('school_supervision', 'accept_case', r.receiptNo)).dueAt).toISOString();

describe('the platform clock pinned at 31 December 23:30 district time', () => {
  let lastOf2026: Receipt;
  let filedWithoutCalendar: Receipt;

  it('starts at PLATFORM_NOW and reports its time in health', async () => {
    const health = await api.call('GET', '/api/health');
    expect(health.status).toBe(200);
    const skew = Date.parse(health.body.now as string) - Date.parse(PINNED);
    expect(skew).toBeGreaterThanOrEqual(0);
    expect(skew).toBeLessThan(120_000);
  });

  it('warns in health that 2027 has no working-day calendar, and says SLAs there count weekends only', async () => {
    const health = await api.call('GET', '/api/health');
    expect(health.body.warnings).toEqual([expect.objectContaining({ code: 'calendar_missing', year: 2027, message: expect.stringContaining('weekends only') })]);
    expect((await api.call('GET', '/api/calendar/2027')).body).toEqual({ year: 2027, source: 'missing', holidays: [], workdays: [] });
    expect((await api.call('GET', '/api/calendar/2026')).body).toMatchObject({ year: 2026, source: 'bundled', holidays: expect.arrayContaining(['2026-10-01']), workdays: expect.arrayContaining(['2026-10-10']) });
  });

  it('numbers a complaint filed before the district midnight in 2026 and one after it in 2027, from 000001', async () => {
    lastOf2026 = await api.file(complaint);
    expect(lastOf2026.receiptNo).toMatch(/^TS-2026-\d{6}$/);
    // To 00:00:30 on 1 January, district time.
    await api.advanceClock(Date.parse('2027-01-01T00:00:30+08:00') - (await platformNow()));
    filedWithoutCalendar = await api.file(complaint);
    expect(filedWithoutCalendar.receiptNo).toBe('TS-2027-000001');
  });

  it('counts New Year’s Day as a working day while 2027 has no calendar (weekends only)', async () => {
    // Filed on Friday 1 January: one working day later is Monday 4 January when only weekends are off.
    expect(await acceptTaskDue(filedWithoutCalendar)).toBe('2027-01-04T15:59:59.999Z');
  });

  it('lets the admin alone enter 2027, refusing a bad date by its field', async () => {
    expect((await api.as('supervisor', 'PUT', '/api/admin/calendar/2027', { holidays: ['2027-01-01'], workdays: [] })).status).toBe(403);
    const notADate = await api.as('admin', 'PUT', '/api/admin/calendar/2027', { holidays: ['2027-01-01', '2027-13-01'], workdays: [] });
    expect(notADate.status).toBe(400);
    expect(notADate.body.error.details).toEqual([expect.objectContaining({ field: 'holidays.1', message: expect.stringContaining('YYYY-MM-DD') })]);
    // Wednesday 6 January is a working day anyway; 2028-01-01 is not in 2027.
    const bad = await api.as('admin', 'PUT', '/api/admin/calendar/2027', { holidays: ['2027-01-01', '2028-01-01'], workdays: ['2027-01-06'] });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((d: { field: string }) => d.field)).toEqual(['holidays.1', 'workdays.0']);
    expect((await api.call('GET', '/api/calendar/2027')).body.source).toBe('missing');
    // A test calendar, not the State Council's: 1–4 January off, Saturday 9 January a make-up working day.
    const saved = await api.as('admin', 'PUT', '/api/admin/calendar/2027', { holidays: ['2027-01-01', '2027-01-02', '2027-01-03', '2027-01-04'], workdays: ['2027-01-09'] });
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({ year: 2027, source: 'admin', holidays: ['2027-01-01', '2027-01-02', '2027-01-03', '2027-01-04'], workdays: ['2027-01-09'], updatedBy: 'admin:admin' });
    expect((await api.call('GET', '/api/calendar/2027')).body.source).toBe('admin');
  });

  it('ends the warning once the year has a calendar', async () => {
    expect((await api.call('GET', '/api/health')).body.warnings).toEqual([]);
  });

  it('gives new deadlines the entered calendar and leaves the stored ones as they were', async () => {
    const filedWithCalendar = await api.file(complaint);
    expect(filedWithCalendar.receiptNo).toBe('TS-2027-000002');
    expect(await acceptTaskDue(filedWithCalendar)).toBe('2027-01-05T15:59:59.999Z');
    expect(await acceptTaskDue(filedWithoutCalendar)).toBe('2027-01-04T15:59:59.999Z');
  });

  it('continues its time across a restart instead of going back to PLATFORM_NOW', async () => {
    const before = await platformNow();
    await restart('SIGKILL');
    const after = await platformNow();
    expect(after).toBeGreaterThanOrEqual(before);
    expect(after - before).toBeLessThan(120_000);
    expect((await api.file(complaint)).receiptNo).toBe('TS-2027-000003');
  });
});
