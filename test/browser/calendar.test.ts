/**
 * The working-day calendar in the browser: the platform's warning that next year has no calendar, shown
 * to admins and supervisors only; the admin enters the year (a bad date is named beside its list and
 * nothing is saved); and the console's "today" is the platform's, not the browser's.
 */
import type { Page } from 'playwright-core';
import { screenshot, useBrowserPlatform, demoSignIn } from './support';

// December, whatever date the matrix pins: from 1 November the next year needs a calendar, and the
// bundled one ends with 2026, so health warns about 2027.
const PLATFORM_NOW = '2026-12-07T10:00:00+08:00';
const { api, url, page: newPage } = useBrowserPlatform({ env: { PLATFORM_NOW } });

/** The district date of the platform's clock (which runs on from PLATFORM_NOW). */
async function platformToday(): Promise<string> {
  const { now } = (await api.call('GET', '/_local/clock')).body as { now: string };
  return new Date(Date.parse(now) + 8 * 3600_000).toISOString().slice(0, 10);
}

async function signIn(page: Page, username: string): Promise<void> {
  await page.goto(`${url()}/#/official`);
  await demoSignIn(page, username);
}

/**
 * Opens the notice board and waits for its default date, which is filled in only once the platform's
 * health (time and warnings at once) has answered: from then on the banner shows or never will.
 */
async function openBoardWhenClockKnown(page: Page): Promise<string> {
  await page.goto(`${url()}/#/notices`);
  const date = page.getByLabel(/^日期/);
  // A string, evaluated in the page (the tests are compiled without the DOM's types).
  await page.waitForFunction(`(document.querySelector('input[name="date"]')?.value ?? '') !== ''`);
  return date.inputValue();
}

const banner = (page: Page) => page.getByTestId('health-warnings');
const fieldErrors = (page: Page, list: 'holidays' | 'workdays') => page.locator(`.field:has(textarea[name="${list}"]) .field-error li`);

it('takes the notice board’s default date from the platform’s clock, not from a wrong browser clock', async () => {
  const page = await newPage();
  // A school PC whose clock is years off.
  await page.clock.setFixedTime(new Date('2031-03-15T12:00:00+08:00'));
  const shown = await openBoardWhenClockKnown(page);
  expect(await page.evaluate(() => new Date().toISOString().slice(0, 10))).toBe('2031-03-15');
  expect(shown).toBe(await platformToday());
});

it('warns supervisors that 2027 has no working-day calendar, and never school admins or citizens', async () => {
  const warnings = (await api.call('GET', '/api/health')).body.warnings as Array<{ code: string; year: number }>;
  expect(warnings).toContainEqual(expect.objectContaining({ code: 'calendar_missing', year: 2027 }));

  const citizen = await newPage();
  await openBoardWhenClockKnown(citizen);
  expect(await banner(citizen).count()).toBe(0);

  const school = await newPage();
  await signIn(school, 'school_admin_p06');
  await school.getByRole('heading', { name: /整改台账/ }).waitFor();
  await openBoardWhenClockKnown(school);
  await school.getByRole('button', { name: '退出' }).waitFor(); // still signed in on the public page
  expect(await banner(school).count()).toBe(0);
  expect(await school.getByRole('link', { name: '工作日历' }).count()).toBe(0);

  const supervisor = await newPage();
  await signIn(supervisor, 'supervisor');
  await supervisor.getByRole('heading', { name: '待办任务' }).waitFor();
  await banner(supervisor).getByText(/^2027 年没有工作日历/).waitFor();
  // Supervisors answer for the deadlines but do not keep the calendar: no link to it, and the page says no.
  expect(await banner(supervisor).getByRole('link').count()).toBe(0);
  expect(await supervisor.getByRole('link', { name: '工作日历' }).count()).toBe(0);
  await supervisor.goto(`${url()}/#/official/calendar?year=2027`);
  await supervisor.getByText('无权访问：只有系统管理员可以维护工作日历。').waitFor();
  expect(await supervisor.locator('textarea').count()).toBe(0);
  // In English the same warning reads in English.
  await supervisor.getByRole('button', { name: 'Switch to English' }).click();
  await banner(supervisor).getByText(/^No working-day calendar for 2027/).waitFor();
  await screenshot(supervisor, 'calendar-warning-supervisor');
});

it('lets an admin enter the 2027 calendar: a weekday as make-up day is refused beside its line, then a good calendar saves and the warning goes', async () => {
  const page = await newPage({ width: 1024, height: 900 });
  await signIn(page, 'admin');
  await page.getByRole('heading', { name: '待办任务' }).waitFor();
  await banner(page).getByText(/^2027 年没有工作日历/).waitFor();
  await screenshot(page, 'calendar-warning-admin');
  await banner(page).getByRole('link', { name: '录入 2027 年工作日历' }).click();
  await page.getByRole('heading', { name: '工作日历（节假日与调休）' }).waitFor();
  await page.locator('[data-testid="calendar-source"][data-source="missing"]').waitFor();

  // 2027-01-01 is a Friday, 2027-02-08/09 a Monday and Tuesday; 2027-01-02 and 2027-02-20 are Saturdays,
  // 2027-02-03 a Wednesday (a working day anyway, so not a make-up one).
  await page.getByLabel(/^法定节假日/).fill('2027-01-01\n2027-02-08\n2027-02-09');
  await page.getByLabel(/^调休上班日/).fill('2027-01-02\n\n2027-02-03');
  await page.getByRole('button', { name: '保存工作日历' }).click();
  const bad = fieldErrors(page, 'workdays');
  await bad.first().waitFor();
  // The API names workdays.1; the page says which line that is (the empty line is skipped, not counted).
  expect(await bad.allInnerTexts()).toEqual([expect.stringMatching(/^第 3 行（2027-02-03）：.*(Saturday or Sunday|weekday|Wednesday)/)]);
  expect(await fieldErrors(page, 'holidays').count()).toBe(0);
  await screenshot(page, 'calendar-invalid');
  // Nothing was saved: the year is still missing, and the warning stays.
  expect((await api.call('GET', '/api/calendar/2027')).body.source).toBe('missing');
  expect(await banner(page).count()).toBe(1);

  await page.getByLabel(/^调休上班日/).fill('2027-01-02\n2027-02-20');
  await page.getByRole('button', { name: '保存工作日历' }).click();
  await page.getByText('已保存 2027 年工作日历：3 个节假日，2 个调休上班日。').waitFor();
  await page.locator('[data-testid="calendar-source"][data-source="admin"]').waitFor();
  expect(await fieldErrors(page, 'workdays').count()).toBe(0);
  expect((await api.call('GET', '/api/calendar/2027')).body).toMatchObject({ source: 'admin', holidays: ['2027-01-01', '2027-02-08', '2027-02-09'], workdays: ['2027-01-02', '2027-02-20'], updatedBy: 'admin:admin' });
  // The banner goes at once (the page asks health again) …
  await banner(page).waitFor({ state: 'detached' });
  await screenshot(page, 'calendar-saved');

  // … and stays gone after a reload. The page without a year waits for the platform's clock to pick the
  // current one, so once it shows 2026 the health answer is in and the banner would be there if it were due.
  await page.goto(`${url()}/#/official/calendar`);
  await page.reload();
  await page.locator('[data-testid="calendar-source"][data-source="bundled"]').waitFor();
  expect(await page.getByLabel('年份').inputValue()).toBe('2026');
  expect(await banner(page).count()).toBe(0);
  expect((await api.call('GET', '/api/health')).body.warnings).toEqual([]);
});
