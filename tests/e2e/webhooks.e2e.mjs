// Browser end-to-end test of webhooks against a running Rapport server and its worker: the
// owner adds an endpoint pointing at a receiver this suite runs on 127.0.0.1, sees the signing
// secret once, sends a test event and watches it arrive as "delivered" in the delivery log;
// the receiver got it with the Standard Webhooks headers. The server must allow loopback
// targets (RAPPORT_WEBHOOKS_ALLOW_PRIVATE=true, as tests/e2e/test_browser.py sets it up).
//
// Same environment as smoke.e2e.mjs (RAPPORT_E2E_BASE_URL, RAPPORT_E2E_EMAIL,
// RAPPORT_E2E_PASSWORD for an owner/admin, CHROMIUM_PATH, RAPPORT_E2E_SCREENSHOTS=1).

import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:http';
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

suite('webhooks end-to-end', defineSuite);

function defineSuite() {
  const stamp = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;
  const received = [];
  let receiver;
  let receiverUrl;
  let browser;
  let page;
  let context;

  before(async () => {
    receiver = createServer((request, response) => {
      const chunks = [];
      request.on('data', (chunk) => chunks.push(chunk));
      request.on('end', () => {
        received.push({ headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end('{"received":true}');
      });
    });
    await new Promise((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    receiverUrl = `http://127.0.0.1:${receiver.address().port}/hooks/${stamp}`;
    const { chromium } = loadPlaywright();
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
    context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
    context.setDefaultTimeout(15_000);
    page = await context.newPage();
  });

  after(async () => {
    await browser?.close();
    await new Promise((resolve) => (receiver ? receiver.close(resolve) : resolve()));
  });

  async function step(name, body) {
    const file = join(ARTIFACTS, `webhooks-${name}.png`);
    try {
      await body();
      if (KEEP_SCREENSHOTS) await shot(file);
    } catch (error) {
      await shot(file);
      throw error;
    }
  }

  async function shot(file) {
    try {
      mkdirSync(ARTIFACTS, { recursive: true });
      await page?.screenshot({ path: file, fullPage: true });
    } catch {
      // the browser may be gone; the assertion error is what matters
    }
  }

  test('the owner adds an endpoint and sees its secret once', { timeout: 90_000 }, () =>
    step('01-create', async () => {
      await page.goto(`${BASE_URL}/login`);
      await page.locator('input#email').fill(EMAIL);
      await page.locator('input#password').fill(PASSWORD);
      await page.locator('button[type="submit"]').click();
      await page.waitForURL((url) => url.pathname !== '/login');
      await page.goto(`${BASE_URL}/settings/webhooks`);
      await page.getByTestId('webhook-create').click();
      await page.getByTestId('webhook-url').fill(receiverUrl);
      await page.locator('input#description').fill(`E2E 接收器 ${stamp}`);
      await page.getByTestId('webhook-submit').click();
      const secret = await page.getByTestId('webhook-secret').innerText();
      assert.match(secret.trim(), /^whsec_/);
      await page.getByTestId('webhook-secret-done').click();
      await page.getByTestId('webhook-url-title').filter({ hasText: receiverUrl }).waitFor();
      assert.equal(await page.getByTestId('webhook-secret').count(), 0);
    }),
  );

  test('a test event is delivered and shows in the log', { timeout: 90_000 }, () =>
    step('02-test-event', async () => {
      await page.getByTestId('webhook-send-test').click();
      // the log polls while a delivery is pending; the worker sends it within seconds
      await page.getByTestId('delivery-status-delivered').first().waitFor({ timeout: 45_000 });
      const test = received.find((r) => r.body.includes('"webhook.test"'));
      assert.ok(test, `receiver got ${received.length} requests`);
      assert.match(String(test.headers['webhook-id']), /^msg_/);
      assert.match(String(test.headers['webhook-signature']), /^v1,/);
      assert.ok(Number(test.headers['webhook-timestamp']) > 0);
      await page.getByTestId('delivery-status-delivered').first().click();
      await page.getByTestId('delivery-detail').getByText('{"received":true}').first().waitFor();
      // the endpoint's own counters follow the log (they once stayed at "never")
      await page.getByText('最近成功').locator('xpath=..').getByText('从未').waitFor({ state: 'detached' });
    }),
  );

  test('a refused URL is explained in the user\'s language', { timeout: 60_000 }, () =>
    step('03-url-refused-zh', async () => {
      await page.getByRole('button', { name: /编辑/ }).click();
      await page.getByTestId('webhook-url').fill('http://[::1');
      await page.getByTestId('webhook-submit').click();
      await page.getByText('请输入 http:// 或 https:// 开头的 URL。').waitFor();
      await page.getByRole('button', { name: /取\s*消/ }).click();
      await page.getByTestId('webhook-url-title').filter({ hasText: receiverUrl }).waitFor();
    }),
  );

  test('in English: the same screens, a rotated secret shown once with a copy button', { timeout: 60_000 }, () =>
    step('04-rotate-en', async () => {
      await page.getByTestId('language-switcher').click();
      await page.getByTestId('language-en').click();
      try {
        await page.getByTestId('webhook-send-test').getByText('Send test event').waitFor();
        await page.getByText('Delivery log', { exact: true }).waitFor();
        await page.getByRole('button', { name: 'Edit' }).click();
        await page.getByTestId('webhook-url').fill('http://[::1');
        await page.getByTestId('webhook-submit').click();
        await page.getByText('Enter an http:// or https:// URL.').waitFor();
        await page.getByRole('button', { name: 'Cancel' }).click();
        await page.getByRole('button', { name: 'Rotate secret' }).click();
        await page.locator('.ant-modal-footer').getByRole('button', { name: 'Rotate secret' }).click();
        await page.getByText('Your new signing secret').waitFor();
        const secret = await page.getByTestId('webhook-secret').innerText();
        assert.match(secret.trim(), /^whsec_/);
        assert.equal(await page.getByTestId('webhook-secret').getByRole('button', { name: 'Copy secret' }).count(), 1);
        if (KEEP_SCREENSHOTS) await shot(join(ARTIFACTS, 'webhooks-04-secret-en.png'));
        await page.getByTestId('webhook-secret-done').click();
        assert.equal(await page.getByTestId('webhook-secret').count(), 0);
      } finally {
        await page.getByTestId('language-switcher').click();
        await page.getByTestId('language-zh-CN').click();
      }
    }),
  );
}
