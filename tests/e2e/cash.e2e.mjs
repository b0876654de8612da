// Browser end-to-end test of the deal-to-cash screens against a running Rapport server: a
// won deal (set up through the API) becomes a contract from the deal's "create contract"
// link, is submitted and approved, gets a payment plan of three installments (the first
// already due), takes a partial payment; the contract page then shows each installment's
// status and paid / outstanding amounts, and the aging view puts the overdue money in the
// right bucket — also once the "as of" day passes the second installment's due date.
//
// Same environment as smoke.e2e.mjs (RAPPORT_E2E_BASE_URL, RAPPORT_E2E_EMAIL and
// RAPPORT_E2E_PASSWORD of an owner/admin, CHROMIUM_PATH, RAPPORT_E2E_SCREENSHOTS=1).

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

suite('contracts and receivables end-to-end', defineSuite);

/** YYYY-MM-DD `days` from today in this process's (and the browser's) time zone. */
function day(days) {
  const d = new Date(Date.now() + days * 86_400_000);
  const pad = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** "¥21,000.00": how the SPA shows a CNY amount. */
function yuan(amount) {
  return `¥${amount.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}

function defineSuite() {
  const stamp = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;
  const customerName = `E2E 回款客户 ${stamp}`;
  const dealName = `E2E 年度服务合同 ${stamp}`;
  const dueDates = [day(-10), day(20), day(50)];
  let browser;
  let owner; // { context, page }
  let opportunityId;
  let contractUrl;
  let contractNumber;
  let current;

  before(async () => {
    const { chromium } = loadPlaywright();
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
  });

  after(async () => {
    await browser?.close();
  });

  async function step(name, body) {
    const file = join(ARTIFACTS, `cash-${name}.png`);
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

  /** The <input> of an antd field wrapper found by test id (or the input itself). */
  function inputOf(locator) {
    return locator.locator('xpath=self::input | descendant::input').first();
  }

  async function typeDate(input, value) {
    await input.click();
    await input.fill(value);
    await input.press('Enter');
  }

  async function contractStatus(page, text) {
    await page.getByTestId('contract-status').getByText(text, { exact: true }).waitFor();
  }

  test('the owner signs in; a customer and a won deal are set up', { timeout: 90_000 }, () =>
    step('01-setup', async () => {
      owner = await signIn(EMAIL, PASSWORD);
      const customer = await api(owner, 'POST', '/customers', { name: customerName, force: true });
      assert.equal(customer.status, 201, JSON.stringify(customer.body));
      const deal = await api(owner, 'POST', '/opportunities', {
        customer_id: customer.body.id,
        name: dealName,
        amount: '90000.00',
        currency: 'CNY',
      });
      assert.equal(deal.status, 201, JSON.stringify(deal.body));
      opportunityId = deal.body.id;
      const won = await api(owner, 'POST', `/opportunities/${opportunityId}/win`, {});
      assert.equal(won.status, 200, JSON.stringify(won.body));
      assert.equal(won.body.status, 'won');
    }),
  );

  test("the deal's create-contract link opens a prefilled form; the contract is created", { timeout: 90_000 }, () =>
    step('02-create-contract', async () => {
      const { page } = owner;
      await page.goto(`${BASE_URL}/contracts/new?opportunity_id=${opportunityId}`);
      const form = page.getByTestId('contract-form');
      await form.waitFor();
      await page.getByTestId('contract-from-deal').getByText(dealName, { exact: false }).waitFor();
      // Prefilled from the deal: title, customer, amount, currency.
      await page.waitForFunction((name) => document.querySelector('input#title')?.value === name, dealName);
      assert.equal(await form.locator('input#amount').inputValue(), '90000.00');
      await form.getByText(customerName, { exact: true }).waitFor();
      await page.getByTestId('contract-form-submit').click();
      await page.waitForURL(/\/contracts\/[0-9a-f-]{36}$/);
      contractUrl = page.url();
      contractNumber = (await page.getByTestId('contract-number').innerText()).trim();
      assert.match(contractNumber, /^[A-Za-z0-9]+-\d{4}-\d{4,}$/);
      await contractStatus(page, '草稿');
      await page.getByTestId('contract-amount').getByText('¥90,000.00').waitFor();
    }),
  );

  test('submitted for approval and approved by the owner', { timeout: 90_000 }, () =>
    step('03-approve', async () => {
      const { page } = owner;
      await page.getByTestId('contract-submit').click();
      await page.getByTestId('submit-modal').locator('textarea').fill('请审批');
      await page.getByTestId('submit-modal-ok').click();
      await contractStatus(page, '审批中');
      await page.getByTestId('contract-approve').click();
      await page.getByTestId('approve-modal').locator('textarea').fill('同意');
      await page.getByTestId('approve-modal-ok').click();
      await contractStatus(page, '执行中');
      await page.getByTestId('record-payment').waitFor();
    }),
  );

  test('a plan of three installments is entered; the live sum checks it against the amount', { timeout: 90_000 }, () =>
    step('04-payment-plan', async () => {
      const { page } = owner;
      await page.getByTestId('plan-edit').click();
      const editor = page.getByTestId('plan-editor');
      for (let n = 0; n < 3; n += 1) await page.getByTestId('plan-add').click();
      const rows = editor.getByTestId('plan-row');
      await rows.nth(2).waitFor();
      assert.equal(await rows.count(), 3);
      const amounts = ['30000', '30000', '20000'];
      for (let n = 0; n < 3; n += 1) {
        const row = rows.nth(n);
        await typeDate(inputOf(row.getByTestId('plan-due')), dueDates[n]);
        const amount = inputOf(row.getByTestId('plan-amount'));
        await amount.fill(amounts[n]);
        await amount.press('Tab');
      }
      // 80,000 of 90,000: the editor says how much is missing.
      await page.getByTestId('plan-difference').getByText('比合同金额少 ¥10,000.00').waitFor();
      const last = inputOf(rows.nth(2).getByTestId('plan-amount'));
      await last.fill('30000');
      await last.press('Tab');
      await page.getByTestId('plan-difference').getByText('与合同金额一致', { exact: false }).waitFor();
      assert.equal(await page.getByTestId('plan-sum').innerText(), '¥90,000.00');
      await page.getByTestId('plan-save').click();
      await editor.waitFor({ state: 'detached' });

      const table = page.getByTestId('installments-table');
      await table.waitFor();
      assert.equal(await table.getByTestId('installment-row').count(), 3);
      const first = table.locator('[data-testid="installment-row"][data-number="1"]');
      await first.getByText(dueDates[0]).waitFor();
      assert.equal(await first.getByTestId('installment-status').getAttribute('data-status'), 'overdue');
    }),
  );

  test('a partial payment is allocated to the oldest installment', { timeout: 90_000 }, () =>
    step('05-partial-payment', async () => {
      const { page } = owner;
      await page.getByTestId('record-payment').click();
      const form = page.getByTestId('payment-form');
      await form.waitFor();
      assert.equal(await page.getByTestId('payment-outstanding').innerText(), '¥90,000.00');
      await form.locator('input#amount').fill('9000');
      await form.locator('input#reference').fill(`E2E-${stamp}`);
      // Automatic allocation previews the oldest installment first.
      await page.getByTestId('allocation-preview').getByText('第1期 ¥9,000.00', { exact: false }).waitFor();
      await page.getByTestId('payment-submit').click();
      const result = page.getByTestId('payment-result');
      await result.waitFor();
      const line = result.locator('tr').filter({ hasText: '第1期' });
      await line.getByText('¥9,000.00').waitFor();
      await page.getByRole('button', { name: /完\s*成/ }).click();
      await result.waitFor({ state: 'detached' });
    }),
  );

  test('installments and the contract show the paid and outstanding amounts and statuses', { timeout: 90_000 }, () =>
    step('06-amounts', async () => {
      const { page } = owner;
      await page.goto(contractUrl);
      const table = page.getByTestId('installments-table');
      await table.waitFor();
      const row = (n) => table.locator(`[data-testid="installment-row"][data-number="${n}"]`);
      const expected = [
        { paid: 9000, outstanding: 21000, status: 'overdue', label: /逾期/ },
        { paid: 0, outstanding: 30000, status: 'pending', label: /待回款/ },
        { paid: 0, outstanding: 30000, status: 'pending', label: /待回款/ },
      ];
      for (const [index, want] of expected.entries()) {
        const r = row(index + 1);
        await r.getByTestId('installment-paid').getByText(yuan(want.paid), { exact: true }).waitFor();
        assert.equal(await r.getByTestId('installment-outstanding').innerText(), yuan(want.outstanding));
        const tag = r.getByTestId('installment-status');
        assert.equal(await tag.getAttribute('data-status'), want.status);
        assert.match(await tag.innerText(), want.label);
      }
      assert.match(await page.getByTestId('contract-received').innerText(), /¥9,000\.00/);
      assert.match(await page.getByTestId('contract-outstanding').innerText(), /¥81,000\.00/);
      assert.match(await page.getByTestId('contract-overdue').innerText(), /¥21,000\.00/);

      await page.getByRole('tab', { name: '回款记录' }).click();
      const payment = page.getByTestId('payments-table').locator('tr').filter({ hasText: `E2E-${stamp}` });
      await payment.getByText('¥9,000.00', { exact: true }).waitFor();
      assert.match(await payment.innerText(), /第1期 ¥9,000\.00/);
    }),
  );

  test('the receivables list shows the installment under the overdue filter', { timeout: 90_000 }, () =>
    step('07-overdue-list', async () => {
      const { page } = owner;
      await page.goto(`${BASE_URL}/receivables`);
      const table = page.getByTestId('receivables-table');
      await table.getByTestId('receivable-row').first().waitFor();
      await page.getByTestId('overdue-only').click();
      // The unfiltered rows stay on screen until the filtered page arrives.
      await table.locator('[data-testid="receivable-row"]:not([data-status="overdue"])').first().waitFor({ state: 'detached' });
      const mine = table.getByTestId('receivable-row').filter({ hasText: contractNumber });
      await findWithLoadMore(page, mine);
      assert.equal(await mine.count(), 1);
      assert.equal(await mine.getAttribute('data-status'), 'overdue');
      assert.match(await mine.innerText(), /¥21,000\.00/);
    }),
  );

  test('aging puts the overdue money in 1–30 days; as of a later day both installments have aged', { timeout: 90_000 }, () =>
    step('08-aging', async () => {
      const { page } = owner;
      await page.goto(`${BASE_URL}/receivables?tab=aging`);
      const table = page.getByTestId('aging-table');
      await table.waitFor();
      const mine = table.locator('tr').filter({ hasText: customerName });
      await findWithLoadMore(page, mine);
      const cells = async () => (await mine.locator('td').allInnerTexts()).map((s) => s.trim());
      // label, current, 1–30, 31–60, 61–90, 90+, total, installments
      assert.deepEqual((await cells()).slice(1, 8), [
        yuan(60000),
        yuan(21000),
        yuan(0),
        yuan(0),
        yuan(0),
        yuan(81000),
        '3',
      ]);
      await page.getByTestId('aging-chart').first().waitFor();

      // 25 days on, the second installment is 5 days late and the first one 35.
      await typeDate(inputOf(page.getByTestId('aging-as-of')), day(25));
      await page.getByTestId('aging-as-of-shown').getByText(day(25), { exact: false }).waitFor();
      await mine.locator('td').nth(3).getByText(yuan(21000), { exact: true }).waitFor();
      assert.deepEqual((await cells()).slice(1, 7), [yuan(30000), yuan(30000), yuan(21000), yuan(0), yuan(0), yuan(81000)]);
    }),
  );

  /** Follows "load more" until `locator` appears (lists are keyset-paginated). */
  async function findWithLoadMore(page, locator) {
    for (let n = 0; n < 20; n += 1) {
      try {
        await locator.first().waitFor({ timeout: 3_000 });
        return;
      } catch {
        const more = page.getByTestId('load-more');
        if ((await more.count()) === 0) break;
        await more.click();
      }
    }
    await locator.first().waitFor();
  }
}
