import type { Transaction } from '../contracts/store.js';
import { rangeChunks, type Ipv4Range } from '../net/ipv4.js';

/** Addresses added to a claim pool per call, so even a /16 goes in bounded batches. */
export const ADDRESS_BATCH = 4096;

/** Adds every address of `range` to `pool` as free items, in batches of {@link ADDRESS_BATCH}. */
export async function materialiseAddresses(tx: Transaction, pool: string, range: Ipv4Range): Promise<number> {
  let added = 0;
  for (const chunk of rangeChunks(range, ADDRESS_BATCH)) added += await tx.pools.add(pool, chunk);
  return added;
}
