/**
 * Date-bound reads against the real DynamoDB Local: a homework notice published on a Monday (the week
 * before it is empty, and DynamoDB refuses an inverted BETWEEN: issue 12), the week average over the
 * days before it, and the working-day calendar an admin enters winning over the bundled one.
 */
import type { DynamodbLocal } from '../../local/dynamodb/dynamodb-local';
import { startTestDatabase } from '../support/local-dynamodb';
import { clock } from '../../lambdas/platform/clock';
import { addDays, weekdayOf } from '../../lambdas/platform/dates';

/** Fixtures enter the registry as an admin would: through the import. */
const seeder = { username: 'test-fixture', role: 'admin' } as const;

jest.setTimeout(120_000);

let db: DynamodbLocal;
let publish: typeof import('../../lambdas/domain/homework/publish-notice');
let notices: typeof import('../../lambdas/domain/homework/notice-repository');
let calendar: typeof import('../../lambdas/domain/calendar/calendar');

const schoolAdmin = { username: 'school_admin_p01', role: 'school_admin' as const, schoolId: 'p01' };
const admin = { username: 'admin', role: 'admin' as const };
const written = (minutes: number) => ({ subject: '数学', kind: 'written' as const, content: '练习册第 3 页', minutes });

beforeAll(async () => {
  ({ db } = await startTestDatabase());
  // Modules read their table names when they load: after the database's environment is set.
  const registry = await import('../../lambdas/domain/registry/registry-import');
  publish = await import('../../lambdas/domain/homework/publish-notice');
  notices = await import('../../lambdas/domain/homework/notice-repository');
  calendar = await import('../../lambdas/domain/calendar/calendar');
  await registry.importDistrict(seeder, {
    schools: [
      {
        schoolId: 'p01',
        name: '第一小学',
        stage: 'primary',
        area: 'group_1',
        noHomeworkWeekdays: [],
        classes: [{ classId: 'p01-g4c1', grade: 4, name: '4年级1班', enrolled: 40 }],
      },
    ],
  });
});
afterAll(async () => db?.stop());

describe('a homework notice on a Monday', () => {
  // A Monday; the test pins the clock to it, whatever day it runs.
  const monday = '2026-12-07';

  it('is published and checked, though no notice of its week comes before it', async () => {
    clock.pin(`${monday}T09:00:00+08:00`);
    expect(weekdayOf(monday)).toBe(1);
    const out = await publish.publishNotice(schoolAdmin, { classId: 'p01-g4c1', date: monday, items: [written(50)] });
    expect(out.violations).toEqual([]);
    expect(await notices.getNotice('p01-g4c1', monday)).toMatchObject({ date: monday, writtenMinutes: 50 });
  });

  it('reads an empty week when the range ends before it starts, instead of a DynamoDB ValidationException', async () => {
    await expect(notices.classNoticesBetween('p01-g4c1', monday, addDays(monday, -1))).resolves.toEqual([]);
  });

  it('counts the Monday in the average of the Tuesday after it', async () => {
    clock.pin(`${addDays(monday, 1)}T09:00:00+08:00`);
    // 50 on Monday + 80 on Tuesday = 65 a day: over the week-average limit of 60 for grades 3–6.
    const out = await publish.publishNotice(schoolAdmin, { classId: 'p01-g4c1', date: addDays(monday, 1), items: [written(80)] });
    expect(out.violations.map((v) => v.rule)).toEqual(expect.arrayContaining([expect.stringContaining('week')]));
  });
});

describe('the working-day calendar', () => {
  it('is missing for a year the bundled table does not know, so SLAs there count weekends only', async () => {
    const view = await calendar.calendarYear(2027);
    expect(view).toMatchObject({ year: 2027, source: 'missing', holidays: [], workdays: [] });
    // 2027-01-01 is a Friday: without a calendar it counts as a working day.
    expect(await calendar.nthWorkingDayAfter(new Date('2026-12-31T10:00:00+08:00'), 1)).toBe('2027-01-01');
    expect(await calendar.calendarWarnings(new Date('2026-12-07T10:00:00+08:00'))).toEqual([expect.objectContaining({ code: 'calendar_missing', year: 2027 })]);
  });

  it('entered by the admin wins for new deadlines and ends the warning', async () => {
    const entered = await calendar.replaceCalendarYear(admin, 2027, { holidays: ['2027-01-01', '2027-01-02', '2027-01-03'], workdays: [] });
    expect(entered).toMatchObject({ year: 2027, source: 'admin', updatedBy: 'admin:admin' });
    expect(await calendar.calendarYear(2027)).toMatchObject({ source: 'admin', holidays: ['2027-01-01', '2027-01-02', '2027-01-03'] });
    expect(await calendar.nthWorkingDayAfter(new Date('2026-12-31T10:00:00+08:00'), 1)).toBe('2027-01-04');
    expect(await calendar.calendarWarnings(new Date('2026-12-07T10:00:00+08:00'))).toEqual([]);
  });

  it('entered by the admin also wins over a bundled year', async () => {
    expect((await calendar.calendarYear(2026)).source).toBe('bundled');
    await calendar.replaceCalendarYear(admin, 2026, { holidays: ['2026-12-08'], workdays: [] });
    expect(await calendar.nthWorkingDayAfter(new Date('2026-12-07T10:00:00+08:00'), 1)).toBe('2026-12-09');
  });

  it('refuses dates outside the year, a weekday as a make-up day and a date in both lists, naming each', async () => {
    const err = await calendar.replaceCalendarYear(admin, 2027, { holidays: ['2028-01-01', '2027-02-06'], workdays: ['2027-02-03', '2027-02-06'] }).catch((e: unknown) => e);
    expect(err).toMatchObject({ statusCode: 400 });
    const fields = (err as { details: Array<{ field: string }> }).details.map((d) => d.field);
    expect(fields).toEqual(expect.arrayContaining(['holidays.0', 'workdays.0', 'workdays.1']));
    expect((await calendar.calendarYear(2027)).holidays).toEqual(['2027-01-01', '2027-01-02', '2027-01-03']);
  });

  it('is kept by the admin only', async () => {
    await expect(calendar.replaceCalendarYear({ username: 'supervisor', role: 'supervisor' }, 2027, { holidays: [], workdays: [] })).rejects.toMatchObject({ statusCode: 403 });
  });
});
