/**
 * Accessible basics at 360 px: a citizen files a complaint and tracks it with the keyboard alone; every
 * text on the complaint form, the tracking page and the officials' sign-in page meets WCAG AA contrast
 * (4.5:1, large text 3:1) against its effective background; every form control has an accessible name.
 */
import type { Page } from 'playwright-core';
import { screenshot, useBrowserPlatform } from './support';

const { url, page: newPage } = useBrowserPlatform();

const PHONE = { width: 360, height: 740 };

interface Finding {
  text: string;
  tag: string;
  className: string;
  ratio: number;
  required: number;
  fg: string;
  bg: string;
}

/**
 * In the page: every visible element with its own text (and every enabled input, select and textarea),
 * its text colour composited over the first opaque background found walking up (semi-transparent layers
 * blended), and the WCAG 2 contrast ratio. Disabled controls are exempt (WCAG 1.4.3).
 */
const CONTRAST_SCRIPT = `(() => {
  const parse = (c) => {
    const m = c.match(/rgba?\\(([^)]+)\\)/);
    if (!m) return [0, 0, 0, 0];
    const p = m[1].split(/[ ,\\/]+/).filter(Boolean).map(Number);
    return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
  };
  const over = (top, bottom) => {
    const a = top[3];
    return [0, 1, 2].map((i) => top[i] * a + bottom[i] * (1 - a)).concat(1);
  };
  const background = (el) => {
    const layers = [];
    for (let e = el; e; e = e.parentElement) {
      const c = parse(getComputedStyle(e).backgroundColor);
      if (c[3] > 0) layers.push(c);
      if (c[3] >= 1) break;
    }
    let bg = [255, 255, 255, 1];
    for (const layer of layers.reverse()) bg = over(layer, bg);
    return bg;
  };
  const lum = (c) => {
    const [r, g, b] = c.slice(0, 3).map((v) => {
      const s = v / 255;
      return s <= 0.03928 ? s / 12.92 : Math.pow((s + 0.055) / 1.055, 2.4);
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const ratio = (a, b) => {
    const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x);
    return (hi + 0.05) / (lo + 0.05);
  };
  const visible = (el) => {
    const r = el.getBoundingClientRect();
    if (r.width <= 1 || r.height <= 1) return false;
    for (let e = el; e; e = e.parentElement) {
      const s = getComputedStyle(e);
      if (s.visibility === 'hidden' || s.display === 'none' || s.opacity === '0') return false;
      if (s.clip === 'rect(0px, 0px, 0px, 0px)' || s.clipPath === 'inset(50%)') return false;
    }
    return true;
  };
  const ownText = (el) => [...el.childNodes].filter((n) => n.nodeType === 3).map((n) => n.textContent).join('').trim();
  const out = [];
  for (const el of document.body.querySelectorAll('*')) {
    if (['SCRIPT', 'STYLE', 'OPTION', 'NOSCRIPT'].includes(el.tagName)) continue;
    const control = ['INPUT', 'SELECT', 'TEXTAREA'].includes(el.tagName);
    if (control && (el.disabled || ['checkbox', 'radio', 'hidden'].includes(el.type))) continue;
    if (el.closest('button:disabled')) continue;
    const text = control ? (el.value || el.placeholder || (el.tagName === 'SELECT' && el.selectedOptions[0] ? el.selectedOptions[0].textContent : '')) : ownText(el);
    if (!text || !visible(el)) continue;
    const s = getComputedStyle(el);
    const bg = background(el);
    const fg = over(parse(s.color), bg);
    const size = parseFloat(s.fontSize);
    const bold = Number(s.fontWeight) >= 700;
    const large = size >= 24 || (size >= 18.66 && bold);
    out.push({ text: text.slice(0, 40), tag: el.tagName.toLowerCase(), className: String(el.className), ratio: Math.round(ratio(fg, bg) * 100) / 100, required: large ? 3 : 4.5, fg: s.color, bg: 'rgb(' + bg.slice(0, 3).map(Math.round).join(',') + ')' });
  }
  return out;
})()`;

/** Each control's accessible name, as assistive technology computes it (aria-labelledby, aria-label, labels, title). */
const NAMES_SCRIPT = `(() => {
  const textOf = (ids) => ids.split(/\\s+/).map((id) => document.getElementById(id)?.textContent ?? '').join(' ').trim();
  return [...document.querySelectorAll('input, select, textarea')]
    .filter((el) => el.type !== 'hidden')
    .map((el) => {
      const name = (el.getAttribute('aria-labelledby') ? textOf(el.getAttribute('aria-labelledby')) : '')
        || (el.getAttribute('aria-label') ?? '').trim()
        || [...(el.labels ?? [])].map((l) => l.textContent).join(' ').trim()
        || (el.getAttribute('title') ?? '').trim();
      return { control: el.tagName.toLowerCase() + '[name=' + (el.name || el.id) + ']', name };
    });
})()`;

async function expectReadable(page: Page, shot: string): Promise<Finding[]> {
  const findings = await page.evaluate<Finding[]>(CONTRAST_SCRIPT);
  if (process.env.A11Y_DEBUG) process.stdout.write(`${shot}: ${JSON.stringify([...findings].sort((a, b) => a.ratio - b.ratio).slice(0, 6))}\n`);
  expect(findings.length).toBeGreaterThan(5);
  expect(findings.filter((f) => f.ratio < f.required)).toEqual([]);
  const names = await page.evaluate<Array<{ control: string; name: string }>>(NAMES_SCRIPT);
  expect(names.filter((n) => !n.name)).toEqual([]);
  const overflow = await page.evaluate<{ scroll: number; client: number }>(`({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth })`);
  expect(overflow.scroll).toBeLessThanOrEqual(overflow.client);
  await screenshot(page, shot);
  return findings;
}

/** Tab (or Shift+Tab) until the focused element matches, at most `max` presses; fails if it never does. */
async function tabTo(page: Page, selector: string, opts: { back?: boolean; max?: number } = {}): Promise<void> {
  for (let i = 0; i < (opts.max ?? 30); i++) {
    if (await page.evaluate<boolean>(`!!document.activeElement && document.activeElement.matches(${JSON.stringify(selector)})`)) {
      // The focus is visible where the keyboard lands.
      const outline = await page.evaluate<string>(`getComputedStyle(document.activeElement).outlineStyle`);
      expect([selector, outline]).not.toEqual([selector, 'none']);
      return;
    }
    await page.keyboard.press(opts.back ? 'Shift+Tab' : 'Tab');
  }
  throw new Error(`the keyboard never reached ${selector}`);
}

const focusedField = (page: Page) => page.evaluate<string>(`document.activeElement?.getAttribute('name') ?? document.activeElement?.tagName`);

it('a citizen files a complaint and tracks it with the keyboard alone, at 360 px', async () => {
  const page = await newPage(PHONE);
  await page.goto(`${url()}/#/`);
  await page.getByRole('heading', { name: '投诉举报' }).waitFor();

  // The new page's heading has the focus (App.tsx), so the first Tab goes into the form.
  expect(await page.evaluate<string>(`document.activeElement.id`)).toBe('complaint-title');
  await page.keyboard.press('Tab');
  expect(await focusedField(page)).toBe('category');

  // An empty submission: the errors are announced and the first invalid field gets the focus.
  await tabTo(page, 'button[type=submit]');
  await page.keyboard.press('Enter');
  await page.getByText('请选择举报类别。').waitFor();
  await page.waitForFunction(`document.activeElement?.getAttribute('name') === 'category'`);
  await expectReadable(page, 'a11y-complaint-errors-360');

  // The category by arrow key, then typing in the fields, back and forth with Tab and Shift+Tab.
  await page.keyboard.press('ArrowDown');
  expect(await page.locator('select[name=category]').inputValue()).toBe('unlicensed_tutoring');
  await tabTo(page, 'textarea[name=description]');
  await page.keyboard.type('状元补习班周末给小学生上数学课，收费很高，还提前教下学期的内容。');
  await tabTo(page, 'input[name="subject.institutionName"]');
  await page.keyboard.type('状元补习班');
  await page.keyboard.press('Shift+Tab');
  expect(await focusedField(page)).toBe('description');
  await page.keyboard.press('Shift+Tab');
  expect(await focusedField(page)).toBe('category');
  expect(await page.locator('select[name=category]').inputValue()).toBe('unlicensed_tutoring');
  await tabTo(page, 'input[name="subject.address"]');
  await page.keyboard.type('幸福路 8 号');

  // Space ticks "anonymous" (the contact fields are disabled and leave the tab order), and unticks it.
  await tabTo(page, 'input[name=anonymous]');
  await page.keyboard.press('Space');
  expect(await page.locator('input[name=anonymous]').isChecked()).toBe(true);
  expect(await page.locator('input[name="contact.name"]').isDisabled()).toBe(true);
  await page.keyboard.press('Space');
  expect(await page.locator('input[name=anonymous]').isChecked()).toBe(false);
  await tabTo(page, 'input[name="contact.name"]');
  await page.keyboard.type('李先生');
  await tabTo(page, 'input[name="contact.phone"]');
  await page.keyboard.type('13700002222');
  await expectReadable(page, 'a11y-complaint-filled-360');
  await tabTo(page, 'button[type=submit]');
  await page.keyboard.press('Enter');

  await page.getByRole('heading', { name: '举报已提交' }).waitFor();
  const receiptNo = (await page.getByTestId('receipt-no').innerText()).trim();
  const accessCode = (await page.getByTestId('access-code').innerText()).trim();
  expect(receiptNo).toMatch(/^TS-\d{4}-\d{6}$/);
  // The new page's heading has the focus, so the next Tab starts in the page.
  expect(await page.evaluate<string>(`document.activeElement.id`)).toBe('receipt-title');
  await expectReadable(page, 'a11y-receipt-360');

  // To the tracking page by the keyboard: the receipt number is filled in, the code is typed.
  await tabTo(page, 'a.button.primary');
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: '办理进度查询' }).waitFor();
  expect(await page.locator('input[name=receiptNo]').inputValue()).toBe(receiptNo);
  await tabTo(page, 'input[name=accessCode]');
  await page.keyboard.type(accessCode);
  await page.keyboard.press('Enter');
  await page.getByTestId('timeline').waitFor();
  expect(await page.getByTestId('public-case').innerText()).toContain(receiptNo);
  await expectReadable(page, 'a11y-tracking-360');

  // A wrong code: the error is readable too.
  await tabTo(page, 'input[name=accessCode]', { back: true });
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.type('ABCDEFGHJKMN');
  await page.keyboard.press('Enter');
  await page.getByText('未找到：请核对受理编号和查询码。').waitFor();
  await expectReadable(page, 'a11y-tracking-error-360');
});

it('the tracking page before a query and its empty-field errors meet contrast and name every field', async () => {
  const page = await newPage(PHONE);
  await page.goto(`${url()}/#/track`);
  await page.getByRole('heading', { name: '办理进度查询' }).waitFor();
  await expectReadable(page, 'a11y-tracking-empty-360');
  await tabTo(page, 'button[type=submit]');
  await page.keyboard.press('Enter');
  await page.locator('.field-error').first().waitFor();
  await expectReadable(page, 'a11y-tracking-required-360');
});

it('the officials’ sign-in page meets contrast, names its fields, and signs in with the keyboard', async () => {
  const page = await newPage(PHONE);
  await page.goto(`${url()}/#/official`);
  await page.getByRole('heading', { name: '演示账号（本地演示）' }).waitFor();
  await expectReadable(page, 'a11y-signin-360');
  await tabTo(page, 'select[name=demoUser]');
  await tabTo(page, 'button[type=submit]');
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: '待办任务' }).waitFor();
  expect(await page.locator('header .who').innerText()).toContain('supervisor');
});

it('the contrast check itself finds low contrast, on a translucent background too, and large text’s lower bar', async () => {
  const page = await newPage(PHONE);
  await page.goto(`${url()}/#/track`);
  await page.getByRole('heading', { name: '办理进度查询' }).waitFor();
  await page.evaluate(`(() => {
    const main = document.querySelector('main');
    main.insertAdjacentHTML('beforeend', '<p id="grey" style="color:#999">灰色文字</p>'
      + '<div style="background:#a4161a"><div style="background:rgba(255,255,255,0.5)"><span id="veil" style="color:#fff">白字</span></div></div>'
      + '<p id="big" style="color:#888;font-size:24px">大字</p>');
  })()`);
  const findings = await page.evaluate<Finding[]>(CONTRAST_SCRIPT);
  const byText = (t: string) => findings.find((f) => f.text === t)!;
  expect(byText('灰色文字').ratio).toBeLessThan(4.5);
  expect(byText('白字').ratio).toBeLessThan(3);
  expect(byText('大字')).toMatchObject({ required: 3 });
  expect(byText('大字').ratio).toBeGreaterThan(3);
});

it('English pages meet the same contrast', async () => {
  const page = await newPage(PHONE);
  await page.goto(`${url()}/#/`);
  await page.getByRole('heading', { name: '投诉举报' }).waitFor();
  await page.getByRole('button', { name: 'Switch to English' }).press('Enter');
  await page.getByRole('heading', { name: 'Report a problem' }).waitFor();
  await expectReadable(page, 'a11y-complaint-en-360');
});
