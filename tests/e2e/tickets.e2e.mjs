// Browser end-to-end test of after-sales service tickets against a running Rapport server:
// the owner sets up a service team with one agent, an SLA policy (in the UI), a routing rule
// and a public intake form; an anonymous visitor posts a request to the form's public
// endpoint; the ticket lands in the agent's queue, auto-assigned, with a running
// first-response clock; the agent replies (the clock shows met) and resolves the ticket;
// the customer opens the satisfaction link in a fresh browser without logging in (phone
// sized, English) and rates 5 with a comment; the rating shows on the ticket and in the
// owner's service overview. The owner then links the ticket to a customer in its edit
// drawer and logs the return visit (回访), whose score and note show in the satisfaction card.
//
// Same environment as smoke.e2e.mjs (RAPPORT_E2E_BASE_URL, RAPPORT_E2E_EMAIL,
// RAPPORT_E2E_PASSWORD for an owner/admin, CHROMIUM_PATH, RAPPORT_E2E_SCREENSHOTS=1).

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

suite('service tickets end-to-end', defineSuite);

function defineSuite() {
  const stamp = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;
  const teamName = `E2E 售后 ${stamp}`;
  const policyName = `E2E SLA ${stamp}`;
  const ruleName = `E2E 网页工单 ${stamp}`;
  const formName = `E2E 报修表单 ${stamp}`;
  const subject = `E2E 打印机无法开机 ${stamp}`;
  const visitor = `E2E 王女士 ${stamp}`;
  const comment = `E2E 处理很快，谢谢 ${stamp}`;
  const agent = { name: `E2E 客服 ${stamp}`, email: `e2e-agent-${stamp}@example.com`, password: `Agent-${stamp}-secret` };
  let browser;
  let owner; // { context, page }
  let agentSession;
  let formToken;
  let ticketNumber;
  let ticketUrl;
  let csatLink;
  let current; // the page a failing step screenshots

  before(async () => {
    const { chromium } = loadPlaywright();
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
  });

  after(async () => {
    await browser?.close();
  });

  let stepContexts = []; // browsers opened for one step only, closed after its screenshot

  async function step(name, body) {
    const file = join(ARTIFACTS, `tickets-${name}.png`);
    try {
      await body();
      if (KEEP_SCREENSHOTS) await screenshot(file);
    } catch (error) {
      await screenshot(file);
      throw error;
    } finally {
      for (const context of stepContexts) await context.close().catch(() => {});
      stepContexts = [];
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

  async function newPage(options = {}) {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN', ...options });
    context.setDefaultTimeout(15_000);
    const page = await context.newPage();
    current = page;
    return { context, page };
  }

  async function signIn(email, password) {
    const session = await newPage();
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

  async function all(session, path) {
    const rows = [];
    let cursor = null;
    do {
      const page = await api(session, 'GET', `${path}?limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      assert.equal(page.status, 200, JSON.stringify(page.body));
      rows.push(...page.body.data);
      cursor = page.body.has_more ? page.body.next_cursor : null;
    } while (cursor);
    return rows;
  }

  /** Clicks a menu entry inside a (possibly collapsed) group of the side menu. */
  async function openMenu(page, group, item) {
    const menu = page.getByTestId('main-menu');
    const entry = menu.getByText(item, { exact: true });
    if (!(await entry.isVisible())) await menu.getByText(group, { exact: true }).click();
    await entry.click();
  }

  /** Retries `check` until it stops throwing (the server and the page catch up), then returns its value. */
  async function eventually(check, { timeout = 20_000, interval = 250 } = {}) {
    const deadline = Date.now() + timeout;
    for (;;) {
      try {
        return await check();
      } catch (error) {
        if (Date.now() > deadline) throw error;
        await new Promise((resolve) => setTimeout(resolve, interval));
      }
    }
  }

  test('the owner sets up a service team, an agent, a routing rule and an intake form', { timeout: 90_000 }, () =>
    step('01-setup', async () => {
      owner = await signIn(EMAIL, PASSWORD);
      // Rules of earlier runs on the same server would claim our ticket first: switch them off.
      for (const rule of await all(owner, '/ticket-routing-rules')) {
        if (rule.active && rule.name.startsWith('E2E ')) {
          const off = await api(owner, 'PATCH', `/ticket-routing-rules/${rule.id}`, { active: false });
          assert.equal(off.status, 200, JSON.stringify(off.body));
        }
      }
      const team = await api(owner, 'POST', '/teams', { name: teamName, parent_id: null });
      assert.equal(team.status, 201, JSON.stringify(team.body));
      const user = await api(owner, 'POST', '/users', { ...agent, role: 'service', team_id: team.body.id });
      assert.equal(user.status, 201, JSON.stringify(user.body));
      const rule = await api(owner, 'POST', '/ticket-routing-rules', {
        name: ruleName,
        position: 0,
        conditions: { channels: ['web_form'] },
        team_id: team.body.id,
        strategy: 'round_robin',
      });
      assert.equal(rule.status, 201, JSON.stringify(rule.body));
      const form = await api(owner, 'POST', '/ticket-forms', { name: formName, type: 'repair', priority: 'high' });
      assert.equal(form.status, 201, JSON.stringify(form.body));
      formToken = form.body.token;
    }),
  );

  test('the owner creates an SLA policy in the settings', { timeout: 90_000 }, () =>
    step('02-policy', async () => {
      const { page } = owner;
      current = page;
      // Policies of earlier runs would apply first: ours goes to the top and the others off.
      for (const policy of await all(owner, '/sla-policies')) {
        if (policy.active && policy.name.startsWith('E2E ')) {
          const off = await api(owner, 'PATCH', `/sla-policies/${policy.id}`, { active: false });
          assert.equal(off.status, 200, JSON.stringify(off.body));
        }
      }
      await openMenu(page, '系统设置', 'SLA 与工作时间');
      await page.waitForURL((url) => url.pathname === '/settings/sla');
      await page.getByTestId('policy-create').click();
      const form = page.getByTestId('policy-form');
      await form.waitFor();
      await form.locator('input#name').fill(policyName);
      // The suggested targets are filled in: high answers within 1 hour, resolves within 8.
      assert.equal(await page.getByTestId('target-high-first').inputValue(), '1');
      await page.getByTestId('policy-submit').click();
      await form.waitFor({ state: 'detached' });
      const row = page.getByTestId('policies-table').locator('tr').filter({ hasText: policyName });
      await row.waitFor();
      assert.match(await row.innerText(), /响应 1 小时 · 解决 8 小时/);
    }),
  );

  test('a visitor submits a request to the public intake endpoint', { timeout: 60_000 }, () =>
    step('03-intake', async () => {
      const { context, page } = await newPage();
      stepContexts.push(context);
      {
        // No session at all: what a website's form or a mini-program would send.
        const response = await page.request.post(`${BASE_URL}/api/v1/public/forms/${formToken}/tickets`, {
          data: {
            name: visitor,
            phone: `138${String(Date.now()).slice(-8)}`,
            subject,
            description: '打印机指示灯不亮，插头已经检查过。',
          },
        });
        const body = await response.json();
        assert.equal(response.status(), 202, JSON.stringify(body));
        assert.equal(body.accepted, true);
        ticketNumber = body.number;
        assert.ok(ticketNumber, 'the visitor gets a ticket number to quote');
      }
    }),
  );

  test("the ticket is in the agent's queue, auto-assigned, its first-response clock running", { timeout: 90_000 }, () =>
    step('04-queue', async () => {
      agentSession = await signIn(agent.email, agent.password);
      const { page } = agentSession;
      await openMenu(page, '客户服务', '服务工单');
      await page.waitForURL((url) => url.pathname === '/tickets');
      const row = page.getByTestId('tickets-table').locator(`tr[data-number="${ticketNumber}"]`);
      await eventually(async () => {
        if (!(await row.isVisible())) {
          await page.getByTestId('ticket-filters').getByRole('button', { name: /刷新|Refresh/ }).click();
        }
        await row.waitFor({ timeout: 2_000 });
      });
      assert.equal(await row.getByTestId('ticket-row-assignee').innerText(), agent.name);
      assert.equal(await row.getByTestId('sla-firstResponse').getAttribute('data-state'), 'running');
      await row.getByTestId('ticket-link').click();
      await page.waitForURL(/\/tickets\/[0-9a-f-]{36}$/);
      ticketUrl = page.url();
      await page.getByTestId('ticket-subject').getByText(subject, { exact: true }).waitFor();
      assert.equal(await page.getByTestId('ticket-number').innerText(), ticketNumber);
      assert.match(await page.getByTestId('ticket-assignment-note').innerText(), new RegExp(`规则“${ruleName}”，轮流分配`));
      const badge = page.getByTestId('ticket-sla').getByTestId('sla-firstResponse');
      assert.equal(await badge.getAttribute('data-state'), 'running');
      assert.match(await badge.innerText(), /首次响应 · 剩余/);
    }),
  );

  test('the agent adds a note and replies; the reply stops the first-response clock', { timeout: 90_000 }, () =>
    step('05-reply', async () => {
      const { page } = agentSession;
      current = page;
      const reply = page.getByTestId('ticket-reply');
      await reply.getByTestId('reply-internal').click();
      await reply.getByTestId('reply-body').fill('已确认是电源模块问题，备件有库存。');
      await reply.getByTestId('reply-send').click();
      await page.getByTestId('ticket-comment-internal').waitFor();
      // A note is not a reply to the customer: the clock still runs.
      assert.equal(await page.getByTestId('ticket-sla').getByTestId('sla-firstResponse').getAttribute('data-state'), 'running');

      await reply.getByTestId('reply-public').click();
      await reply.getByTestId('reply-body').fill('您好，我们明天上午安排工程师上门更换电源模块。');
      await reply.getByTestId('reply-send').click();
      await page.getByTestId('ticket-comment-public').waitFor();
      const badge = page.getByTestId('ticket-sla').getByTestId('sla-firstResponse');
      await eventually(async () => assert.equal(await badge.getAttribute('data-state'), 'met'));
      assert.equal(await badge.getAttribute('data-tone'), 'met');
      assert.match(await badge.innerText(), /首次响应 · 已达成/);
      // The ticket is being worked on now.
      assert.equal(await page.locator('[data-testid="ticket-status"]').first().getAttribute('data-status'), 'open');
    }),
  );

  test('the agent resolves the ticket and gets the satisfaction link', { timeout: 90_000 }, () =>
    step('06-resolve', async () => {
      const { page } = agentSession;
      current = page;
      await page.getByTestId('ticket-action-resolve').click();
      await page.getByTestId('ticket-status-note').fill('已上门更换电源模块');
      await page.getByTestId('ticket-status-confirm').click();
      await eventually(async () =>
        assert.equal(await page.locator('[data-testid="ticket-status"]').first().getAttribute('data-status'), 'resolved'),
      );
      const link = page.getByTestId('ticket-csat-link');
      await link.waitFor();
      csatLink = (await link.innerText()).trim();
      assert.match(csatLink, new RegExp(`^${BASE_URL.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/public/csat/\\S+$`));
      await page.getByTestId('ticket-action-reopen').waitFor();
    }),
  );

  test('the customer rates 5 with a comment on a phone, without logging in', { timeout: 90_000 }, () =>
    step('07-csat', async () => {
      const { context, page } = await newPage({ viewport: { width: 390, height: 844 }, locale: 'en-US', isMobile: true, hasTouch: true });
      stepContexts.push(context);
      {
        await page.goto(csatLink);
        await page.getByTestId('csat-ticket').getByText(`${ticketNumber} · ${subject}`).waitFor();
        // The browser speaks English and nobody chose otherwise: the page does too.
        await page.getByText('How satisfied are you with how we handled your request?').waitFor();
        assert.equal(page.url(), csatLink, 'no login redirect');
        // Everything fits a phone screen: no sideways scrolling.
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        assert.ok(overflow <= 0, `the page is ${overflow}px wider than the phone`);
        await page.getByTestId('csat-score-5').click();
        assert.equal(await page.getByTestId('csat-score-label').innerText(), 'Very happy');
        await page.getByTestId('csat-comment').fill(comment);
        await page.getByTestId('csat-submit').click();
        await page.getByTestId('csat-thanks').getByText('Thank you for your feedback!').waitFor();
        await page.getByText(comment).waitFor();
        // The link works once: opening it again shows the rating, not the form.
        await page.reload();
        await page.getByTestId('csat-thanks').waitFor();
        assert.equal(await page.getByTestId('csat-submit').count(), 0);
      }
    }),
  );

  test('the rating shows on the ticket and in the service overview', { timeout: 90_000 }, () =>
    step('08-report', async () => {
      const { page } = owner;
      current = page;
      await page.goto(ticketUrl);
      await page.getByTestId('ticket-csat-rating').getByText('5 星').waitFor();
      await page.getByTestId('ticket-csat').getByText(comment, { exact: false }).waitFor();

      await openMenu(page, '客户服务', '服务概览');
      await page.waitForURL((url) => url.pathname === '/service/overview');
      const responses = Number((await page.getByTestId('dashboard-csat-responses').innerText()).match(/\d+/)[0]);
      assert.ok(responses >= 1, 'the 30-day CSAT card counts the rating');
      await page.getByTestId('dashboard-csat-average').waitFor();
      const row = page.getByTestId('overview-csat-agents').locator('tr').filter({ hasText: agent.name });
      await row.waitFor();
      const cells = await row.locator('td').allInnerTexts();
      assert.deepEqual(cells.slice(0, 3), [agent.name, '1', '5.00']);
    }),
  );

  test('the owner links a customer and logs the return visit', { timeout: 90_000 }, () =>
    step('09-return-visit', async () => {
      const { page } = owner;
      current = page;
      const customerName = `E2E 报修客户 ${stamp}`;
      const customer = await api(owner, 'POST', '/customers', { name: customerName });
      assert.equal(customer.status, 201, JSON.stringify(customer.body));
      await page.goto(ticketUrl);
      // The intake matched no customer: a return visit needs one, so the button waits for it.
      assert.equal(await page.getByTestId('ticket-return-visit-log').isDisabled(), true);

      await page.getByTestId('ticket-edit').click();
      const drawer = page.getByTestId('ticket-edit-form');
      await drawer.waitFor();
      await page.getByTestId('ticket-edit-customer').click();
      await page.getByTestId('ticket-edit-customer').locator('input').fill(customerName);
      await page.locator('.ant-select-item-option').filter({ hasText: customerName }).click();
      await page.getByTestId('ticket-edit-submit').click();
      await drawer.waitFor({ state: 'detached' });
      await page.getByTestId('ticket-return-visit-log').and(page.locator(':enabled')).waitFor();

      await page.getByTestId('ticket-return-visit-log').click();
      await page.getByTestId('return-visit-form').waitFor();
      await page.getByTestId('return-visit-rate').locator('li').nth(3).click();
      const note = `E2E 回访：打印机使用正常 ${stamp}`;
      await page.getByTestId('return-visit-content').fill(note);
      await page.getByTestId('return-visit-submit').click();
      await page.getByTestId('return-visit-form').waitFor({ state: 'detached' });
      const visit = page.getByTestId('ticket-return-visit');
      await visit.getByText(note, { exact: false }).waitFor();
      assert.equal(await visit.getByTestId('ticket-return-visit-score').innerText(), '4 星');
      const saved = await api(owner, 'GET', ticketUrl.replace(/^.*\/tickets\//, '/tickets/'));
      assert.equal(saved.body.customer_id, customer.body.id);
      assert.equal(saved.body.return_visit_score, 4);
    }),
  );
}
