/** The officials' case queue in the browser: filters, overdue flags, links to the case, "more" by cursor. */
import type { Page } from 'playwright-core';
import { screenshot, useBrowserPlatform, demoSignIn } from './support';

/** Submits the filters and waits for the answer (the button is disabled while loading). */
async function filter(page: Page): Promise<void> {
  await page.getByRole('button', { name: '筛选' }).click();
  // A string runs in the page (the tests are type-checked without the DOM library).
  await page.waitForFunction(`(() => {
    const b = [...document.querySelectorAll('button')].find((x) => x.textContent === '筛选');
    return b !== undefined && !b.disabled;
  })()`);
}

const { api, url, page: newPage } = useBrowserPlatform();
const DAY = 24 * 3600_000;

it('a supervisor filters the case queue to overdue cases', async () => {
  const receipt = await api.file({
    category: 'homework_burden',
    description: '三年级每天书面作业超过一个半小时，周末还布置了大量试卷。',
    subject: { schoolName: '第十六小学' },
  });
  // The accept_case task is opened by the workflow (school supervision); then nobody acts on it for five days.
  await api.taskFor('school_supervision', 'accept_case', receipt.receiptNo);
  await api.advanceClock(5 * DAY);
  await api.runSchedule('escalate-overdue-tasks');
  const overdue = await api.until(
    () => api.as('supervisor', 'GET', '/api/cases?overdue=true'),
    (r) => r.status === 200 && (r.body.items as Array<{ receiptNo: string }>).some((c) => c.receiptNo === receipt.receiptNo),
  );
  expect(overdue.status).toBe(200);

  const page = await newPage({ width: 360, height: 780 });
  await page.goto(`${url()}/#/official`);
  await demoSignIn(page, 'supervisor');
  await page.getByRole('heading', { name: '待办任务' }).waitFor();
  await page.getByRole('link', { name: '案件队列' }).click();
  await page.getByRole('heading', { name: '案件队列' }).waitFor();
  await page.locator(`[data-testid="queue-case"][data-receipt="${receipt.receiptNo}"]`).waitFor();

  await page.getByLabel('只看超时案件').check();
  await filter(page);
  const row = page.locator(`[data-testid="queue-case"][data-receipt="${receipt.receiptNo}"][data-overdue="true"]`);
  await row.waitFor();
  await row.getByText('已超时').waitFor();
  // Every row of the filtered list is flagged.
  const flags = await page.locator('[data-testid="queue-case"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-overdue')));
  expect(flags.length).toBeGreaterThan(0);
  expect(flags.every((f) => f === 'true')).toBe(true);
  await screenshot(page, 'case-queue-overdue');

  // The status filter narrows further; a status the case is not in hides it.
  await page.getByLabel('状态').selectOption('closed');
  await filter(page);
  await page.getByText('没有符合条件的案件。').waitFor();

  // The row links to the case detail.
  await page.getByLabel('状态').selectOption('');
  await filter(page);
  await row.getByRole('link', { name: receipt.receiptNo }).click();
  await page.getByRole('heading', { name: `案件详情 ${receipt.receiptNo}` }).waitFor();
});

it('pages through the queue with the cursor ("more")', async () => {
  for (let i = 0; i < 27; i++)
    await api.file({ category: 'other', description: `第 ${i + 1} 件测试举报：校外培训机构宣传单违规发放。`, subject: { address: `测试路 ${i + 1} 号` } });
  const page = await newPage({ width: 360, height: 780 });
  await page.goto(`${url()}/#/official`);
  await demoSignIn(page, 'supervisor');
  await page.getByRole('heading', { name: '待办任务' }).waitFor();
  await page.goto(`${url()}/#/official/queue`);
  await page.locator('[data-testid="queue-case"]').first().waitFor();
  expect(await page.locator('[data-testid="queue-case"]').count()).toBe(25);
  await page.getByRole('button', { name: '加载更多' }).click();
  await page.waitForFunction(`document.querySelectorAll('[data-testid="queue-case"]').length > 25`);
  const receipts = await page.locator('[data-testid="queue-case"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-receipt')));
  expect(new Set(receipts).size).toBe(receipts.length);
});
