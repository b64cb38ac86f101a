/**
 * The console of a production install (MODE=production): a real sign-in form and no demo picker; the
 * first admin, made by `npm run admin -- create-admin`, signs in with the one-time password, is held on
 * the password change until it is done, then works; a wrong password is said as such, five lock the
 * account; sign-out ends the session on the platform too.
 */
import { spawnSync } from 'node:child_process';
import type { Page } from 'playwright-core';
import { screenshot, useBrowserPlatform } from './support';

const { api, url, dataDir, page: newPage } = useBrowserPlatform({ env: { MODE: 'production', PLATFORM_NOW: '' } });

function createAdmin(username: string): string {
  const run = spawnSync('npm', ['run', '--silent', 'admin', '--', '--url', url(), '--data-dir', dataDir(), 'create-admin', username, '信息科'], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(run.stderr || run.stdout);
  return /initial password (\S+)/.exec(run.stdout)?.[1] as string;
}

async function signIn(page: Page, username: string, password: string): Promise<void> {
  await page.goto(`${url()}/#/official`);
  await page.getByLabel(/^用户名/).fill(username);
  await page.getByLabel(/^密码/).fill(password);
  await page.getByRole('button', { name: '登录' }).click();
}

it('shows the password form alone, holds the first admin on the password change, then opens the console', async () => {
  const initial = createAdmin('it.officer');
  const page = await newPage({ width: 1280, height: 900 });
  await page.goto(`${url()}/#/official`);
  await page.getByRole('heading', { name: '工作人员登录', exact: true }).waitFor();
  expect(await page.locator('section.demo-signin').count()).toBe(0);
  await screenshot(page, 'production-signin');

  await signIn(page, 'it.officer', 'Not-the-password-1');
  await page.getByText('用户名或密码不正确。').waitFor();

  await signIn(page, 'it.officer', initial);
  await page.getByRole('heading', { name: '修改密码', level: 1 }).waitFor();
  await page.getByText('一次性初始密码').waitFor();
  // Elsewhere in the console, still the password change.
  await page.goto(`${url()}/#/official/admin`);
  await page.getByRole('heading', { name: '修改密码', level: 1 }).waitFor();

  await page.getByLabel(/^当前密码/).fill(initial);
  await page.getByLabel(/^新密码/).fill('weakpassword');
  await page.getByLabel(/^再次输入新密码/).fill('weakpassword');
  await page.getByRole('button', { name: '保存新密码' }).click();
  await page.locator('.field:has([name="newPassword"]) .field-error').waitFor();

  await page.getByLabel(/^新密码/).fill('Bureau-IT-Officer-2026');
  await page.getByLabel(/^再次输入新密码/).fill('Bureau-IT-Officer-2026');
  await page.getByRole('button', { name: '保存新密码' }).click();
  await page.getByRole('heading', { name: '待办任务' }).waitFor();
  await page.getByRole('link', { name: '系统管理' }).click();
  await page.getByRole('heading', { name: '系统管理', level: 1 }).waitFor();

  // Sign-out ends the session on the platform: the token the page held is refused.
  const held = await page.evaluate<string>(`JSON.parse(sessionStorage.getItem('dr.official')).token`);
  await page.getByRole('button', { name: '退出' }).click();
  await page.getByRole('heading', { name: '工作人员登录', exact: true }).waitFor();
  await page.waitForFunction(`sessionStorage.getItem('dr.official') === null`);
  expect((await api.call('GET', '/api/me', { token: held })).status).toBe(401);
});

it('says an account is locked after five wrong passwords', async () => {
  createAdmin('locked.admin');
  const page = await newPage();
  for (let i = 0; i < 5; i++) {
    await signIn(page, 'locked.admin', `Wrong-password-${i}`);
    await page.getByText('用户名或密码不正确。').waitFor();
  }
  await signIn(page, 'locked.admin', 'Wrong-password-5');
  await page.getByText('该账号已暂时锁定').waitFor();
});
