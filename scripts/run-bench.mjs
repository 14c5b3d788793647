#!/usr/bin/env node
// Runs every benchmark script (`packages/*/bench/*.bench.ts`, `examples/*/bench/*.bench.ts`)
// one after another with tsx, so each prints its own `BENCH <name> <value> <unit>` lines.
// Benchmarks are plain scripts, never vitest tests: timings are printed, never asserted.
import { spawnSync } from 'node:child_process';
import { readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const only = process.argv.slice(2);
const scripts = [];
for (const group of ['packages', 'examples']) {
  for (const pkg of readdirSync(join(root, group))) {
    const dir = join(root, group, pkg, 'bench');
    if (!existsSync(dir)) continue;
    for (const file of readdirSync(dir).sort()) {
      if (!file.endsWith('.bench.ts')) continue;
      const path = join(dir, file);
      if (only.length === 0 || only.some((o) => path.includes(o))) scripts.push({ pkg: join(group, pkg), path });
    }
  }
}
let failed = 0;
for (const { pkg, path } of scripts) {
  console.log(`# ${path.slice(root.length)}`);
  // Each package's tsconfig turns on legacy decorators, which tsyringe needs.
  const tsconfig = join(root, pkg, 'tsconfig.json');
  const result = spawnSync(process.execPath, ['--import', 'tsx', path], {
    stdio: 'inherit',
    env: { ...process.env, TSX_TSCONFIG_PATH: tsconfig },
    cwd: root,
  });
  if (result.status !== 0) failed += 1;
}
if (scripts.length === 0) console.log('no benchmarks found');
process.exit(failed === 0 ? 0 : 1);
