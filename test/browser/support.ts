/**
 * Browser tests drive Debian's Chromium (never a downloaded browser) with playwright-core against a
 * platform started with `npm start`, which serves the built front end (web/dist) beside the API.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { ApiClient } from '../support/api-client';
import { startPlatformProcess, stopPlatformProcess, type PlatformProcess } from '../support/platform-process';

const ROOT = resolve(__dirname, '../..');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SCREENSHOTS = join(ROOT, 'test-results', 'screenshots');

/** `npm ci` builds web/dist (postinstall); an install with --ignore-scripts did not: build it once here. */
export function ensureWebBuilt(): void {
  if (existsSync(join(ROOT, 'web', 'dist', 'index.html'))) return;
  const r = spawnSync(process.execPath, [join(ROOT, 'scripts', 'build-web.mjs')], { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) throw new Error('building web/dist failed');
}

export function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium`);
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const path = join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

export interface BrowserHarness {
  api: ApiClient;
  url: () => string;
  dataDir: () => string;
  /** A fresh page in its own context (own sessionStorage), phone-sized unless told otherwise. */
  page: (opts?: { width?: number; height?: number }) => Promise<Page>;
}

/**
 * One platform and one Chromium for a test file; every page's console errors fail loudly in the log.
 * `env` adds to the platform's environment, e.g. a PLATFORM_NOW of its own whatever the date matrix pins.
 */
export function useBrowserPlatform(opts: { env?: Record<string, string> } = {}): BrowserHarness {
  let platform: PlatformProcess | undefined;
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];
  const api = new ApiClient('http://127.0.0.1:0');
  beforeAll(async () => {
    ensureWebBuilt();
    [platform, browser] = await Promise.all([startPlatformProcess({ env: opts.env }), launchChromium()]);
    api.moveTo(platform.url);
    const home = await fetch(`${platform.url}/`);
    if (!(home.headers.get('content-type') ?? '').startsWith('text/html')) throw new Error('npm start does not serve the web front end: is webHandler in local/platform.ts?');
  });
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    if (platform) await stopPlatformProcess(platform);
  });
  return {
    api,
    url: () => {
      if (!platform) throw new Error('the platform is not running');
      return platform.url;
    },
    dataDir: () => {
      if (!platform) throw new Error('the platform is not running');
      return platform.dataDir;
    },
    async page(opts = {}) {
      if (!browser) throw new Error('Chromium is not running');
      const context = await browser.newContext({ viewport: { width: opts.width ?? 390, height: opts.height ?? 844 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
      contexts.push(context);
      const page = await context.newPage();
      page.on('pageerror', (err) => process.stderr.write(`page error: ${err.message}\n`));
      return page;
    },
  };
}

/** Signs in with the demo picker (development mode): the sign-in page also holds the password form. */
export async function demoSignIn(page: Page, username: string): Promise<void> {
  const demo = page.locator('section.demo-signin');
  await demo.getByLabel('账号').selectOption(username);
  await demo.getByRole('button', { name: '登录' }).click();
}
