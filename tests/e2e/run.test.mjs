// `node --test tests/e2e/` only picks up files named like tests (*.test.mjs ...); this one
// pulls in the browser suites so that the directory form runs them.
import './smoke.e2e.mjs';
import './customers.e2e.mjs';
import './deal_to_cash.e2e.mjs';
import './leads.e2e.mjs';
import './webhooks.e2e.mjs';
