// Browser end-to-end test of the manager's home dashboard on the demo workspace: 王芳, the
// manager of 华东销售部, signs in and sees her team's targets, leaderboard, funnel, forecast
// and receivables aging drawn as charts — first in English, then switched to zh-CN, then on
// a phone-width screen (390 px). Each time every chart is checked two ways: its SVG holds
// drawn series shapes (filled paths, not just axes), and a screenshot of the page has
// coloured pixels inside the chart's box (series are coloured, axes and text are grey).
// The screenshots stay in tests/e2e/artifacts/ (dashboard-*.png) for people to look at.
//
// The demo workspace is loaded into the server's database by tests/e2e/test_browser.py
// (`rapport demo`); sign-in as RAPPORT_E2E_DEMO_MANAGER / RAPPORT_E2E_DEMO_PASSWORD
// (default: the demo's wang.fang and its password). Otherwise the same environment as
// smoke.e2e.mjs (RAPPORT_E2E_BASE_URL, CHROMIUM_PATH, RAPPORT_E2E_SCREENSHOTS=1).
// The dashboard shows the current month, which on its first days holds little of the demo's
// data; so, through the API as the manager, three deals of her team's customers are created
// today, two of them won and one moved on a stage: the month then has won amounts (targets,
// leaderboard, forecast) and a cohort (funnel) whatever the day.

import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { inflateSync } from 'node:zlib';
import { ARTIFACTS, BASE_URL, CHROMIUM_ARGS, CHROMIUM_PATH, loadPlaywright, suite } from './support.mjs';

const MANAGER = process.env.RAPPORT_E2E_DEMO_MANAGER || 'wang.fang@demo.rapport.local';
const PASSWORD = process.env.RAPPORT_E2E_DEMO_PASSWORD || 'rapport-demo';

/** The manager's widgets, and the chart each must draw with at least `shapes` filled shapes. */
const CHARTS = [
  { widget: 'widget-team-targets', chart: 'chart-team-targets', shapes: 2 },
  { widget: 'widget-leaderboard', chart: 'chart-leaderboard', shapes: 2 },
  { widget: 'widget-funnel', chart: 'chart-funnel', shapes: 3 },
  { widget: 'widget-forecast', chart: 'chart-forecast', shapes: 4 },
  { widget: 'widget-aging', chart: 'chart-aging', shapes: 1 },
];
/** A chart "has data" in the screenshot when this share of its box is coloured. */
const MIN_COLOURED_SHARE = 0.004;

suite('manager dashboard end-to-end', defineSuite);

// ---- a minimal PNG reader (8-bit RGB/RGBA, not interlaced: what Chromium writes) ----

/** PNG bytes → { width, height, channels, pixels } with the scanline filters undone. */
export function decodePng(buffer) {
  assert.equal(buffer.readUInt32BE(0), 0x89504e47, 'not a PNG');
  let offset = 8;
  let width = 0;
  let height = 0;
  let channels = 0;
  const data = [];
  while (offset < buffer.length) {
    const length = buffer.readUInt32BE(offset);
    const type = buffer.toString('ascii', offset + 4, offset + 8);
    const body = buffer.subarray(offset + 8, offset + 8 + length);
    if (type === 'IHDR') {
      width = body.readUInt32BE(0);
      height = body.readUInt32BE(4);
      const [depth, colour, , , interlace] = body.subarray(8, 13);
      assert.equal(depth, 8, 'only 8-bit PNGs');
      assert.equal(interlace, 0, 'only non-interlaced PNGs');
      channels = { 2: 3, 6: 4 }[colour];
      assert.ok(channels, `unsupported PNG colour type ${colour}`);
    } else if (type === 'IDAT') {
      data.push(body);
    } else if (type === 'IEND') {
      break;
    }
    offset += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(data));
  const stride = width * channels;
  const pixels = Buffer.alloc(stride * height);
  for (let y = 0; y < height; y += 1) {
    const filter = raw[y * (stride + 1)];
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    const out = pixels.subarray(y * stride, (y + 1) * stride);
    const up = y > 0 ? pixels.subarray((y - 1) * stride, y * stride) : null;
    for (let x = 0; x < stride; x += 1) {
      const a = x >= channels ? out[x - channels] : 0;
      const b = up ? up[x] : 0;
      const c = up && x >= channels ? up[x - channels] : 0;
      let value = line[x];
      if (filter === 1) value += a;
      else if (filter === 2) value += b;
      else if (filter === 3) value += (a + b) >> 1;
      else if (filter === 4) {
        const p = a + b - c;
        const pa = Math.abs(p - a);
        const pb = Math.abs(p - b);
        const pc = Math.abs(p - c);
        value += pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      }
      out[x] = value & 0xff;
    }
  }
  return { width, height, channels, pixels };
}

/** Pixels inside `box` (page coordinates) that are coloured, and that are not white. */
export function inkIn(image, box) {
  const x0 = Math.max(0, Math.floor(box.x));
  const y0 = Math.max(0, Math.floor(box.y));
  const x1 = Math.min(image.width, Math.ceil(box.x + box.width));
  const y1 = Math.min(image.height, Math.ceil(box.y + box.height));
  let coloured = 0;
  let ink = 0;
  for (let y = y0; y < y1; y += 1) {
    for (let x = x0; x < x1; x += 1) {
      const i = (y * image.width + x) * image.channels;
      const r = image.pixels[i];
      const g = image.pixels[i + 1];
      const b = image.pixels[i + 2];
      if (Math.max(r, g, b) - Math.min(r, g, b) > 40) coloured += 1;
      if (r < 245 || g < 245 || b < 245) ink += 1;
    }
  }
  return { coloured, ink, area: Math.max(1, (x1 - x0) * (y1 - y0)) };
}

function defineSuite() {
  let browser;
  let context;
  let page;

  before(async () => {
    const { chromium } = loadPlaywright();
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
  });

  after(async () => {
    await browser?.close();
  });

  async function signIn(viewport) {
    await context?.close();
    context = await browser.newContext({ viewport, deviceScaleFactor: 1, locale: 'zh-CN' });
    context.setDefaultTimeout(20_000);
    page = await context.newPage();
    await page.goto(`${BASE_URL}/login`);
    await page.locator('input#email').fill(MANAGER);
    await page.locator('input#password').fill(PASSWORD);
    await page.locator('button[type="submit"]').click();
    await page.waitForURL((url) => url.pathname !== '/login');
    await page.getByTestId('dashboard').waitFor();
  }

  /** An API call with the page's session (cookies, and the CSRF header for writes). */
  async function api(method, path, data) {
    const cookies = await context.cookies();
    const csrf = cookies.find((c) => c.name === 'rapport_csrf')?.value ?? '';
    const response = await page.request.fetch(`${BASE_URL}/api/v1${path}`, {
      method,
      data,
      headers: { 'X-CSRF-Token': decodeURIComponent(csrf) },
    });
    const body = await response.json().catch(() => null);
    assert.ok(response.ok(), `${method} ${path}: ${response.status()} ${JSON.stringify(body)}`);
    return body;
  }

  /** Three deals of this month for customers of three people of the team: two won, one moved. */
  async function dealsOfToday() {
    const stamp = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;
    const customers = (await api('GET', '/customers?limit=100')).data;
    const byOwner = new Map();
    for (const customer of customers) {
      if (customer.owner_id && !byOwner.has(customer.owner_id)) byOwner.set(customer.owner_id, customer);
    }
    const picked = [...byOwner.values()].slice(0, 3);
    assert.ok(picked.length >= 2, `the manager sees customers of ${picked.length} owners`);
    const pipelines = (await api('GET', '/pipelines?limit=50')).data;
    const pipeline = pipelines.find((p) => p.is_default) ?? pipelines[0];
    const open = pipeline.stages.filter((s) => s.kind === 'open').sort((a, b) => a.position - b.position);
    const close = new Date(Date.now() + 15 * 86_400_000).toISOString().slice(0, 10);
    const amounts = ['128000.00', '86000.00', '45000.00'];
    for (const [i, customer] of picked.entries()) {
      const deal = await api('POST', '/opportunities', {
        customer_id: customer.id,
        name: `E2E 看板商机 ${stamp}-${i}`,
        amount: amounts[i],
        currency: 'CNY',
        owner_id: customer.owner_id,
        pipeline_id: pipeline.id,
        stage_id: open[0].id,
        expected_close_date: close,
      });
      if (i < 2) await api('POST', `/opportunities/${deal.id}/win`, {});
      else await api('POST', `/opportunities/${deal.id}/move`, { stage_id: open[1].id });
    }
  }

  async function switchLanguage(lng) {
    await page.getByTestId('language-switcher').click();
    await page.getByTestId(`language-${lng}`).click();
    await page.waitForFunction((want) => document.documentElement.lang === want, lng);
  }

  /** Every manager widget has finished loading with data (not empty, not failed). */
  async function widgetsReady() {
    for (const { widget } of CHARTS) {
      const card = page.getByTestId(widget);
      await card.waitFor();
      await page.waitForFunction(
        (id) => {
          const state = document.querySelector(`[data-testid="${id}"]`)?.getAttribute('data-state');
          return state && state !== 'loading';
        },
        widget,
      );
      assert.equal(await card.getAttribute('data-state'), 'ready', `${widget} shows no data (${await card.innerText()})`);
    }
    // ECharts draws after layout; give the SVGs their series before counting
    await page.waitForFunction(
      (ids) => ids.every((id) => document.querySelector(`[data-testid="${id}"] svg path`)),
      CHARTS.map((c) => c.chart),
    );
    await page.waitForTimeout(600);
  }

  /** Per chart: filled SVG shapes (series, not axis lines) and its box on the page. */
  async function chartFacts() {
    return page.evaluate((ids) => {
      const blank = new Set(['none', 'transparent', '#fff', '#ffffff', 'rgb(255,255,255)', 'white']);
      return ids.map((id) => {
        const element = document.querySelector(`[data-testid="${id}"]`);
        if (!element) return { id, missing: true };
        const shapes = [...element.querySelectorAll('svg path, svg rect, svg circle, svg polygon')];
        const filled = shapes.filter((shape) => {
          const fill = (shape.getAttribute('fill') || '').replace(/\s/g, '').toLowerCase();
          const box = shape.getBBox();
          return fill && !blank.has(fill) && box.width * box.height > 4;
        });
        const rect = element.getBoundingClientRect();
        return {
          id,
          shapes: shapes.length,
          filled: filled.length,
          box: { x: rect.left + window.scrollX, y: rect.top + window.scrollY, width: rect.width, height: rect.height },
          right: rect.right,
        };
      });
    }, CHARTS.map((c) => c.chart));
  }

  /** The SVG and the screenshot both show every chart drawn; writes the screenshot. */
  async function checkCharts(name) {
    const facts = await chartFacts();
    mkdirSync(ARTIFACTS, { recursive: true });
    const file = join(ARTIFACTS, `dashboard-${name}.png`);
    const png = await page.screenshot({ fullPage: true });
    writeFileSync(file, png);
    const image = decodePng(png);
    const report = [];
    for (const [i, { chart, shapes }] of CHARTS.entries()) {
      const fact = facts[i];
      assert.ok(!fact.missing, `${name}: ${chart} is not on the page`);
      assert.ok(fact.filled >= shapes, `${name}: ${chart} draws ${fact.filled} filled shapes (want ≥ ${shapes})`);
      assert.ok(fact.box.width >= 200 && fact.box.height >= 100, `${name}: ${chart} is ${fact.box.width}×${fact.box.height}`);
      const ink = inkIn(image, fact.box);
      const share = ink.coloured / ink.area;
      report.push(`${chart}: ${fact.filled}/${fact.shapes} filled shapes, ${ink.coloured} coloured px (${(share * 100).toFixed(1)} %)`);
      assert.ok(share >= MIN_COLOURED_SHARE, `${name}: ${chart} has ${ink.coloured} coloured pixels of ${ink.area} in the screenshot`);
      assert.ok(ink.ink > ink.coloured, `${name}: ${chart} has no axis or label ink`);
    }
    console.log(`# ${name} (${file})\n# ${report.join('\n# ')}`);
    return facts;
  }

  test('the manager signs in and the team dashboard loads with data (English)', { timeout: 120_000 }, async () => {
    await signIn({ width: 1440, height: 1000 });
    await dealsOfToday();
    await page.reload();
    await switchLanguage('en');
    await page.getByTestId('home-section-team').waitFor();
    await widgetsReady();
    assert.match(await page.getByTestId('widget-funnel').innerText(), /Funnel/);
    assert.match(await page.getByTestId('widget-forecast').innerText(), /Forecast/);
    await checkCharts('en');
  });

  test('switched to zh-CN the charts are redrawn in Chinese and are not empty', { timeout: 120_000 }, async () => {
    await switchLanguage('zh-CN');
    await widgetsReady();
    assert.match(await page.getByTestId('widget-funnel').innerText(), /销售漏斗/);
    assert.match(await page.getByTestId('widget-forecast').innerText(), /销售预测/);
    // the forecast legend is in Chinese inside the SVG too
    assert.match(await page.getByTestId('chart-forecast').locator('svg').innerHTML(), /承诺|已赢单/);
    await checkCharts('zh-CN');
  });

  test('on a 390 px phone screen every chart fits the width and is drawn', { timeout: 120_000 }, async () => {
    await signIn({ width: 390, height: 844 });
    await widgetsReady();
    const facts = await checkCharts('zh-CN-390');
    for (const fact of facts) {
      assert.ok(fact.right <= 390, `${fact.id} overflows the screen (right edge at ${fact.right}px)`);
    }
  });
}
