/** A parent answers a campaign's survey in the browser: SurveyJS renders the form, the API takes it once per token. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import type { Json } from '../support/api-client';
import { screenshot, useBrowserPlatform } from './support';

const { api, url, page: newPage } = useBrowserPlatform();
const HOUR = 3600_000;
const form = JSON.parse(readFileSync(join(__dirname, '../unit/campaigns/fixtures/homework-survey.json'), 'utf8')) as Json;
const at = (ms: number) => new Date(ms + 8 * HOUR).toISOString().replace('Z', '+08:00');

async function answer(page: Page): Promise<void> {
  await page.getByText('60–90分钟').click();
  await page.getByText('否', { exact: true }).click();
  await page.getByRole('button', { name: '下一页' }).click();
  await page.getByText('参加', { exact: true }).click();
  // At phone width SurveyJS shows the 1–5 rating as a drop-down.
  await page.locator('[data-name="satisfaction"] [role="combobox"]').click();
  await page.getByRole('option', { name: '4' }).click();
}

it('a parent answers a survey', async () => {
  const { now } = (await api.call('GET', '/_local/clock')).body as { now: string };
  const created = await api.as('supervisor', 'POST', '/api/campaigns', {
    title: '作业负担家长问卷（浏览器测试）',
    form,
    audience: { classIds: ['p06-g3c1'] },
    schedule: { opensAt: at(Date.parse(now) + HOUR), closesAt: at(Date.parse(now) + 8 * 24 * HOUR) },
  });
  expect(created.status).toBe(201);
  const campaignId = created.body.campaignId as string;
  const tokens = (await api.as('supervisor', 'POST', `/api/campaigns/${campaignId}/tokens`, { classId: 'p06-g3c1', count: 2 })).body.tokens as string[];

  // Not open yet: the page says so.
  const early = await newPage();
  await early.goto(`${url()}/#/survey/${campaignId}?token=${tokens[0]}`);
  await early.getByText('该问卷当前未开放。').waitFor();

  await api.advanceClock(2 * HOUR);
  await api.runSchedule('campaign-clock');

  const page = await newPage();
  await page.goto(`${url()}/#/survey/${campaignId}?token=${tokens[0]}`);
  await page.getByText('孩子每天完成书面作业的平均时间是多少？').waitFor();
  await answer(page);
  await screenshot(page, 'survey-answering');
  await page.getByRole('button', { name: '提交问卷' }).click();
  await page.getByTestId('survey-success').waitFor();
  await screenshot(page, 'survey-success');

  const results = (await api.as('supervisor', 'GET', `/api/campaigns/${campaignId}/results`)).body;
  expect(results.responses).toBe(1);
  expect(results.questions.homeworkMinutes.counts['60to90']).toBe(1);

  // The same token again: the API's 409, shown as such.
  const again = await newPage();
  await again.goto(`${url()}/#/survey/${campaignId}?token=${tokens[0]}`);
  await again.getByText('孩子每天完成书面作业的平均时间是多少？').waitFor();
  await answer(again);
  await again.getByRole('button', { name: '提交问卷' }).click();
  await again.getByTestId('survey-error').getByText(/答卷码已使用/).waitFor();
  await screenshot(again, 'survey-token-used');
});
