import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const src = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/**
 * One vitest workspace. Each project is a test tier that `scripts/run-tests.mjs` runs and
 * reports on its own line; tiers that need a real component (MariaDB, libvirtd, vcsim) report
 * themselves skipped when it is absent, which CI refuses.
 */
export default defineConfig({
  resolve: {
    alias: [
      { find: /^@cloudstack-sdk\/core\/testing$/, replacement: src('./packages/core/src/testing/index.ts') },
      { find: /^@cloudstack-sdk\/core$/, replacement: src('./packages/core/src/index.ts') },
      { find: /^@cloudstack-sdk\/driver-simulator$/, replacement: src('./packages/driver-simulator/src/index.ts') },
      { find: /^@cloudstack-sdk\/api$/, replacement: src('./packages/api/src/index.ts') },
      { find: /^@cloudstack-sdk\/store-mysql$/, replacement: src('./packages/store-mysql/src/index.ts') },
      { find: /^@cloudstack-sdk\/driver-kvm$/, replacement: src('./packages/driver-kvm/src/index.ts') },
    ],
  },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'core',
          include: ['packages/*/src/**/*.test.ts', 'packages/*/test/**/*.test.ts', 'examples/*/test/**/*.test.ts'],
          // Tiers that need a real component run as their own projects below.
          exclude: ['**/node_modules/**', '**/dist/**', 'packages/store-mysql/**', 'packages/driver-kvm/**', '**/*.build.test.ts'],
          testTimeout: 20_000,
        },
      },
      // MariaDB at 127.0.0.1:3306 (each run makes and drops its own database).
      'packages/store-mysql/vitest.config.ts',
      // libvirtd --listen on 127.0.0.1:16509, with QEMU under software emulation.
      'packages/driver-kvm/vitest.config.ts',
      {
        // Every core service suite again, on the MySQL store (issue 9: both stores pass the same suites).
        extends: true,
        test: {
          name: 'core-on-mysql',
          include: ['packages/core/test/**/*.test.ts'],
          exclude: ['packages/core/test/memory-store.test.ts', '**/*.build.test.ts'],
          env: { CLOUD_TEST_STORE_MODULE: src('./packages/store-mysql/test/support/mysql-test-store.ts') },
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'build',
          include: ['packages/*/test/**/*.build.test.ts'],
          testTimeout: 20_000,
        },
      },
    ],
  },
});
