// `node --test tests/e2e/` only picks up files named like tests (*.test.mjs ...); this one
// pulls in the browser suite so that the directory form runs it.
import './smoke.e2e.mjs';
