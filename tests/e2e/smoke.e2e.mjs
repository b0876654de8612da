// Browser smoke test of the SPA against a running Rapport server.
//
//   RAPPORT_E2E_BASE_URL   server to test, default http://127.0.0.1:8000
//   RAPPORT_E2E_EMAIL      an existing owner/admin login
//   RAPPORT_E2E_PASSWORD   its password
//   CHROMIUM_PATH          browser binary, default /usr/bin/chromium
//   RAPPORT_E2E_SCREENSHOTS=1  also keep a screenshot of every step
//
// Run from the repository root: `node --test tests/e2e/` (needs `npm ci` in frontend/ for
// playwright-core; the browser is the system Chromium, never a downloaded one).
// On failure a screenshot is written to tests/e2e/artifacts/.

import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import {
  ARTIFACTS,
  BASE_URL,
  CHROMIUM_ARGS,
  CHROMIUM_PATH,
  EMAIL,
  KEEP_SCREENSHOTS,
  PASSWORD,
  loadPlaywright,
  suite,
} from './support.mjs';

suite('browser end-to-end smoke tests', defineSuite);

function defineSuite() {
  const stamp = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;
  let context;
  let page;
  let userDataDir;

  before(async () => {
    const { chromium } = loadPlaywright();
    userDataDir = mkdtempSync(join(tmpdir(), 'rapport-e2e-'));
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: { width: 1366, height: 860 },
      locale: 'zh-CN',
    });
    context.setDefaultTimeout(15_000);
    page = context.pages()[0] ?? (await context.newPage());
  });

  after(async () => {
    await context?.close();
    if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
  });

  /** Runs one step; on failure (or when asked) keeps a screenshot of the page. */
  async function step(name, body) {
    const file = join(ARTIFACTS, `${name}.png`);
    try {
      await body();
      if (KEEP_SCREENSHOTS) await screenshot(file);
    } catch (error) {
      await screenshot(file);
      throw error;
    }
  }

  async function screenshot(file) {
    try {
      mkdirSync(ARTIFACTS, { recursive: true });
      await page.screenshot({ path: file, fullPage: true });
    } catch {
      // The browser may be gone; the assertion error is what matters.
    }
  }

  const menu = () => page.getByTestId('main-menu');

  test('visiting / redirects to the login page', { timeout: 60_000 }, () =>
    step('01-redirect-to-login', async () => {
      await page.goto(`${BASE_URL}/`);
      await page.waitForURL((url) => url.pathname === '/login');
      await page.locator('input#email').waitFor();
      await page.locator('input#password').waitFor();
    }),
  );

  test('logs in', { timeout: 60_000 }, () =>
    step('02-login', async () => {
      await page.locator('input#email').fill(EMAIL);
      await page.locator('input#password').fill(PASSWORD);
      await page.locator('button[type="submit"]').click();
      await page.waitForURL((url) => url.pathname !== '/login');
      await menu().waitFor();
      await page.getByTestId('welcome').waitFor();
    }),
  );

  test('the layout shows zh-CN text by default', { timeout: 60_000 }, () =>
    step('03-layout-zh-CN', async () => {
      assert.equal(await page.locator('html').getAttribute('lang'), 'zh-CN');
      await menu().getByText('首页', { exact: true }).waitFor();
      await menu().getByText('系统设置', { exact: true }).waitFor();
      assert.match(await page.getByTestId('welcome').innerText(), /^欢迎回来/);
    }),
  );

  test('switching to English turns the menu English', { timeout: 60_000 }, () =>
    step('04-layout-en', async () => {
      await page.getByTestId('language-switcher').click();
      await page.getByTestId('language-en').click();
      await menu().getByText('Home', { exact: true }).waitFor();
      await menu().getByText('Settings', { exact: true }).waitFor();
      assert.equal(await page.locator('html').getAttribute('lang'), 'en');
      // The choice is remembered.
      await page.reload();
      await menu().getByText('Home', { exact: true }).waitFor();
    }),
  );

  test('Settings → Users: a new user appears in the table', { timeout: 90_000 }, () =>
    step('05-create-user', async () => {
      const email = `e2e-${stamp}@example.com`;
      const name = `E2E ${stamp}`;
      const settings = menu().getByText('Settings', { exact: true });
      if (!(await menu().getByText('Users', { exact: true }).isVisible())) await settings.click();
      await menu().getByText('Users', { exact: true }).click();
      await page.waitForURL((url) => url.pathname === '/settings/users');
      await page.getByTestId('users-table').waitFor();

      await page.getByTestId('user-create').click();
      const form = page.getByTestId('user-form');
      await form.waitFor();
      await form.getByLabel('Email').fill(email);
      await form.getByLabel('Name').fill(name);
      await form.getByLabel('Initial password').fill(`Pw-${stamp}-secret`);
      await page.getByTestId('user-form-submit').click();
      await form.waitFor({ state: 'detached' });

      // Look it up by search, so the check holds however many users the workspace has.
      const search = page.getByPlaceholder('Search name or email');
      await search.fill(email);
      await search.press('Enter');
      await page.getByTestId('users-table').getByText(email, { exact: true }).waitFor();
      await page.getByTestId('users-table').getByText(name, { exact: true }).waitFor();
    }),
  );

  test('a bad login shows the translated error', { timeout: 60_000 }, () =>
    step('06-bad-login', async () => {
      await context.clearCookies();
      await page.goto(`${BASE_URL}/login`);
      await page.locator('input#email').fill(`nobody-${stamp}@example.com`);
      await page.locator('input#password').fill('definitely-not-the-password');
      await page.locator('button[type="submit"]').click();
      const alert = page.getByTestId('login-error');
      // English is still chosen from the earlier step.
      await alert.getByText('Wrong email or password.', { exact: true }).waitFor();
      await page.getByTestId('language-switcher').click();
      await page.getByTestId('language-zh-CN').click();
      await alert.getByText('邮箱或密码错误。', { exact: true }).waitFor();
    }),
  );
}
