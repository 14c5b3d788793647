#!/usr/bin/env node
// Writes docs/api-coverage.md, the table of the 356 CloudStack 4.1 commands and which of them
// this package implements, from the command declarations themselves.
//
//   node --import tsx packages/api/scripts/api-coverage.mjs          write the table
//   node --import tsx packages/api/scripts/api-coverage.mjs --check  exit 1 when it is out of date
//
// Needs tsx (a root dev dependency) to load the TypeScript sources, and a built core
// (`pnpm build`), which the sources import. The test `test/api-coverage.test.ts` makes the same
// check inside vitest.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderCoverageTable } from '../src/coverage/coverage-table.ts';

const target = join(dirname(fileURLToPath(import.meta.url)), '..', 'docs', 'api-coverage.md');
const table = renderCoverageTable();
if (process.argv.includes('--check')) {
  let current = '';
  try {
    current = readFileSync(target, 'utf8');
  } catch {
    current = '';
  }
  if (current !== table) {
    console.error(`${target} is out of date: run node --import tsx packages/api/scripts/api-coverage.mjs`);
    process.exit(1);
  }
  console.log(`${target} is up to date`);
} else {
  writeFileSync(target, table);
  console.log(`wrote ${target}`);
}
