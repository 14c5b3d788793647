import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { index: 'src/index.ts', 'testing/index': 'src/testing/index.ts' },
  format: ['esm', 'cjs'],
  dts: { compilerOptions: { composite: false } },
  sourcemap: true,
  clean: true,
  // Shared chunks in both formats, so index and testing share one CloudError class under require() too.
  splitting: true,
  target: 'node20',
  external: ['vitest'],
});
