// Browser end-to-end test of leads and the public pool against a running Rapport server:
// the owner sets up a round-robin rule over two reps and a web form in the UI; a visitor
// submits the form's embed code; the lead shows up assigned to the first rep with the rule's
// note; it is converted into a customer; that rep releases the customer to a pool; the other
// rep sees the phone masked in the pool, claims the customer and then sees the full number.
//
// Same environment as smoke.e2e.mjs (RAPPORT_E2E_BASE_URL, RAPPORT_E2E_EMAIL,
// RAPPORT_E2E_PASSWORD for an owner/admin, CHROMIUM_PATH, RAPPORT_E2E_SCREENSHOTS=1).
// The reps are created here through the API with the owner's session.

import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
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

suite('leads and pool end-to-end', defineSuite);

function defineSuite() {
  const stamp = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;
  const digits = String(Date.now()).slice(-8);
  const phone = `139${digits}`;
  const masked = `139****${digits.slice(-4)}`;
  const source = `E2E 官网 ${stamp}`;
  const ruleName = `E2E 官网线索 ${stamp}`;
  const formName = `E2E 联系我们 ${stamp}`;
  const poolName = `E2E 公海 ${stamp}`;
  const visitor = `E2E 访客 ${stamp}`;
  const company = `E2E 云帆科技 ${stamp}`;
  const repA = { name: `E2E 甲 ${stamp}`, email: `e2e-a-${stamp}@example.com`, password: `RepA-${stamp}-secret` };
  const repB = { name: `E2E 乙 ${stamp}`, email: `e2e-b-${stamp}@example.com`, password: `RepB-${stamp}-secret` };
  let browser;
  let owner; // { context, page }
  let snippet;
  let customerUrl;
  let current; // the page a failing step screenshots

  before(async () => {
    const { chromium } = loadPlaywright();
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
  });

  after(async () => {
    await browser?.close();
  });

  let stepSessions = []; // sessions opened for one step only, closed after its screenshot

  async function step(name, body) {
    const file = join(ARTIFACTS, `leads-${name}.png`);
    try {
      await body();
      if (KEEP_SCREENSHOTS) await screenshot(file);
    } catch (error) {
      await screenshot(file);
      throw error;
    } finally {
      for (const session of stepSessions) await session.context.close().catch(() => {});
      stepSessions = [];
      current = owner?.page;
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

  async function newPage({ forStep = false } = {}) {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
    context.setDefaultTimeout(15_000);
    const page = await context.newPage();
    current = page;
    if (forStep) stepSessions.push({ context, page });
    return { context, page };
  }

  async function signIn(email, password, options) {
    const session = await newPage(options);
    const { page } = session;
    await page.goto(`${BASE_URL}/login`);
    await page.locator('input#email').fill(email);
    await page.locator('input#password').fill(password);
    await page.locator('button[type="submit"]').click();
    await page.waitForURL((url) => url.pathname !== '/login');
    await page.getByTestId('main-menu').waitFor();
    return session;
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

  /** Picks `name` in an antd Select (single or multiple) whose input has this id. */
  async function choose(page, scope, inputId, name) {
    const input = scope.locator(`input#${inputId}`);
    await input.click();
    if (await input.isEditable()) await input.fill(name);
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: name }).first().click();
  }

  test('the owner signs in and two reps are set up', { timeout: 90_000 }, () =>
    step('01-setup', async () => {
      owner = await signIn(EMAIL, PASSWORD);
      for (const rep of [repA, repB]) {
        const created = await api(owner, 'POST', '/users', { ...rep, role: 'sales', team_id: null });
        assert.equal(created.status, 201, JSON.stringify(created.body));
      }
      await owner.page.getByTestId('main-menu').getByText('线索', { exact: true }).waitFor();
    }),
  );

  test('the owner creates a round-robin rule over the two reps', { timeout: 90_000 }, () =>
    step('02-rule', async () => {
      const { page } = owner;
      current = page;
      await page.goto(`${BASE_URL}/assignment-rules`);
      await page.getByTestId('rule-create').click();
      const form = page.getByTestId('rule-form');
      await form.waitFor();
      await form.locator('input#name').fill(ruleName);
      const sources = form.locator('input#sources');
      await sources.fill(source);
      await sources.press('Enter');
      await form.getByTestId('rule-strategy-round_robin').click();
      await choose(page, form, 'user_ids', repA.name);
      await choose(page, form, 'user_ids', repB.name);
      await page.getByTestId('rule-form-submit').click();
      await form.waitFor({ state: 'detached' });
      // Every earlier rule must not catch our leads first: move ours to the top.
      const row = page.getByTestId('rule-row').filter({ hasText: ruleName });
      await row.waitFor();
      while (!(await page.getByTestId('rule-row').first().textContent()).includes(ruleName)) {
        await row.getByRole('button', { name: '上移' }).click();
        await page.waitForTimeout(300);
      }
      assert.equal(await row.getByTestId('rule-users-summary').innerText(), `${repA.name} → ${repB.name}`);

      // "Test this rule": a lead from that source would go to the first rep, nothing saved.
      await row.getByTestId('rule-test').click();
      const result = page.getByTestId('rule-preview-result');
      await result.waitFor();
      assert.match(await result.innerText(), new RegExp(`将分配给 ${repA.name}`));
    }),
  );

  test('the owner creates a web form and copies its embed code', { timeout: 90_000 }, () =>
    step('03-web-form', async () => {
      const { page } = owner;
      current = page;
      await page.goto(`${BASE_URL}/web-forms`);
      await page.getByTestId('web-form-create').click();
      const form = page.getByTestId('web-form-form');
      await form.waitFor();
      await form.locator('input#name').fill(formName);
      await form.locator('input#source').fill(source);
      await page.getByTestId('web-form-submit').click();
      const code = page.getByTestId('embed-snippet');
      await code.waitFor();
      snippet = await code.inputValue();
      assert.match(snippet, /\/api\/v1\/public\/forms\/[\w-]+\/leads/);
      assert.match(snippet, /name="website"/); // the spam trap travels with the form
      await page.getByTestId('embed-close').click();
      await code.waitFor({ state: 'detached' });
      await page.getByTestId('web-forms-table').getByText(formName, { exact: true }).waitFor();
    }),
  );

  test('a visitor submits the embedded form', { timeout: 90_000 }, () =>
    step('04-visitor', async () => {
      const { page } = await newPage({ forStep: true });
      // Any page of the site will do: the snippet is pasted into it as-is.
      await page.goto(`${BASE_URL}/login`);
      await page.setContent(`<!doctype html><html><body><h1>云帆科技</h1>${snippet}</body></html>`);
      await page.locator('input[name="name"]').fill(visitor);
      await page.locator('input[name="company"]').fill(company);
      await page.locator('input[name="phone"]').fill(phone);
      await page.locator('textarea[name="message"]').fill('想了解报价');
      await page.locator('button[type="submit"]').click();
      await page.getByText('提交成功，我们会尽快联系您。').waitFor();
    }),
  );

  test('the lead is assigned to the first rep, with the rule as the reason', { timeout: 90_000 }, () =>
    step('05-assigned', async () => {
      const { page } = owner;
      await page.getByTestId('main-menu').getByText('线索', { exact: true }).click();
      await page.waitForURL((url) => url.pathname === '/leads');
      await page.getByPlaceholder('搜索姓名、公司或电话').fill(visitor);
      await page.getByPlaceholder('搜索姓名、公司或电话').press('Enter');
      const row = page.getByTestId('leads-table').locator('tr').filter({ hasText: visitor });
      await row.waitFor();
      assert.equal(await row.getByTestId('lead-row-owner').innerText(), repA.name);
      assert.match(await row.innerText(), new RegExp(source));
      await row.getByTestId('lead-link').click();
      await page.waitForURL(/\/leads\/[0-9a-f-]{36}$/);
      await page.getByTestId('lead-owner').getByText(repA.name, { exact: true }).waitFor();
      assert.equal(await page.getByTestId('lead-assignment-note').innerText(), `分配规则「${ruleName}」，轮流分配`);
      await page.getByText(phone, { exact: true }).waitFor();
    }),
  );

  test('the lead is converted into a customer owned by that rep', { timeout: 90_000 }, () =>
    step('06-convert', async () => {
      const { page } = owner;
      await page.getByTestId('lead-convert').click();
      const dialog = page.getByTestId('convert-dialog');
      await dialog.waitFor();
      assert.equal(await page.getByTestId('convert-customer-name').inputValue(), company);
      await page.getByTestId('convert-submit').click();
      const saved = page.waitForURL(/\/customers\/[0-9a-f-]{36}$/);
      // A similar customer from an earlier run may exist: then choose to create a new one.
      const createNew = page.getByTestId('convert-create-new');
      await Promise.race([
        saved,
        createNew.waitFor().then(async () => {
          await createNew.click();
          await page.getByTestId('convert-submit').click();
        }),
      ]);
      await saved;
      customerUrl = page.url();
      await page.getByTestId('customer-name').getByText(company, { exact: true }).waitFor();
      await page.getByTestId('customer-owner').getByText(repA.name, { exact: true }).waitFor();
    }),
  );

  test('the owner opens a pool that masks contacts', { timeout: 90_000 }, () =>
    step('07-pool', async () => {
      const { page } = owner;
      await page.getByTestId('main-menu').getByText('公海', { exact: true }).click();
      await page.waitForURL((url) => url.pathname.startsWith('/pools'));
      await page.getByTestId('pool-create').click();
      const form = page.getByTestId('pool-form');
      await form.waitFor();
      await form.locator('input#name').fill(poolName);
      assert.equal(await form.getByTestId('pool-mask').getAttribute('aria-checked'), 'true');
      await page.getByTestId('pool-form-submit').click();
      await form.waitFor({ state: 'detached' });
      await page.waitForURL(/\/pools\/[0-9a-f-]{36}$/);
      await page.locator('.ant-card-head-title').getByText(poolName, { exact: true }).waitFor();
    }),
  );

  test('the first rep releases the customer to the pool with a reason', { timeout: 90_000 }, () =>
    step('08-release', async () => {
      const { page } = await signIn(repA.email, repA.password, { forStep: true });
      await page.goto(customerUrl);
      await page.getByText(phone, { exact: true }).waitFor();
      await page.getByTestId('customer-release').click();
      const modal = page.locator('.ant-modal-content').filter({ hasText: '退回原因' });
      await modal.waitFor();
      await choose(page, modal, 'pool_id', poolName);
      await modal.locator('textarea#reason').fill('客户暂无采购计划');
      await modal.locator('.ant-modal-footer').getByRole('button', { name: '退回公海' }).click();
      await page.waitForURL((url) => url.pathname === '/customers');
      await page.getByText('客户已退回公海').waitFor();
    }),
  );

  test('the second rep sees the phone masked, claims the customer, then sees the full phone', { timeout: 90_000 }, () =>
    step('09-claim', async () => {
      const { page } = await signIn(repB.email, repB.password, { forStep: true });
      await page.getByTestId('main-menu').getByText('公海', { exact: true }).click();
      await page.getByRole('menuitem').filter({ hasText: poolName }).click();
      const row = page.getByTestId('pool-table').locator('tr').filter({ hasText: company });
      await row.waitFor();
      const text = await row.innerText();
      assert.match(text, new RegExp(masked.replace(/\*/g, '\\*')));
      assert.match(text, /已隐藏/);
      assert.doesNotMatch(text, new RegExp(phone));

      await row.getByTestId('pool-claim').click();
      const notice = page.locator('.ant-message').filter({ hasText: `已领取 ${company}` });
      await notice.waitFor();
      await notice.getByRole('link', { name: '打开' }).click();
      await page.waitForURL((url) => url.href === customerUrl);
      await page.getByTestId('customer-owner').getByText(repB.name, { exact: true }).waitFor();
      await page.getByText(phone, { exact: true }).waitFor();
    }),
  );
}
