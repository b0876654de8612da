// Browser end-to-end test of the pipeline: the owner creates a deal for a customer in the UI,
// drags it across the first stages of the kanban (column counts and totals follow), wins it
// in the dialog (the deal lands in the won column and the contract is offered), and the deal's
// page lists the stages it went through.
//
// Same environment as smoke.e2e.mjs (RAPPORT_E2E_BASE_URL, RAPPORT_E2E_EMAIL,
// RAPPORT_E2E_PASSWORD for an owner/admin, CHROMIUM_PATH, RAPPORT_E2E_SCREENSHOTS=1).
// The customer and a pipeline of its own (the standard stages) are created through the API
// with the owner's session, so deals other suites create elsewhere do not move its numbers.

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

suite('pipeline end-to-end', defineSuite);

/** "12345.67" → 1234567 (cents), for comparing the totals the board shows. */
function cents(value) {
  if (value === null || value === undefined) return 0;
  const [whole, fraction = ''] = String(value).split('.');
  const sign = whole.startsWith('-') ? -1 : 1;
  return sign * (Math.abs(Number(whole)) * 100 + Number(`${fraction}00`.slice(0, 2)));
}

/** 370370 → "€3,703.70", as the board writes euros in Chinese. */
function euro(centsValue) {
  const whole = Math.floor(centsValue / 100).toLocaleString('en-US');
  return `€${whole}.${String(centsValue % 100).padStart(2, '0')}`;
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
  const customerName = `E2E 云帆科技 ${stamp}`;
  const dealName = `E2E 年度订阅 ${stamp}`;
  // EUR: a currency the standard demo data does not use, so its totals are easy to follow
  const amount = '12345.67';
  let browser;
  let owner; // { context, page }
  let pipeline; // this run's own pipeline
  let stages; // its stages, in board order
  let dealId;
  let current;

  before(async () => {
    const { chromium } = loadPlaywright();
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
  });

  after(async () => {
    await browser?.close();
  });

  async function step(name, body) {
    const file = join(ARTIFACTS, `pipeline-${name}.png`);
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

  function column(page, stage) {
    return page.locator(`[data-testid="board-column"][data-stage-id="${stage.id}"]`);
  }

  /** What a column shows: its count badge and its EUR total (0 when it has none). */
  async function columnState(page, stage) {
    const col = column(page, stage);
    const count = Number(await col.getAttribute('data-count'));
    const badge = (await col.getByTestId('column-count').innerText()).trim();
    const eur = col.locator('[data-testid="column-total"][data-currency="EUR"]');
    const shown = (await eur.count()) > 0;
    const eurCents = shown ? cents(await eur.getAttribute('data-amount')) : 0;
    const weightedCents = shown ? cents(await eur.getAttribute('data-weighted')) : 0;
    const eurText = shown ? await eur.innerText() : '';
    return { count, badge: Number(badge.replace(/\D/g, '') || '0'), eurCents, weightedCents, eurText };
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

  test('the owner signs in and a customer is created through the API', { timeout: 90_000 }, () =>
    step('01-setup', async () => {
      owner = await signIn(EMAIL, PASSWORD);
      const created = await api(owner, 'POST', '/customers', { name: customerName, kind: 'company' });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      const made = await api(owner, 'POST', '/pipelines', { name: `E2E 销售流程 ${stamp}` });
      assert.equal(made.status, 201, JSON.stringify(made.body));
      pipeline = made.body;
      stages = pipeline.stages;
      assert.ok(stages.filter((s) => s.kind === 'open').length >= 3, 'at least three open stages');
      await owner.page.getByTestId('main-menu').getByText('商机', { exact: true }).waitFor();
    }),
  );

  test('creates a deal for the customer in the drawer; it heads the first column', { timeout: 90_000 }, () =>
    step('02-create-deal', async () => {
      const { page } = owner;
      await page.goto(`${BASE_URL}/pipeline?pipeline=${pipeline.id}`);
      await page.getByTestId('pipeline-switcher').getByText(pipeline.name).waitFor();
      const [first] = stages;
      await column(page, first).waitFor();
      const before = await columnState(page, first);
      assert.deepEqual(before, { count: 0, badge: 0, eurCents: 0, weightedCents: 0, eurText: '' }, 'a new pipeline starts empty');

      await page.getByTestId('deal-create').click();
      const form = page.getByTestId('deal-form');
      await form.waitFor();
      await pickOption(page, 'customer_id', customerName);
      await form.locator('input#name').fill(dealName);
      await form.locator('input#amount').fill(amount);
      await pickOption(page, 'currency', 'EUR');
      await page.getByTestId('deal-form-submit').click();
      await form.waitFor({ state: 'detached' });

      const card = column(page, first).getByTestId('deal-card').filter({ hasText: dealName });
      await card.waitFor();
      dealId = await card.getAttribute('data-deal-id');
      assert.match(dealId ?? '', /^[0-9a-f-]{36}$/);
      await card.getByText(customerName).waitFor();
      await card.getByText('€12,345.67').waitFor();

      const after = await eventually(
        () => columnState(page, first),
        (s) => s.count === 1 && s.badge === 1 && s.eurCents === cents(amount),
        'the first column counts the new deal and adds its amount',
      );
      assert.match(after.eurText, /^€12,345\.67/);
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
          ([f, t]) => f.count === 0 && f.badge === 0 && f.eurCents === 0 && t.count === 1 && t.badge === 1 && t.eurCents === cents(amount),
          `moving from ${from.name_zh} to ${to.name_zh} updates both columns`,
        );
        assert.equal(f.eurText, '');
        // the weighted total follows the new stage's probability (half up to the cent)
        const weighted = Math.round((cents(amount) * to.probability) / 100);
        assert.equal(t.weightedCents, weighted);
        assert.match(t.eurText, /^€12,345\.67/);
        assert.ok(t.eurText.includes(`加权 ${euro(weighted)}`), t.eurText);
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
        (all) => all.every((s, i) => (stages[i].id === won.id ? s.count === 1 && s.eurCents === cents(amount) : s.count === 0)),
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

      // the contract offer leads to the contracts screen, filled from this deal
      await page.getByTestId('deal-won-banner').getByTestId('create-contract').click();
      await page.waitForURL((url) => url.pathname === '/contracts/new' && url.searchParams.get('opportunity_id') === dealId);
    }),
  );
}
