import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const dist = fileURLToPath(new URL('../dist/', import.meta.url));

/** Runs a snippet in a plain node process (no vite, no aliases) and returns what it printed. */
function runNode(args: string[], source: string): string {
  return execFileSync(process.execPath, [...args, '-e', source], { cwd: dist, encoding: 'utf8' }).trim();
}

const exercise = `
  const cloud = await core.createCloud();
  const entry = await cloud.system.config.update({ name: 'default.page.size', value: 100 });
  const error = await cloud.as({ userId: 'u', accountId: 'a', domainId: 'd', role: 'User' })
    .config.update({ name: 'ha.tag', value: 'x' }).catch((e) => e);
  console.log(JSON.stringify({
    value: entry.value,
    code: error.code,
    sameClass: error instanceof core.CloudError,
  }));
  await cloud.close();
`;

describe('built output of @cloudstack-sdk/core', () => {
  it('exists (pnpm build ran)', () => {
    for (const file of ['index.js', 'index.cjs', 'index.d.ts', 'index.d.cts', 'testing/index.js', 'testing/index.cjs']) {
      expect(existsSync(`${dist}${file}`), file).toBe(true);
    }
  });

  it('imports as ESM in plain node, with working dependency injection', () => {
    const out = runNode(
      ['--input-type=module'],
      `const core = await import('./index.js');${exercise}`,
    );
    expect(JSON.parse(out)).toEqual({ value: '100', code: 531, sameClass: true });
  });

  it('requires as CommonJS in plain node, with working dependency injection', () => {
    const out = runNode(
      [],
      `(async () => { const core = require('./index.cjs');${exercise} })().catch((e) => { console.error(e); process.exit(1); });`,
    );
    expect(JSON.parse(out)).toEqual({ value: '100', code: 531, sameClass: true });
  });

  it('shares the error class between the main and the testing entry in both formats', () => {
    // The testing entry imports vitest, which only loads inside a test run: check the chunk graph instead.
    const esm = runNode(['--input-type=module'], `import { readFileSync } from 'node:fs'; console.log(readFileSync('./testing/index.js', 'utf8').includes('class CloudError'))`);
    const cjs = runNode([], `console.log(require('node:fs').readFileSync('./testing/index.cjs', 'utf8').includes('class CloudError'))`);
    expect({ esm, cjs }).toEqual({ esm: 'false', cjs: 'false' });
  });
});
