// Counts what a request asks of the store: transactions and repository reads (get, find,
// findOne, count). The figure does not depend on the machine, so it shows batching where
// timings are noisy. Wraps the store instance the cloud's services hold.
import type { AggregateName, Store, Transaction } from '@cloudstack-sdk/core';

/** Transactions and repository reads counted so far. */
export interface StoreReads {
  /** Transactions begun (joined ones included). */
  transactions: number;
  /** Repository `get`/`find`/`findOne`/`count` calls. */
  reads: number;
}

const READS = new Set(['get', 'find', 'findOne', 'count']);

function countingTx(tx: Transaction, counts: StoreReads): Transaction {
  return new Proxy(tx, {
    get(target, property, receiver) {
      if (property !== 'repo') return Reflect.get(target, property, receiver) as unknown;
      return (name: AggregateName) => {
        const repo = target.repo(name);
        return new Proxy(repo, {
          get(r, method, rr) {
            const value = Reflect.get(r, method, rr) as unknown;
            if (typeof method !== 'string' || !READS.has(method) || typeof value !== 'function') return value;
            return (...args: unknown[]) => {
              counts.reads += 1;
              return (value as (...a: unknown[]) => unknown).apply(r, args);
            };
          },
        });
      };
    },
  });
}

/**
 * Makes `store` count its transactions and repository reads into the returned counters (reset
 * them between measurements). The store object is changed in place, so services that hold it
 * are counted too.
 */
export function countStoreReads(store: Store): StoreReads {
  const counts: StoreReads = { transactions: 0, reads: 0 };
  const transaction = store.transaction.bind(store);
  (store as { transaction: Store['transaction'] }).transaction = <R>(fn: (tx: Transaction) => Promise<R>): Promise<R> => {
    counts.transactions += 1;
    return transaction((tx) => fn(countingTx(tx, counts)));
  };
  return counts;
}
