/** Officials in the browser: sign in, work the inbox, read the case with its audit trail. */
import { screenshot, useBrowserPlatform, demoSignIn } from './support';

const { api, url, page: newPage } = useBrowserPlatform();

it('an officer (group_4, for a complaint about 状元补习班) completes the accept_case task from the inbox', async () => {
  const receipt = await api.file({
    category: 'unlicensed_tutoring',
    description: '状元补习班周末给小学生上数学课，收费很高，还提前教下学期的内容。',
    subject: { institutionName: '状元补习班' },
    contact: { name: '李先生', phone: '13700001111' },
  });
  const task = await api.taskFor('group_4', 'accept_case', receipt.receiptNo);

  const page = await newPage();
  await page.goto(`${url()}/#/official`);
  await demoSignIn(page, 'group_4');
  await page.getByRole('heading', { name: '待办任务' }).waitFor();
  const card = page.locator(`[data-testid="task"][data-subject="${receipt.receiptNo}"][data-task-kind="accept_case"]`);
  await card.waitFor();
  // Transfer asks for a unit: the form says so before anything is sent.
  await card.getByLabel('转办').check();
  await card.getByRole('button', { name: '提交决定' }).click();
  await card.getByText('请填写此项。').waitFor();
  await card.getByLabel('受理', { exact: true }).check();
  await card.getByLabel('内部备注（选填）').fill('已电话核实举报人信息');
  await screenshot(page, 'officer-inbox');
  await card.getByRole('button', { name: '提交决定' }).click();
  await page.getByText(`${receipt.receiptNo}: 已提交。`).waitFor();
  expect(await card.count()).toBe(0);

  // The task is done once: the API refuses a second completion with 409.
  expect((await api.complete('group_4', task.taskId, { decision: 'accept' })).status).toBe(409);
  const next = await api.taskFor('group_4', 'investigate', receipt.receiptNo);
  expect(next.decisions).toEqual(['unfounded', 'violation_confirmed']);

  // The investigate task now shows in the inbox; the case shows its audit trail and the contact.
  await page.getByRole('button', { name: '刷新' }).click();
  const investigate = page.locator(`[data-testid="task"][data-subject="${receipt.receiptNo}"][data-task-kind="investigate"]`);
  await investigate.waitFor();
  await investigate.getByLabel('查实违规').check();
  await investigate.getByLabel('公安').waitFor();
  await investigate.getByRole('link', { name: receipt.receiptNo }).click();
  await page.getByRole('heading', { name: `案件详情 ${receipt.receiptNo}` }).waitFor();
  const trail = await page.getByTestId('audit-trail').innerText();
  expect(trail).toMatch(/received/);
  expect(trail).toMatch(/triaged/);
  expect(trail).toMatch(/group_4/);
  expect(await page.locator('main').innerText()).toContain('13700001111');
  await screenshot(page, 'officer-case-detail');
});

it('shows a 409 when the task was completed elsewhere meanwhile', async () => {
  const receipt = await api.file({ category: 'homework_burden', description: '四年级每天书面作业超过两小时，还要求家长批改签字。', subject: { schoolName: '第十一小学教育集团' } });
  const task = await api.taskFor('school_supervision', 'accept_case', receipt.receiptNo);
  const page = await newPage();
  await page.goto(`${url()}/#/official`);
  await demoSignIn(page, 'school_supervision');
  const card = page.locator(`[data-testid="task"][data-subject="${receipt.receiptNo}"][data-task-kind="accept_case"]`);
  await card.waitFor();
  expect((await api.complete('school_supervision', task.taskId, { decision: 'accept' })).status).toBe(200);
  await card.getByRole('button', { name: '提交决定' }).click();
  await card.getByText(/操作未执行/).waitFor();
});
