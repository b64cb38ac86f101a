/** Ledger extras in the browser: the district summary, the escalation list, adding an item, exports. */
import { screenshot, useBrowserPlatform, demoSignIn } from './support';

const { api, url, page: newPage } = useBrowserPlatform();
const DAY = 24 * 3600_000;

/** A district date near today that is not a Wednesday (第六小学's no-homework day). */
async function schoolDay(): Promise<string> {
  const { now } = (await api.call('GET', '/_local/clock')).body as { now: string };
  for (let d = 0; ; d--) {
    const date = new Date(Date.parse(now) + 8 * 3600_000 + d * DAY).toISOString().slice(0, 10);
    if (new Date(`${date}T00:00:00Z`).getUTCDay() !== 3) return date;
  }
}

it('a supervisor reads the district summary and the escalation list, adds an item and exports the ledger', async () => {
  const notice = await api.as('school_admin_p06', 'POST', '/api/homework/notices', {
    classId: 'p06-g3c1',
    date: await schoolDay(),
    items: [{ subject: '数学', content: '练习册第20-23页', kind: 'written', minutes: 80 }],
  });
  expect(notice.status).toBe(201);
  const [itemId] = notice.body.rectificationItemIds as string[];
  // Nobody rectifies it: a month later it is overdue and escalated.
  await api.advanceClock(30 * DAY);
  await api.runSchedule('escalate-overdue-rectification-items');

  const page = await newPage({ width: 360, height: 800 });
  await page.goto(`${url()}/#/official`);
  await demoSignIn(page, 'supervisor');
  await page.getByRole('heading', { name: '待办任务' }).waitFor();
  await page.getByRole('link', { name: '整改台账' }).click();
  const district = page.getByTestId('district');
  await district.getByTestId('summary-table').waitFor();
  await district.locator(`[data-testid="overdue-list"] [data-item-id="${itemId}"]`).waitFor();
  await screenshot(page, 'ledger-district');

  // The district export downloads a file fetched with the bearer token.
  const [xlsx] = await Promise.all([page.waitForEvent('download'), district.getByRole('button', { name: '导出 Excel' }).click()]);
  expect(xlsx.suggestedFilename()).toMatch(/\.xlsx$/);

  // A supervisor adds a problem to the school's open plan.
  await page.getByLabel('学校').selectOption('p06');
  await page.locator(`[data-testid="ledger-item"][data-item-id="${itemId}"]`).waitFor();
  const plan = page.locator('article', { has: page.locator(`[data-item-id="${itemId}"]`) });
  await plan.getByText('新增整改问题').click();
  await plan.getByRole('button', { name: '添加' }).click();
  await plan.locator('.field-error').first().waitFor();
  await plan.getByLabel(/^问题/).fill('督导检查发现三年级课后服务时段安排学科新课');
  await plan.getByLabel(/^整改措施/).fill('课后服务时段只安排作业辅导和兴趣活动');
  await plan.getByLabel(/^责任人/).fill('王校长');
  // Ten days after the platform's today (its clock, moved a month on above; never the real date).
  const { now } = (await api.call('GET', '/_local/clock')).body as { now: string };
  const due = new Date(Date.parse(now) + 8 * 3600_000 + 10 * DAY).toISOString().slice(0, 10);
  await plan.getByLabel(/^整改期限/).fill(due);
  await plan.getByLabel('来源', { exact: true }).selectOption('self_inspection');
  await plan.getByRole('button', { name: '添加' }).click();
  await plan.getByText('督导检查发现三年级课后服务时段安排学科新课').first().waitFor();
  await screenshot(page, 'ledger-add-item');

  const [csv] = await Promise.all([page.waitForEvent('download'), page.locator('.export').last().getByRole('button', { name: '导出 CSV' }).click()]);
  expect(csv.suggestedFilename()).toMatch(/\.csv$/);
});
