// What every browser suite shares: its environment, the system Chromium's flags, the
// playwright-core loader, and the rule that CI fails (never skips) when it cannot run.
//
//   RAPPORT_E2E_BASE_URL   server to test, default http://127.0.0.1:8000
//   RAPPORT_E2E_EMAIL      an existing owner/admin login
//   RAPPORT_E2E_PASSWORD   its password
//   CHROMIUM_PATH          browser binary, default /usr/bin/chromium
//   RAPPORT_E2E_SCREENSHOTS=1  also keep a screenshot of every step

import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

export const BASE_URL = (process.env.RAPPORT_E2E_BASE_URL || 'http://127.0.0.1:8000').replace(/\/+$/, '');
export const EMAIL = process.env.RAPPORT_E2E_EMAIL || '';
export const PASSWORD = process.env.RAPPORT_E2E_PASSWORD || '';
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
export const KEEP_SCREENSHOTS = Boolean(process.env.RAPPORT_E2E_SCREENSHOTS);
export const ARTIFACTS = fileURLToPath(new URL('./artifacts/', import.meta.url));
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export function loadPlaywright() {
  const require = createRequire(new URL('../../frontend/package.json', import.meta.url));
  try {
    return require('playwright-core');
  } catch (error) {
    throw new Error(`playwright-core is not installed: run \`npm ci\` in frontend/ first (${error.message})`);
  }
}

function prerequisiteProblem() {
  if (!existsSync(CHROMIUM_PATH)) {
    return `Chromium not found at ${CHROMIUM_PATH} (set CHROMIUM_PATH, or install the distribution's chromium package)`;
  }
  if (!EMAIL || !PASSWORD) return 'RAPPORT_E2E_EMAIL and RAPPORT_E2E_PASSWORD must name an existing login';
  return null;
}

/** Define the suite when it can run; in CI a missing prerequisite is a failure, not a skip. */
export function suite(name, defineSuite) {
  const problem = prerequisiteProblem();
  if (problem && process.env.CI) {
    test(`${name} prerequisites`, () => {
      assert.fail(`E2E cannot run in CI: ${problem}`);
    });
  } else if (problem) {
    console.warn(`\n[e2e] SKIPPED: ${problem}\n`);
    test(name, { skip: `skipped: ${problem}` }, () => {});
  } else {
    defineSuite();
  }
}
