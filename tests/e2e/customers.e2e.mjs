// Browser end-to-end test of the customers module against a running Rapport server: duplicate
// warning with the owner's name, follow-up with a next date (timeline and My day), transfer to
// a rep who then sees the customer, and the transfer in the ownership ledger.
//
// Same environment as smoke.e2e.mjs (RAPPORT_E2E_BASE_URL, RAPPORT_E2E_EMAIL,
// RAPPORT_E2E_PASSWORD for an owner/admin, CHROMIUM_PATH, RAPPORT_E2E_SCREENSHOTS=1).
// The rep is created here through the API with the owner's session.

import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
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

const FIRST_PHONE = '+86 138-0013-8000';
const SECOND_PHONE = '13800138000';

suite('customers end-to-end', defineSuite);

/** "YYYY-MM-DD HH:mm" in the browser's (and this process's) time zone, as the pickers type it. */
function pickerValue(date) {
  const pad = (n) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

function defineSuite() {
  const stamp = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;
  const customerName = `E2E 星辰贸易 ${stamp}`;
  const secondName = `E2E 北京分部 ${stamp}`;
  const rep = { name: `E2E 销售 ${stamp}`, email: `e2e-rep-${stamp}@example.com`, password: `Rep-${stamp}-secret` };
  const followUp = `电话沟通报价，客户下周回复 ${stamp}`;
  let browser;
  let owner; // { context, page }
  let ownerName;
  let customerUrl;
  let current; // the page a failing step screenshots

  before(async () => {
    const { chromium } = loadPlaywright();
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
  });

  after(async () => {
    await browser?.close();
  });

  async function step(name, body) {
    const file = join(ARTIFACTS, `customers-${name}.png`);
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
      await current?.screenshot({ path: file, fullPage: true });
    } catch {
      // The browser may be gone; the assertion error is what matters.
    }
  }

  async function signIn(email, password) {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
    context.setDefaultTimeout(15_000);
    const page = await context.newPage();
    current = page;
    await page.goto(`${BASE_URL}/login`);
    await page.locator('input#email').fill(email);
    await page.locator('input#password').fill(password);
    await page.locator('button[type="submit"]').click();
    await page.waitForURL((url) => url.pathname !== '/login');
    await page.getByTestId('main-menu').waitFor();
    return { context, page };
  }

  /** An API call with the page's session: cookies, plus the CSRF header an unsafe method needs. */
  async function api(session, method, path, data) {
    const cookies = await session.context.cookies();
    const csrf = cookies.find((c) => c.name === 'rapport_csrf')?.value ?? '';
    const response = await session.page.request.fetch(`${BASE_URL}/api/v1${path}`, {
      method,
      data,
      headers: { 'X-CSRF-Token': decodeURIComponent(csrf) },
    });
    const body = await response.json().catch(() => null);
    return { status: response.status(), body };
  }

  async function openCreateForm(page) {
    await page.goto(`${BASE_URL}/customers`);
    await page.getByTestId('customer-create').click();
    const form = page.getByTestId('customer-form');
    await form.waitFor();
    return form;
  }

  async function addPhone(form, phone) {
    const input = form.locator('input#phones');
    await input.fill(phone);
    await input.press('Enter');
  }

  test('the owner signs in and a rep is set up', { timeout: 90_000 }, () =>
    step('01-setup', async () => {
      owner = await signIn(EMAIL, PASSWORD);
      const me = await api(owner, 'GET', '/me');
      assert.equal(me.status, 200);
      ownerName = me.body.user.name;
      const created = await api(owner, 'POST', '/users', { ...rep, role: 'sales', team_id: null });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      await owner.page.getByTestId('main-menu').getByText('客户', { exact: true }).waitFor();
    }),
  );

  test('creates a customer with a phone number', { timeout: 90_000 }, () =>
    step('02-create-customer', async () => {
      const { page } = owner;
      const form = await openCreateForm(page);
      await form.locator('input#name').fill(customerName);
      await addPhone(form, FIRST_PHONE);
      await page.getByTestId('customer-form-submit').click();
      // A workspace reused across runs may already hold this phone: save anyway.
      const saved = page.waitForURL(/\/customers\/[0-9a-f-]{36}$/);
      const force = page.getByTestId('customer-form-force');
      await Promise.race([saved, force.waitFor().then(() => force.click())]);
      await saved;
      customerUrl = page.url();
      await page.getByTestId('customer-name').getByText(customerName, { exact: true }).waitFor();
      // The number is kept as typed, spaces and all (one phone, not three).
      await page.getByText(FIRST_PHONE, { exact: true }).waitFor();
    }),
  );

  test("a second customer with the same phone shows the duplicate warning with the owner's name", { timeout: 90_000 }, () =>
    step('03-duplicate-warning', async () => {
      const { page } = owner;
      const form = await openCreateForm(page);
      await form.locator('input#name').fill(secondName);
      await addPhone(form, SECOND_PHONE);
      const warning = page.getByTestId('duplicate-warning');
      await warning.waitFor();
      const candidate = warning.getByTestId('duplicate-candidate').filter({ hasText: customerName });
      await candidate.waitFor();
      assert.match(await candidate.getByTestId('duplicate-owner').innerText(), new RegExp(`负责人：${ownerName}`));
      // Saving without looking is refused until the user chooses to save anyway.
      await page.getByTestId('customer-form-submit').click();
      await page.getByTestId('customer-form-force').waitFor();
      assert.match(page.url(), /\/customers$/);
      await page.keyboard.press('Escape');
      await form.waitFor({ state: 'detached' });
    }),
  );

  test('a follow-up with a next date shows on the timeline and in My day', { timeout: 90_000 }, () =>
    step('04-follow-up', async () => {
      const { page } = owner;
      await page.goto(customerUrl);
      const composer = page.getByTestId('follow-up-form');
      await composer.getByTestId('follow-up-content').fill(followUp);
      // Due in a few minutes: today (or, by the time My day loads, just overdue) either way.
      const next = pickerValue(new Date(Date.now() + 5 * 60_000));
      const nextInput = composer.getByPlaceholder('不安排');
      await nextInput.click();
      await nextInput.fill(next);
      await nextInput.press('Enter');
      await page.getByTestId('follow-up-submit').click();

      const timeline = page.getByTestId('customer-timeline');
      const item = timeline.getByTestId('timeline-item-activity').filter({ hasText: followUp });
      await item.waitFor();
      assert.match(await item.getByTestId('timeline-next').innerText(), new RegExp(next.replace(/[-:]/g, '.')));

      await page.getByTestId('main-menu').getByText('我的一天', { exact: true }).click();
      await page.waitForURL((url) => url.pathname === '/my-day');
      await page.getByTestId('task-row').filter({ hasText: customerName }).first().waitFor();
    }),
  );

  test('transfers the customer to the rep; the ledger records it', { timeout: 90_000 }, () =>
    step('05-transfer', async () => {
      const { page } = owner;
      await page.goto(customerUrl);
      await page.getByTestId('customer-transfer').click();
      const form = page.getByTestId('transfer-form');
      await form.waitFor();
      const select = form.locator('input#to_user_id');
      await select.click();
      await select.fill(rep.name);
      await page.locator('.ant-select-item-option').filter({ hasText: rep.name }).click();
      await form.locator('textarea#reason').fill('区域调整');
      await page.getByTestId('transfer-submit').click();
      await form.waitFor({ state: 'detached' });
      await page.getByTestId('customer-owner').getByText(rep.name, { exact: true }).waitFor();

      await page.getByRole('tab', { name: '归属记录' }).click();
      const row = page.getByTestId('ledger-table').locator('tr').filter({ hasText: rep.name });
      await row.waitFor();
      const text = await row.innerText();
      assert.match(text, /转移/);
      assert.match(text, new RegExp(ownerName));
      assert.match(text, /区域调整/);
    }),
  );

  test('the rep signs in and sees the customer', { timeout: 90_000 }, () =>
    step('06-rep-sees-customer', async () => {
      const repSession = await signIn(rep.email, rep.password);
      try {
        const { page } = repSession;
        await page.getByTestId('main-menu').getByText('客户', { exact: true }).click();
        await page.waitForURL((url) => url.pathname === '/customers');
        await page.getByTestId('customers-table').getByText(customerName, { exact: true }).click();
        await page.waitForURL((url) => url.href === customerUrl);
        await page.getByTestId('customer-owner').getByText(rep.name, { exact: true }).waitFor();
        // The planned follow-up moved with the customer.
        await page.getByTestId('main-menu').getByText('我的一天', { exact: true }).click();
        await page.getByTestId('task-row').filter({ hasText: customerName }).first().waitFor();
      } finally {
        await repSession.context.close();
        current = owner.page;
      }
    }),
  );

  test('a level added in customer settings is offered in the customer form', { timeout: 90_000 }, () =>
    step('07-customer-levels', async () => {
      const { page } = owner;
      const before = await api(owner, 'GET', '/settings/customers');
      assert.equal(before.status, 200);
      const level = `VIP-${stamp}`;
      try {
        await page.goto(`${BASE_URL}/settings/customers`);
        const levels = page.locator('input#levels');
        await levels.click();
        await page.keyboard.type(level);
        await page.keyboard.press('Enter');
        await page.getByRole('button', { name: /保\s*存/ }).click();
        await page.getByText('客户设置已保存').waitFor();
        const after = await api(owner, 'GET', '/settings/customers');
        assert.deepEqual(after.body.levels, [...before.body.levels, level]);

        const form = await openCreateForm(page);
        await form.locator('input#level').click();
        await page.locator('.ant-select-dropdown').getByText(level, { exact: true }).waitFor();
      } finally {
        const restored = await api(owner, 'PATCH', '/settings/customers', { levels: before.body.levels });
        assert.equal(restored.status, 200, JSON.stringify(restored.body));
      }
    }),
  );
}
