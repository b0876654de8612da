// Fails when src/api/schema.gen.ts is not what `npm run gen:api` makes from ../openapi/openapi.json.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const spec = resolve(root, '../openapi/openapi.json');
const committed = resolve(root, 'src/api/schema.gen.ts');
const require = createRequire(join(root, 'package.json'));
const cli = join(dirname(require.resolve('openapi-typescript/package.json')), 'bin/cli.js');

const dir = mkdtempSync(join(tmpdir(), 'rapport-api-'));
const fresh = join(dir, 'schema.gen.ts');
try {
  const run = spawnSync(process.execPath, [cli, spec, '-o', fresh], { cwd: root, encoding: 'utf8' });
  if (run.status !== 0) {
    console.error(run.stdout, run.stderr);
    console.error('check:api: openapi-typescript failed on ../openapi/openapi.json');
    process.exit(1);
  }
  let current = null;
  try {
    current = readFileSync(committed, 'utf8');
  } catch {
    // reported below
  }
  if (current !== readFileSync(fresh, 'utf8')) {
    console.error(
      'check:api: src/api/schema.gen.ts is out of date with ../openapi/openapi.json.\n' +
        'Run `npm run gen:api` in frontend/ and commit the result.',
    );
    process.exit(1);
  }
  console.log('check:api: src/api/schema.gen.ts matches ../openapi/openapi.json');
} finally {
  rmSync(dir, { recursive: true, force: true });
}
