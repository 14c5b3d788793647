#!/usr/bin/env node
// Runs every test tier (a vitest project each) and prints one closing line per tier:
//   <tier>: N passed, N failed, N skipped
// then a total line. A tier whose real component is missing skips its tests; under CI=true any
// skipped test fails the run, so CI cannot go green with a tier silently not run.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const ci = process.env.CI === 'true' || process.env.CI === '1';
const tiers = JSON.parse(
  spawnSync(process.execPath, [join(root, 'scripts/list-tiers.mjs')], { cwd: root, encoding: 'utf8' }).stdout || '[]',
);
const requested = process.argv.slice(2);
const selected = requested.length === 0 ? tiers : tiers.filter((t) => requested.includes(t));
if (selected.length === 0) {
  console.error(`no test tiers to run (known: ${tiers.join(', ')})`);
  process.exit(1);
}

/**
 * Tiers whose tests all need one real component. When it does not answer, the tier is reported
 * as skipped (a failure under CI=true) instead of failing test by test. Tiers whose own files
 * check their component (mysql, libvirt) skip per test instead.
 */
const PREREQUISITES = {
  'core-on-mysql': { host: '127.0.0.1', port: 3306, what: 'MariaDB' },
};

function answers(host, port) {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(2000, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

const outDir = join(root, '.test-results');
rmSync(outDir, { recursive: true, force: true });
mkdirSync(outDir, { recursive: true });

const summaries = [];
let exitCode = 0;
for (const tier of selected) {
  const report = join(outDir, `${tier}.json`);
  console.log(`\n=== tier ${tier} ===`);
  const needs = PREREQUISITES[tier];
  if (needs !== undefined && !(await answers(needs.host, needs.port))) {
    const verdict = `${ci ? 'FAILED' : 'skipped'} (${needs.what} does not answer on ${needs.host}:${needs.port})`;
    console.log(`# ${tier}: ${verdict}`);
    if (ci) exitCode = 1;
    summaries.push({ tier, passed: 0, failed: 0, skipped: 1, verdict });
    continue;
  }
  const run = spawnSync(
    process.execPath,
    [join(root, 'node_modules/vitest/vitest.mjs'), 'run', '--project', tier, '--reporter=default', '--reporter=json', `--outputFile.json=${report}`],
    { cwd: root, stdio: 'inherit', env: process.env },
  );
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  try {
    const result = JSON.parse(readFileSync(report, 'utf8'));
    passed = result.numPassedTests;
    failed = result.numFailedTests + (result.numRuntimeErrorTestSuites ?? 0);
    skipped = result.numPendingTests + result.numTodoTests;
    // A test file that failed to load has no tests but must count as a failure.
    failed += result.testResults.filter((file) => file.status === 'failed' && file.assertionResults.length === 0).length;
  } catch {
    failed += 1;
  }
  if (run.status !== 0 && failed === 0) failed = 1;
  const total = passed + failed + skipped;
  let verdict = 'ok';
  if (failed > 0) verdict = 'FAILED';
  else if (total === 0) verdict = 'FAILED (ran no test)';
  else if (skipped > 0 && ci) verdict = `FAILED (${skipped} tests skipped under CI=true)`;
  else if (skipped > 0) verdict = 'ok, but some tests were skipped (their component is not running here)';
  if (verdict.startsWith('FAILED')) exitCode = 1;
  summaries.push({ tier, passed, failed, skipped, verdict });
}

console.log('\n=== test tiers ===');
for (const s of summaries) console.log(`# ${s.tier}: ${s.verdict}`);
for (const s of summaries) console.log(`${s.tier}: ${s.passed} passed, ${s.failed} failed, ${s.skipped} skipped`);
const sum = (key) => summaries.reduce((acc, s) => acc + s[key], 0);
console.log(`total: ${sum('passed')} passed, ${sum('failed')} failed, ${sum('skipped')} skipped`);
process.exit(exitCode);
