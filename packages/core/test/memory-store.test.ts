import { describe, expect, it } from 'vitest';
import { MemoryStore } from '../src/index.js';
import { describeStore } from '../src/testing/index.js';

describeStore('memory store', async () => ({ store: new MemoryStore() }));

describe('memory store specifics', () => {
  it('serialises transactions: a second transaction starts only after the first finished', async () => {
    const store = new MemoryStore();
    const order: string[] = [];
    await Promise.all([
      store.transaction(async () => {
        order.push('a:start');
        await new Promise((resolve) => setTimeout(resolve, 10));
        order.push('a:end');
      }),
      store.transaction(async () => {
        order.push('b:start');
        order.push('b:end');
      }),
    ]);
    expect(order).toEqual(['a:start', 'a:end', 'b:start', 'b:end']);
  });

  it('shows its whole content as one raw string for leak checks', async () => {
    const store = new MemoryStore();
    await store.transaction(async (tx) => {
      await tx.pools.add('p', ['x']);
      await tx.counters.set('c', 4);
    });
    const raw = JSON.parse(store.rawContent()) as { pools: unknown; counters: unknown; tables: Record<string, unknown[]> };
    expect(raw.pools).toEqual({ p: { x: null } });
    expect(raw.counters).toEqual({ c: 4 });
    expect(Object.keys(raw.tables)).toContain('events');
  });

  it('starts a fresh transaction for work that outlives the transaction it was started in', async () => {
    const store = new MemoryStore();
    let later!: Promise<number>;
    await store.transaction(async () => {
      later = new Promise((resolve) => setTimeout(resolve, 5)).then(() =>
        store.transaction(async (tx) => {
          await tx.counters.adjust('late', 1);
          return tx.counters.get('late');
        }),
      );
    });
    expect(await later).toBe(1);
  });
});
