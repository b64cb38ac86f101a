/**
 * A supervisor's campaign console in the browser: create a campaign with a live preview, hand out
 * tokens, and read the results dashboard (participation, charts) once parents have answered.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import { screenshot, useBrowserPlatform, demoSignIn } from './support';

/** What a phone's camera reads from a QR code's screenshot. */
function decodeQr(png: Buffer): string | undefined {
  const image = PNG.sync.read(png);
  return jsQR(new Uint8ClampedArray(image.data), image.width, image.height)?.data;
}

const { api, url, page: newPage } = useBrowserPlatform();
const HOUR = 3600_000;
const formText = readFileSync(join(__dirname, '../unit/campaigns/fixtures/homework-survey.json'), 'utf8');
/** A datetime-local value in district time. */
const local = (ms: number) => new Date(ms + 8 * HOUR).toISOString().slice(0, 16);

it('a supervisor creates a campaign with a preview, hands out tokens, and sees the results chart after parents answer', async () => {
  const { now } = (await api.call('GET', '/_local/clock')).body as { now: string };
  const page = await newPage({ width: 360, height: 800 });
  await page.goto(`${url()}/#/official`);
  await demoSignIn(page, 'supervisor');
  await page.getByRole('heading', { name: '待办任务' }).waitFor();
  await page.getByRole('link', { name: '问卷活动' }).click();
  await page.getByRole('heading', { name: '问卷活动' }).waitFor();
  await page.getByRole('link', { name: '新建问卷活动' }).click();
  await page.getByRole('heading', { name: '新建问卷活动' }).waitFor();

  await page.getByLabel('标题').fill('三年级作业负担家长问卷（控制台测试）');
  await page.locator('input[data-field="audience.classIds"][value="p06-g3c1"]').check();
  await page.getByLabel('开始时间（北京时间）').fill(local(Date.parse(now) + HOUR));
  // Closing before opening: the API's 400 names schedule.closesAt, shown beside that input.
  await page.getByLabel('结束时间（北京时间）').fill(local(Date.parse(now) - HOUR));
  await page.getByLabel(/^问卷（SurveyJS JSON）/).fill(formText);
  // The live preview renders the pasted form with SurveyJS.
  await page.getByTestId('form-preview').getByText('孩子每天完成书面作业的平均时间是多少？').waitFor();
  await page.getByRole('button', { name: '添加阈值' }).click();
  await page.getByLabel('题目名称（name）').fill('homeworkMinutes');
  await page.getByLabel('计入的答案（逗号分隔）').fill('60to90, gt90, nonsense');
  await page.getByRole('button', { name: '创建活动' }).click();
  const closesField = page.locator('.field:has(input[name="schedule.closesAt"])');
  await closesField.locator('.field-error').waitFor();
  expect(await closesField.locator('.field-error').innerText()).toMatch(/closesAt|after/);
  await screenshot(page, 'campaign-create-errors');

  await page.getByLabel('结束时间（北京时间）').fill(local(Date.parse(now) + 8 * 24 * HOUR));
  await page.getByRole('button', { name: '创建活动' }).click();
  // Next the threshold's unknown value is named (thresholds.0.values.2) beside its input.
  const valuesField = page.locator('.field:has(input[name="thresholds.0.values"])');
  await valuesField.locator('.field-error').waitFor();
  expect(await valuesField.locator('.field-error').innerText()).toMatch(/must be one of/);
  await page.getByLabel('计入的答案（逗号分隔）').fill('60to90, gt90');
  await screenshot(page, 'campaign-create-preview');
  await page.getByRole('button', { name: '创建活动' }).click();

  await page.getByTestId('campaign-status').waitFor();
  const campaignId = decodeURIComponent(new URL(page.url()).hash.split('/').pop() ?? '');
  expect(campaignId).toMatch(/^CP-[0-9A-Z]{10}$/);
  expect(await page.getByTestId('campaign-status').getAttribute('data-status')).toBe('scheduled');

  // Tokens for the class, with ready-made links.
  await page.getByLabel('数量').fill('3');
  await page.getByRole('button', { name: '生成答卷码' }).click();
  await page.getByTestId('token').first().waitFor();
  const tokens = await page.getByTestId('token').evaluateAll((els) => els.map((e) => e.getAttribute('data-token') ?? ''));
  expect(tokens).toHaveLength(3);
  const link = await page.getByTestId('token').first().getByRole('link').getAttribute('href');
  expect(link).toContain(`#/survey/${campaignId}?token=${tokens[0]}`);
  await screenshot(page, 'campaign-tokens');

  // The class's printable sheet: one QR card per token, and each QR, scanned, is that token's survey link.
  await page.getByText('二维码页', { exact: true }).first().click();
  const sheet = page.getByTestId('print-sheet').first();
  const cards = sheet.getByTestId('qr-card');
  expect(await cards.count()).toBe(3);
  for (const [i, tok] of tokens.entries()) {
    expect(decodeQr(await cards.nth(i).locator('svg.qr').screenshot())).toBe(link?.replace(tokens[0], tok));
    expect(await cards.nth(i).innerText()).toContain(tok);
  }
  // Printing prints that sheet alone, laid out on A4.
  await page.evaluate('window.print = () => undefined');
  await sheet.getByRole('button', { name: '打印二维码页' }).click();
  await page.emulateMedia({ media: 'print' });
  const visibility = (css: string) => page.evaluate<string>(`getComputedStyle(document.querySelector(${JSON.stringify(css)})).visibility`);
  expect(await visibility('#tokens-title')).toBe('hidden');
  expect(await visibility('.print-sheet.printing [data-testid="qr-card"]')).toBe('visible');
  expect((await page.pdf({ format: 'A4' })).subarray(0, 4).toString()).toBe('%PDF');
  await page.emulateMedia({ media: 'screen' });
  await page.evaluate(`window.dispatchEvent(new Event('afterprint'))`);
  expect(await visibility('#tokens-title')).toBe('visible');
  await screenshot(page, 'campaign-qr-sheet');

  // The round opens on the clock; two parents answer.
  await api.advanceClock(2 * HOUR);
  await api.runSchedule('campaign-clock');
  const answers = [
    { homeworkMinutes: '60to90', parentsAskedToGrade: false, afterSchoolService: true, satisfaction: 4 },
    { homeworkMinutes: 'gt90', parentsAskedToGrade: true, afterSchoolService: true, satisfaction: 2, comments: '作业太多' },
  ];
  for (const [i, a] of answers.entries()) {
    const res = await api.call('POST', `/api/surveys/${campaignId}/responses`, { body: { token: tokens[i], answers: a } });
    expect(res.status).toBe(201);
  }

  await page.getByRole('button', { name: '刷新' }).click();
  await page.locator('[data-testid="campaign-status"][data-status="open"]').waitFor();
  const results = page.getByTestId('results');
  await results.getByText('2 / ').waitFor();
  const rate = Number(await results.getByTestId('participation').getAttribute('data-rate'));
  expect(rate).toBeGreaterThan(0);
  const chart = results.locator('[data-question="homeworkMinutes"] [data-testid="chart"]');
  await chart.locator('svg, canvas').first().waitFor();
  // The choices are labelled with the form's texts.
  await results.locator('[data-question="homeworkMinutes"]').getByText('90分钟以上').first().waitFor();
  await screenshot(page, 'campaign-results');

  // The CSV export: fetched with the token, following the 303 to the file, downloaded from a blob.
  const [download] = await Promise.all([page.waitForEvent('download'), results.getByRole('button', { name: '导出 CSV' }).click()]);
  expect(download.suggestedFilename()).toMatch(/\.csv$/);
  await results.getByText(/已下载：/).waitFor();

  // The campaign list comes from the platform (GET /api/campaigns), with the status its round gives it.
  await page.getByRole('link', { name: '问卷活动' }).first().click();
  await page.getByRole('link', { name: '三年级作业负担家长问卷（控制台测试）' }).waitFor();
  const row = page.getByTestId('campaign-row').filter({ hasText: campaignId });
  expect(await row.getAttribute('data-status')).toBe('open');
  // Filtered to the closed campaigns, it is not listed.
  await page.getByLabel('状态').selectOption('closed');
  await page.getByRole('button', { name: '筛选' }).click();
  await row.waitFor({ state: 'detached' });
  expect(await page.getByTestId('campaign-row').evaluateAll((els) => els.map((e) => e.getAttribute('data-status')))).not.toContain('open');
});
