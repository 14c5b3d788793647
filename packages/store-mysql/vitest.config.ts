import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const path = (relative: string) => fileURLToPath(new URL(relative, import.meta.url));

/**
 * The MySQL store's own tier: its tests against a real MariaDB, with core read from source (as
 * the root workspace does). Run from the repository root with
 * `npx vitest run --config packages/store-mysql/vitest.config.ts`.
 */
export default defineConfig({
  resolve: {
    alias: [
      { find: /^@cloudstack-sdk\/core\/testing$/, replacement: path('../core/src/testing/index.ts') },
      { find: /^@cloudstack-sdk\/core$/, replacement: path('../core/src/index.ts') },
      // The multi-process tests set a cloud up on the simulator, as their worker processes do.
      { find: /^@cloudstack-sdk\/driver-simulator$/, replacement: path('../driver-simulator/src/index.ts') },
    ],
  },
  test: {
    name: 'mysql',
    root: path('.'),
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
