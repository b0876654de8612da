// Browser end-to-end test of one deal's whole way from the pipeline to cash, every step in the
// UI and on the same deal: the owner creates a deal for a customer in the drawer, drags it
// across the first stages of the kanban (column counts and totals follow), wins it in the
// dialog, checks the deal's page and stage history, follows its "create contract" link to a
// prefilled contract form, creates the contract, submits and approves it, plans three
// installments (the first already due), records a partial payment; the contract page then
// shows each installment's status and paid / outstanding amounts, the receivables list shows
// the overdue installment, and the aging view puts the overdue money in the right bucket —
// also once the "as of" day passes the second installment's due date.
//
// Same environment as smoke.e2e.mjs (RAPPORT_E2E_BASE_URL, RAPPORT_E2E_EMAIL and
// RAPPORT_E2E_PASSWORD of an owner/admin, CHROMIUM_PATH, RAPPORT_E2E_SCREENSHOTS=1).
// Only the customer and a pipeline of this run's own (the standard stages) are created through
// the API, so deals other suites create elsewhere do not move the board's numbers.
// The steps depend on each other: once one fails, the later ones fail at once, naming it.

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

suite('deal to cash end-to-end', defineSuite);

/** "12345.67" → 1234567 (cents), for comparing the totals the board shows. */
function cents(value) {
  if (value === null || value === undefined) return 0;
  const [whole, fraction = ''] = String(value).split('.');
  const sign = whole.startsWith('-') ? -1 : 1;
  return sign * (Math.abs(Number(whole)) * 100 + Number(`${fraction}00`.slice(0, 2)));
}

/** 2700000 → "¥27,000.00": how the SPA writes a CNY amount in Chinese. */
function yuanCents(centsValue) {
  const whole = Math.floor(centsValue / 100).toLocaleString('en-US');
  return `¥${whole}.${String(centsValue % 100).padStart(2, '0')}`;
}

/** 21000 → "¥21,000.00". */
function yuan(amount) {
  return yuanCents(Math.round(amount * 100));
}

/** YYYY-MM-DD `days` from today in this process's (and the browser's) time zone. */
function day(days) {
  const d = new Date(Date.now() + days * 86_400_000);
  const pad = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** Polls `read` until `check(value)` holds; fails with the last value after `timeout` ms. */
async function eventually(read, check, message, timeout = 15_000) {
  const deadline = Date.now() + timeout;
  let value;
  for (;;) {
    value = await read();
    if (check(value)) return value;
    if (Date.now() > deadline) assert.fail(`${message} (last value: ${JSON.stringify(value)})`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

function defineSuite() {
  const stamp = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;
  const customerName = `E2E 回款客户 ${stamp}`;
  const dealName = `E2E 年度服务合同 ${stamp}`;
  // The cash steps' numbers follow from these: 90,000 split 30,000 / 30,000 / 30,000, the first
  // installment 10 days overdue, a payment of 9,000 against it.
  const amount = '90000.00';
  const dueDates = [day(-10), day(20), day(50)];
  let browser;
  let owner; // { context, page }
  let pipeline; // this run's own pipeline
  let stages; // its stages, in board order
  let dealId;
  let contractUrl;
  let contractNumber;
  let current;
  let brokenAt = null; // the step that failed, if one did

  before(async () => {
    const { chromium } = loadPlaywright();
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
  });

  after(async () => {
    await browser?.close();
  });

  async function step(name, body) {
    if (brokenAt) assert.fail(`not run: the journey broke at step ${brokenAt}`);
    const file = join(ARTIFACTS, `deal_to_cash-${name}.png`);
    try {
      await body();
      if (KEEP_SCREENSHOTS) await screenshot(file);
    } catch (error) {
      brokenAt = name;
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
    const context = await browser.newContext({ viewport: { width: 1600, height: 1000 }, locale: 'zh-CN' });
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

  // ---- the board ----

  function column(page, stage) {
    return page.locator(`[data-testid="board-column"][data-stage-id="${stage.id}"]`);
  }

  /** What a column shows: its count badge and its CNY total (0 when it has none). */
  async function columnState(page, stage) {
    const col = column(page, stage);
    const count = Number(await col.getAttribute('data-count'));
    const badge = (await col.getByTestId('column-count').innerText()).trim();
    const cny = col.locator('[data-testid="column-total"][data-currency="CNY"]');
    const shown = (await cny.count()) > 0;
    const cnyCents = shown ? cents(await cny.getAttribute('data-amount')) : 0;
    const weightedCents = shown ? cents(await cny.getAttribute('data-weighted')) : 0;
    const cnyText = shown ? await cny.innerText() : '';
    return { count, badge: Number(badge.replace(/\D/g, '') || '0'), cnyCents, weightedCents, cnyText };
  }

  async function pickOption(page, inputId, text) {
    const input = page.locator(`input#${inputId}`);
    // the selected value covers the search input until the select opens
    await page.locator('.ant-select').filter({ has: input }).click();
    await input.fill(text);
    const option = page.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: text }).first();
    await option.waitFor();
    await option.click();
  }

  async function drag(page, stage) {
    const card = page.locator(`[data-testid="deal-card"][data-deal-id="${dealId}"]`);
    await card.dragTo(column(page, stage));
  }

  // ---- contracts and receivables ----

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

  // ---- the journey ----

  test('the owner signs in; a customer and a pipeline are created through the API', { timeout: 90_000 }, () =>
    step('01-setup', async () => {
      owner = await signIn(EMAIL, PASSWORD);
      const created = await api(owner, 'POST', '/customers', { name: customerName, kind: 'company', force: true });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      const made = await api(owner, 'POST', '/pipelines', { name: `E2E 销售流程 ${stamp}` });
      assert.equal(made.status, 201, JSON.stringify(made.body));
      pipeline = made.body;
      stages = pipeline.stages;
      assert.ok(stages.filter((s) => s.kind === 'open').length >= 3, 'at least three open stages');
      await owner.page.getByTestId('main-menu').getByText('商机', { exact: true }).waitFor();
    }),
  );

  test('creates a CNY deal for the customer in the drawer; it heads the first column', { timeout: 90_000 }, () =>
    step('02-create-deal', async () => {
      const { page } = owner;
      await page.goto(`${BASE_URL}/pipeline?pipeline=${pipeline.id}`);
      await page.getByTestId('pipeline-switcher').getByText(pipeline.name).waitFor();
      const [first] = stages;
      await column(page, first).waitFor();
      const before = await columnState(page, first);
      assert.deepEqual(before, { count: 0, badge: 0, cnyCents: 0, weightedCents: 0, cnyText: '' }, 'a new pipeline starts empty');

      await page.getByTestId('deal-create').click();
      const form = page.getByTestId('deal-form');
      await form.waitFor();
      await pickOption(page, 'customer_id', customerName);
      await form.locator('input#name').fill(dealName);
      await form.locator('input#amount').fill(amount);
      await pickOption(page, 'currency', 'CNY');
      await page.getByTestId('deal-form-submit').click();
      await form.waitFor({ state: 'detached' });

      const card = column(page, first).getByTestId('deal-card').filter({ hasText: dealName });
      await card.waitFor();
      dealId = await card.getAttribute('data-deal-id');
      assert.match(dealId ?? '', /^[0-9a-f-]{36}$/);
      await card.getByText(customerName).waitFor();
      await card.getByText('¥90,000.00').waitFor();

      const after = await eventually(
        () => columnState(page, first),
        (s) => s.count === 1 && s.badge === 1 && s.cnyCents === cents(amount),
        'the first column counts the new deal and adds its amount',
      );
      assert.match(after.cnyText, /^¥90,000\.00/);
      const deal = await api(owner, 'GET', `/opportunities/${dealId}`);
      assert.equal(deal.body.currency, 'CNY');
      assert.equal(cents(deal.body.amount), cents(amount));
    }),
  );

  test('dragging the card to the next two stages moves its count and amount along', { timeout: 90_000 }, () =>
    step('03-drag', async () => {
      const { page } = owner;
      const open = stages.filter((s) => s.kind === 'open');
      for (const [from, to] of [
        [open[0], open[1]],
        [open[1], open[2]],
      ]) {
        await drag(page, to);
        await column(page, to).locator(`[data-deal-id="${dealId}"]`).waitFor();
        const [f, t] = await eventually(
          () => Promise.all([columnState(page, from), columnState(page, to)]),
          ([f, t]) => f.count === 0 && f.badge === 0 && f.cnyCents === 0 && t.count === 1 && t.badge === 1 && t.cnyCents === cents(amount),
          `moving from ${from.name_zh} to ${to.name_zh} updates both columns`,
        );
        assert.equal(f.cnyText, '');
        // the weighted total follows the new stage's probability (half up to the cent)
        const weighted = Math.round((cents(amount) * to.probability) / 100);
        assert.equal(t.weightedCents, weighted);
        assert.match(t.cnyText, /^¥90,000\.00/);
        assert.ok(t.cnyText.includes(`加权 ${yuanCents(weighted)}`), t.cnyText);
        assert.equal(await column(page, from).locator(`[data-deal-id="${dealId}"]`).count(), 0);
      }
      // the server agrees: the deal is in the third stage
      const deal = await api(owner, 'GET', `/opportunities/${dealId}`);
      assert.equal(deal.body.stage_id, open[2].id);
    }),
  );

  test('winning it in the dialog puts it in the won column and offers the contract', { timeout: 90_000 }, () =>
    step('04-win', async () => {
      const { page } = owner;
      const won = stages.find((s) => s.kind === 'won');
      await drag(page, won);
      const dialog = page.getByRole('dialog');
      await dialog.getByText(dealName, { exact: false }).waitFor();
      await page.getByTestId('win-confirm').click();
      const offer = page.getByTestId('create-contract');
      await offer.waitFor();
      assert.equal((await offer.innerText()).replace(/\s/g, ''), '创建合同');
      await page.getByText(`恭喜，${dealName} 赢单！`).waitFor();
      await page.getByTestId('win-later').click();
      await offer.waitFor({ state: 'detached' });

      await column(page, won).locator(`[data-deal-id="${dealId}"]`).waitFor();
      await eventually(
        () => Promise.all(stages.map((s) => columnState(page, s))),
        (all) => all.every((s, i) => (stages[i].id === won.id ? s.count === 1 && s.cnyCents === cents(amount) : s.count === 0)),
        'only the won column holds the deal',
      );
      const deal = await api(owner, 'GET', `/opportunities/${dealId}`);
      assert.equal(deal.body.status, 'won');
    }),
  );

  test("the deal's page shows it won, offers the contract and lists its stage history", { timeout: 90_000 }, () =>
    step('05-detail', async () => {
      const { page } = owner;
      await page.locator(`[data-testid="deal-card"][data-deal-id="${dealId}"]`).getByTestId('deal-card-link').click();
      await page.waitForURL((url) => url.pathname === `/opportunities/${dealId}`);
      await page.getByTestId('deal-name').getByText(dealName, { exact: true }).waitFor();
      await page.getByTestId('deal-status').getByText('赢单', { exact: true }).waitFor();
      await page.getByTestId('deal-won-banner').getByTestId('create-contract').waitFor();

      await page.getByRole('tab', { name: '阶段历史' }).click();
      const rows = page.getByTestId('stage-history-row');
      await eventually(() => rows.count(), (n) => n === 4, 'four stage visits: three open stages and the won one');
      const open = stages.filter((s) => s.kind === 'open');
      const won = stages.find((s) => s.kind === 'won');
      const texts = await rows.allInnerTexts();
      // newest first: won, then the open stages backwards; only the won visit is current
      const expected = [won, open[2], open[1], open[0]].map((s) => s.name_zh);
      expected.forEach((name, i) => assert.ok(texts[i].includes(name), `row ${i} is ${name}: ${texts[i]}`));
      assert.ok(texts[0].includes('当前阶段'));
      assert.ok(texts.slice(1).every((t) => !t.includes('当前阶段')));
    }),
  );

  test("the deal's create-contract link opens a prefilled form; the contract is created", { timeout: 90_000 }, () =>
    step('06-create-contract', async () => {
      const { page } = owner;
      // the contract offer leads to the contracts screen, filled from this deal
      await page.getByTestId('deal-won-banner').getByTestId('create-contract').click();
      await page.waitForURL((url) => url.pathname === '/contracts/new' && url.searchParams.get('opportunity_id') === dealId);
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
    step('07-approve', async () => {
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
    step('08-payment-plan', async () => {
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
        const amountInput = inputOf(row.getByTestId('plan-amount'));
        await amountInput.fill(amounts[n]);
        await amountInput.press('Tab');
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
    step('09-partial-payment', async () => {
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
    step('10-amounts', async () => {
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
    step('11-overdue-list', async () => {
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
    step('12-aging', async () => {
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
}
