/** A citizen sees the outcome of a closed case and rates its handling, once. */
import { screenshot, useBrowserPlatform } from './support';

const { api, url, page: newPage } = useBrowserPlatform();

it('a citizen reads the outcome of a closed case and rates it once', async () => {
  const receipt = await api.file({
    category: 'unlicensed_tutoring',
    description: '状元补习班周末给小学生上数学课，收费很高。',
    subject: { institutionName: '状元补习班' },
    contact: { phone: '13700002222' },
  });
  const accept = await api.taskFor('group_4', 'accept_case', receipt.receiptNo);
  await api.complete('group_4', accept.taskId, { decision: 'accept' });
  const investigate = await api.taskFor('group_4', 'investigate', receipt.receiptNo);
  await api.complete('group_4', investigate.taskId, { decision: 'unfounded', data: { findings: '现场未发现培训。', publicOutcome: '经现场检查，未发现违规培训行为。' } });
  await api.until(() => api.track(receipt), (v) => v.status === 'closed');

  const page = await newPage();
  await page.goto(`${url()}/#/track`);
  await page.getByLabel('受理编号').fill(receipt.receiptNo);
  await page.getByLabel('查询码').fill(receipt.accessCode);
  await page.getByRole('button', { name: '查询' }).click();
  await page.getByText('经现场检查，未发现违规培训行为。').first().waitFor();
  await page.getByRole('heading', { name: '评价办理情况' }).waitFor();
  await page.getByRole('radio', { name: '4' }).check();
  await page.getByRole('button', { name: /评价|提交/ }).last().click();
  await page.getByText('感谢您的评价。').waitFor();
  await screenshot(page, 'citizen-rating');
  expect((await api.as('supervisor', 'GET', `/api/cases/${receipt.receiptNo}`)).body.rating).toEqual({ score: 4 });

  // Once only: a second rating is refused and says so.
  await page.reload();
  await page.getByLabel('受理编号').fill(receipt.receiptNo);
  await page.getByLabel('查询码').fill(receipt.accessCode);
  await page.getByRole('button', { name: '查询' }).click();
  await page.getByRole('radio', { name: '5' }).check();
  await page.getByRole('button', { name: /评价|提交/ }).last().click();
  await page.getByText('此案件已经评价过。').waitFor();
});
