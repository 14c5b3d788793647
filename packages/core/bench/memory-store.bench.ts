// Memory-store primitives: claims from a /16-sized pool when empty and when nearly full, and
// bounded counter adjustments. Prints `BENCH <name> <value> <unit>` lines.
import { MemoryStore } from '../src/index.js';

const POOL_SIZE = 65_534;
const SAMPLE = 5_000;

function address(i: number): string {
  return `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
}

async function claimsPerSecond(store: MemoryStore, pool: string, count: number): Promise<number> {
  const started = performance.now();
  for (let i = 0; i < count; i += 1) await store.transaction((tx) => tx.pools.claim(pool, `h${i}`));
  return count / ((performance.now() - started) / 1000);
}

const store = new MemoryStore();
await store.transaction((tx) => tx.pools.add('bench', Array.from({ length: POOL_SIZE }, (_, i) => address(i + 1))));
const empty = await claimsPerSecond(store, 'bench', SAMPLE);
await store.transaction(async (tx) => {
  for (let i = 0; i < POOL_SIZE - 2 * SAMPLE; i += 1) await tx.pools.claim('bench', 'filler');
});
const nearlyFull = await claimsPerSecond(store, 'bench', SAMPLE);
console.log(`BENCH memory_store.claim_empty_pool ${empty.toFixed(0)} claims/s`);
console.log(`BENCH memory_store.claim_nearly_full_pool ${nearlyFull.toFixed(0)} claims/s`);
console.log(`BENCH memory_store.claim_full_to_empty_ratio ${(nearlyFull / empty).toFixed(2)} ratio`);

const started = performance.now();
for (let i = 0; i < SAMPLE; i += 1) await store.transaction((tx) => tx.counters.adjust('limit', 1, { max: SAMPLE }));
console.log(`BENCH memory_store.bounded_counter_adjust ${(SAMPLE / ((performance.now() - started) / 1000)).toFixed(0)} adjustments/s`);
