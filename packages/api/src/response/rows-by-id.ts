import type { AggregateName, Aggregates, Filter, Transaction } from '@cloudstack-sdk/core';

/**
 * The rows of one aggregate that a page of reply objects references, read in `tx` with one
 * query (`id in (…)`), none when no id is given. A list reply reads the names it shows beside
 * ids this way — one query per referenced aggregate per page — instead of one lookup per row.
 * Ids that name no row are simply absent from the map.
 */
export async function rowsById<K extends AggregateName>(tx: Transaction, name: K, ids: Iterable<string | undefined>): Promise<Map<string, Aggregates[K]>> {
  const wanted = new Set<string>();
  for (const id of ids) if (id !== undefined) wanted.add(id);
  if (wanted.size === 0) return new Map();
  // Every aggregate has a string `id`; TypeScript cannot see that through the generic `K`.
  const where = { id: { in: [...wanted] } } as unknown as Filter<Aggregates[K]>;
  const page = await tx.repo(name).find({ where });
  return new Map(page.items.map((row) => [row.id, row]));
}
