// MySQL-store primitives on a real MariaDB: pool claims per second with one store instance and
// with four (each with its own connection pool, as four management servers would have), and
// bounded counter adjustments. Each claim is a transaction of its own. Prints
// `BENCH <name> <value> <unit>` lines. Needs MariaDB (CLOUD_TEST_MYSQL_URL, or root@127.0.0.1:3306)
// and a built core (`pnpm build`).
import { MysqlStore } from '../src/index.js';
import { createTestDatabase, mariadbReachable } from '../test/support/mariadb.js';

const POOL_SIZE = 20_000;
const CLAIMS_PER_RUN = 2_000;
const WORKERS_PER_STORE = 4;

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

if (!(await mariadbReachable())) {
  console.error('mysql-store bench: no MariaDB reachable (set CLOUD_TEST_MYSQL_URL or start it on 127.0.0.1:3306)');
  process.exit(1);
}
const db = await createTestDatabase();
const stores = Array.from({ length: 4 }, () => new MysqlStore({ url: db.url, connectionLimit: WORKERS_PER_STORE }));
try {
  await Promise.all(stores.map((store) => store.init()));
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
} finally {
  await Promise.all(stores.map((store) => store.close()));
  await db.drop();
}
