import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const src = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/**
 * The driver-kvm tests on their own (`npx vitest run --config packages/driver-kvm/vitest.config.ts`
 * from the repo root). They need libvirtd on 127.0.0.1:16509: `packages/driver-kvm/scripts/start-libvirtd.sh`.
 */
export default defineConfig({
  resolve: {
    alias: [
      { find: /^@cloudstack-sdk\/core\/testing$/, replacement: src('../core/src/testing/index.ts') },
      { find: /^@cloudstack-sdk\/core$/, replacement: src('../core/src/index.ts') },
      // The end-to-end test runs the example server in process, from source like the root config.
      { find: /^@cloudstack-sdk\/driver-simulator$/, replacement: src('../driver-simulator/src/index.ts') },
      { find: /^@cloudstack-sdk\/api$/, replacement: src('../api/src/index.ts') },
      { find: /^@cloudstack-sdk\/store-mysql$/, replacement: src('../store-mysql/src/index.ts') },
      { find: /^@cloudstack-sdk\/driver-kvm$/, replacement: src('./src/index.ts') },
    ],
  },
  test: {
    name: 'libvirt',
    root: src('.'),
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // The real-VM tier and the test-driver files share one libvirtd; run files one after another.
    fileParallelism: false,
  },
});
