// MySQL-store primitives on a real MariaDB: pool claims per second with one store instance and
// with four (each with its own connection pool, as four management servers would have), bounded
// counter adjustments, and allocation-shaped transactions under one account's limit counter with
// deferred and with locking counter adjustments. Each claim is a transaction of its own. Prints
// `BENCH <name> <value> <unit>` lines. Needs MariaDB (CLOUD_TEST_MYSQL_URL, or root@127.0.0.1:3306)
// and a built core (`pnpm build`).
import { MysqlStore } from '../src/index.js';
import { createTestDatabase, mariadbReachable } from '../test/support/mariadb.js';

const POOL_SIZE = 20_000;
const CLAIMS_PER_RUN = 2_000;
const WORKERS_PER_STORE = 4;
const LIMITED_PER_RUN = 800;

function address(i: number): string {
  return `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
}

/** Claims `count` items through `stores`, each running WORKERS_PER_STORE transaction loops; returns claims/s and the items won. */
async function claimRun(stores: readonly MysqlStore[], pool: string, count: number): Promise<{ rate: number; items: string[] }> {
  const loops = stores.flatMap((store, s) => Array.from({ length: WORKERS_PER_STORE }, (_, w) => ({ store, holder: `s${s}w${w}` })));
  const perLoop = Math.ceil(count / loops.length);
  const items: string[] = [];
  const started = performance.now();
  await Promise.all(
    loops.map(async ({ store, holder }) => {
      for (let i = 0; i < perLoop; i += 1) {
        const item = await store.transaction((tx) => tx.pools.claim(pool, holder));
        if (item !== undefined) items.push(item);
      }
    }),
  );
  return { rate: (perLoop * loops.length) / ((performance.now() - started) / 1000), items };
}

/**
 * Transactions shaped like an allocation under an account limit: the account's usage counter
 * (one row every transaction adjusts), a pool claim, and some more work (an event row and
 * reads) before the commit, through `loops` transaction loops per store. With deferred
 * counters the hot counter row is locked only at commit; with locking counters from the
 * adjustment on, so the transactions queue one after another.
 */
async function limitedRun(stores: readonly MysqlStore[], pool: string, count: number, run: string): Promise<number> {
  const loops = stores.flatMap((store) => Array.from({ length: WORKERS_PER_STORE }, () => store));
  const perLoop = Math.ceil(count / loops.length);
  const key = `limits:account:${pool}:public_ip`;
  const started = performance.now();
  await Promise.all(
    loops.map(async (store, l) => {
      for (let i = 0; i < perLoop; i += 1) {
        await store.transaction(async (tx) => {
          if (!(await tx.counters.adjust(key, 1, { max: 1_000_000 })).ok) throw new Error('limit reached');
          const item = await tx.pools.claim(pool, `l${l}`);
          const id = `${pool}-${run}-${l}-${i}`;
          await tx.repo('events').insert({ id, type: 'NET.IPASSIGN', level: 'INFO', description: `assigned ${item ?? '-'}`, accountId: 'bench', domainId: 'bench', state: 'Completed', createdAt: new Date().toISOString() } as never);
          for (let r = 0; r < 4; r += 1) await tx.repo('events').get(id);
        });
      }
    }),
  );
  return (perLoop * loops.length) / ((performance.now() - started) / 1000);
}

if (!(await mariadbReachable())) {
  console.error('mysql-store bench: no MariaDB reachable (set CLOUD_TEST_MYSQL_URL or start it on 127.0.0.1:3306)');
  process.exit(1);
}
const db = await createTestDatabase();
const stores = Array.from({ length: 4 }, () => new MysqlStore({ url: db.url, connectionLimit: WORKERS_PER_STORE }));
const lockingStores = Array.from({ length: 4 }, () => new MysqlStore({ url: db.url, connectionLimit: WORKERS_PER_STORE, deferCounters: false }));
try {
  await Promise.all([...stores, ...lockingStores].map((store) => store.init()));
  const [first] = stores as [MysqlStore, ...MysqlStore[]];
  await first.transaction((tx) => tx.pools.add('bench', Array.from({ length: POOL_SIZE }, (_, i) => address(i + 1))));

  const one = await claimRun([first], 'bench', CLAIMS_PER_RUN);
  const four = await claimRun(stores, 'bench', CLAIMS_PER_RUN);
  const won = [...one.items, ...four.items];
  console.log(`BENCH mysql_store.claims_1_store ${one.rate.toFixed(0)} claims/s`);
  console.log(`BENCH mysql_store.claims_4_stores ${four.rate.toFixed(0)} claims/s`);
  console.log(`BENCH mysql_store.items_held_twice ${won.length - new Set(won).size} items`);

  const started = performance.now();
  for (let i = 0; i < CLAIMS_PER_RUN; i += 1) await first.transaction((tx) => tx.counters.adjust('limit', 1, { max: CLAIMS_PER_RUN }));
  console.log(`BENCH mysql_store.bounded_counter_adjust ${(CLAIMS_PER_RUN / ((performance.now() - started) / 1000)).toFixed(0)} adjustments/s`);

  await first.transaction((tx) => tx.pools.add('limited', Array.from({ length: POOL_SIZE }, (_, i) => address(i + 1))));
  // Alternated, so both modes see the same machine load.
  const deferred: number[] = [];
  const locking: number[] = [];
  for (let round = 0; round < 2; round += 1) {
    deferred.push(await limitedRun(stores, 'limited', LIMITED_PER_RUN, `d${round}`));
    locking.push(await limitedRun(lockingStores, 'limited', LIMITED_PER_RUN, `l${round}`));
  }
  const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
  console.log(`BENCH mysql_store.limited_allocations_4_stores ${mean(deferred).toFixed(0)} transactions/s`);
  console.log(`BENCH mysql_store.limited_allocations_4_stores_locking_counters ${mean(locking).toFixed(0)} transactions/s`);
} finally {
  await Promise.all([...stores, ...lockingStores].map((store) => store.close()));
  await db.drop();
}
