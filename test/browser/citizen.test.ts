/** Citizens in the browser: file a complaint, keep the receipt, track it; the form works at 360 px. */
import { screenshot, useBrowserPlatform } from './support';

const { api, url, page: newPage } = useBrowserPlatform();

it('a citizen files a complaint and tracks it (the timeline shows the triage note)', async () => {
  const page = await newPage();
  await page.goto(`${url()}/#/`);
  await page.getByRole('heading', { name: '投诉举报' }).waitFor();

  // Client-side checks first: nothing is sent while the form is incomplete.
  await page.getByRole('button', { name: '提交' }).click();
  await page.getByText('请选择举报类别。').waitFor();
  await page.getByText('情况描述至少 10 个字。').waitFor();

  await page.getByLabel('举报类别').selectOption('unlicensed_tutoring');
  await page.getByLabel('情况描述').fill('状元补习班周末给小学生上数学课，收费很高，还提前教下学期的内容。');
  await page.getByLabel('机构名称').fill('状元补习班');
  await page.getByLabel('联系人姓名').fill('李先生');
  await page.getByLabel('手机号码').fill('13700001111');
  await page.getByRole('button', { name: '提交' }).click();

  await page.getByRole('heading', { name: '举报已提交' }).waitFor();
  const receiptNo = (await page.getByTestId('receipt-no').innerText()).trim();
  const accessCode = (await page.getByTestId('access-code').innerText()).trim();
  expect(receiptNo).toMatch(/^TS-\d{4}-\d{6}$/);
  expect(accessCode).toMatch(/^[23456789A-Z]{12}$/);
  await screenshot(page, 'citizen-receipt');

  // Triage is automatic; wait until the API shows its note, then look at it in the browser.
  await api.until(() => api.track({ receiptNo, accessCode, status: '' }), (v) => v.timeline.length >= 2);
  await page.getByRole('link', { name: '查询办理进度' }).click();
  await page.getByRole('heading', { name: '办理进度查询' }).waitFor();
  expect(await page.getByLabel('受理编号').inputValue()).toBe(receiptNo);
  await page.getByLabel('查询码').fill(accessCode.toLowerCase());
  await page.getByRole('button', { name: '查询' }).click();
  const timeline = page.getByTestId('timeline');
  await timeline.waitFor();
  await expectText(timeline.innerText(), /passed to the office responsible/);
  expect(await page.getByTestId('public-case').innerText()).toContain('已接收');
  await screenshot(page, 'citizen-tracking');

  // A wrong code says "not found", never whether the case exists.
  await page.getByLabel('查询码').fill('ABCDEFGHJKMN');
  await page.getByRole('button', { name: '查询' }).click();
  await page.getByText('未找到：请核对受理编号和查询码。').waitFor();
});

it('shows the API’s field errors on the fields themselves', async () => {
  const page = await newPage();
  await page.goto(`${url()}/#/`);
  await page.getByLabel('举报类别').selectOption('other');
  await page.getByLabel('情况描述').fill('学校门口有人发放补课传单，内容涉及学科培训。');
  // The browser's date input accepts this, the API's calendar does not (no 30 February).
  await page.getByLabel('发生日期').fill('2026-02-28');
  await page.evaluate(`(() => {
    const el = document.querySelector('[data-field="occurredOn"]');
    const set = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set;
    el.type = 'text';
    set.call(el, '2026-02-30');
    el.dispatchEvent(new Event('input', { bubbles: true }));
  })()`);
  await page.getByRole('button', { name: '提交' }).click();
  const field = page.locator('[data-field="occurredOn"]');
  await expectText(page.locator('.has-error').first().innerText(), /occurredOn|date|日期/i);
  expect(await field.getAttribute('aria-invalid')).toBe('true');
  await screenshot(page, 'complaint-api-field-error');
});

it('at 360 px the complaint form labels every input and does not scroll sideways', async () => {
  const page = await newPage({ width: 360, height: 740 });
  await page.goto(`${url()}/#/`);
  await page.getByRole('heading', { name: '投诉举报' }).waitFor();
  const unlabelled = await page.evaluate<string[]>(`(() => {
    const controls = [...document.querySelectorAll('main input, main select, main textarea')];
    return controls
      .filter((el) => el.type !== 'hidden')
      .filter((el) => !(el.labels && [...el.labels].some((l) => l.textContent.trim().length > 0)) && !el.getAttribute('aria-label'))
      .map((el) => el.name || el.id);
  })()`);
  expect(unlabelled).toEqual([]);
  const inputs = await page.locator('main input, main select, main textarea').count();
  expect(inputs).toBeGreaterThanOrEqual(9);
  const overflow = await page.evaluate<{ scroll: number; client: number }>(`({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth })`);
  expect(overflow.scroll).toBeLessThanOrEqual(overflow.client);
  // Keyboard: Tab reaches the first field of the form.
  await page.keyboard.press('Tab');
  await screenshot(page, 'complaint-form-360');
  // English on request.
  await page.getByRole('button', { name: 'Switch to English' }).click();
  await page.getByRole('heading', { name: 'Report a problem' }).waitFor();
  expect(await page.getByLabel('Category').count()).toBe(1);
});

async function expectText(text: Promise<string>, pattern: RegExp): Promise<void> {
  expect(await text).toMatch(pattern);
}
