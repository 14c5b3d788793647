// VM deployments per second on MariaDB with one management server process and with four, each
// process with its own connection pool and simulator on one shared database (the multi-process
// test's worker, `test/support/deploy-worker.ts`). Each process runs 4 deployment loops until
// the cloud refuses (guest addresses run out at 150 VMs); the loops of all processes start
// together, once every process is ready. Besides the rates it prints, per run, what the
// processes' stores saw: transactions, counter races, deadlocks, lock wait timeouts, and time
// waited for a pooled connection. Prints `BENCH <name> <value> <unit>`
// lines; timings are printed, never asserted. Needs MariaDB (CLOUD_TEST_MYSQL_URL, or
// root@127.0.0.1:3306).
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const WORKER_TSCONFIG = fileURLToPath(new URL('../test/support/worker.tsconfig.json', import.meta.url));

// Core and the simulator must come from source with the same aliases as the workers (one copy
// of core in the process): rerun this script under the workers' tsconfig when started otherwise.
if (process.env.TSX_TSCONFIG_PATH !== WORKER_TSCONFIG) {
  const rerun = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url)], { stdio: 'inherit', env: { ...process.env, TSX_TSCONFIG_PATH: WORKER_TSCONFIG } });
  process.exit(rerun.status ?? 1);
}

const { mariadbReachable } = await import('../test/support/mariadb.js');
type MysqlStoreStatistics = import('../src/index.js').MysqlStoreStatistics;
const { callerFor, sharedCloud, startWorker } = await import('../test/support/multi-server-cloud.js');

const LOOPS_PER_PROCESS = 4;
const GUEST_ADDRESSES = 150;

/** Deploys until capacity runs out with `processes` worker processes; returns deployments/s and how many. */
async function run(processes: number, deferCounters?: false): Promise<{ rate: number; deployed: number; refusedOtherwise: number; store: MysqlStoreStatistics }> {
  const cloud = await sharedCloud({ guestAddresses: GUEST_ADDRESSES, publicAddresses: 1, config: { 'max.account.user.vms': 100_000, 'max.account.volumes': 100_000 } });
  try {
    // 100 MHz / 128 MB: the four hosts fit 256, so the guest addresses (150) are what runs out.
    const offering = await cloud.t.cloud.system.serviceOfferings.create({ name: 'tiny', displayText: 'Tiny', cpuNumber: 1, cpuSpeed: 100, memory: 128 });
    const workers = Array.from({ length: processes }, (_, i) =>
      startWorker({ ...cloud.base, serviceOfferingId: offering.id, serverId: `bench-${i + 1}`, mode: 'exhaust', loops: LOOPS_PER_PROCESS, stopAfterRefusals: 2, caller: callerFor(cloud.t, 'alice'), waitForGo: true, ...(deferCounters === undefined ? {} : { deferCounters }) }),
    );
    // Starting a worker (tsx, createCloud) takes seconds of CPU: the loops start together once
    // every worker is ready, or the first would deploy alone while the others still start.
    await Promise.all(workers.map((w) => w.waitFor((r) => r.type === 'ready')));
    for (const worker of workers) worker.go();
    const exits = await Promise.all(workers.map((w) => w.exited));
    if (exits.some((e) => e.code !== 0)) {
      const said = workers.map((w) => [...w.reports.filter((r) => r.type === 'failed').map((r) => JSON.stringify(r)), w.stderr.join('')].join('\n'));
      throw new Error(`a bench worker failed: ${said.join('\n').slice(-3000)}`);
    }
    const done = workers.flatMap((w) => w.reports.filter((r) => r.type === 'done'));
    const refusals = workers.flatMap((w) => w.reports.filter((r) => r.type === 'refused' || r.type === 'failed'));
    const deployed = done.reduce((sum, r) => sum + (r.type === 'done' ? r.deployed : 0), 0);
    const seconds = Math.max(...done.map((r) => (r.type === 'done' ? r.seconds : 0)));
    const store = done.reduce<MysqlStoreStatistics>(
      (sum, r) => {
        if (r.type !== 'done') return sum;
        const add = (key: keyof MysqlStoreStatistics) => sum[key] + r.store[key];
        return { transactions: add('transactions'), statements: add('statements'), counterRaces: add('counterRaces'), reruns: add('reruns'), deadlocks: add('deadlocks'), lockWaitTimeouts: add('lockWaitTimeouts'), gaveUp: add('gaveUp'), connectionWaitMs: add('connectionWaitMs'), backoffMs: add('backoffMs') };
      },
      { transactions: 0, statements: 0, counterRaces: 0, reruns: 0, deadlocks: 0, lockWaitTimeouts: 0, gaveUp: 0, connectionWaitMs: 0, backoffMs: 0 },
    );
    return { rate: deployed / seconds, deployed, refusedOtherwise: refusals.filter((r) => r.type === 'failed' || (r.type === 'refused' && r.code !== 533)).length, store };
  } finally {
    await cloud.close();
  }
}

if (!(await mariadbReachable())) {
  console.error('deployments bench: no MariaDB reachable (set CLOUD_TEST_MYSQL_URL or start it on 127.0.0.1:3306)');
  process.exit(1);
}
const one = await run(1);
const four = await run(4);
// The same four processes with counter adjustments locking where they are made (the store before
// deferred counters): every deployment of the account then queues on its limit counters.
const locking = await run(4, false);
console.log(`BENCH mysql_store.deployments_1_process ${one.rate.toFixed(1)} deployments/s`);
console.log(`BENCH mysql_store.deployments_4_processes ${four.rate.toFixed(1)} deployments/s`);
console.log(`BENCH mysql_store.deployments_4_processes_locking_counters ${locking.rate.toFixed(1)} deployments/s`);
console.log(`BENCH mysql_store.deployments_until_full_4_processes ${four.deployed} vms`);
console.log(`BENCH mysql_store.deployment_refusals_not_533 ${one.refusedOtherwise + four.refusedOtherwise + locking.refusedOtherwise} refusals`);
for (const [label, r] of [['1_process', one], ['4_processes', four], ['4_processes_locking_counters', locking]] as const) {
  // Why a run was slow: transactions rerun after a lost counter race, a deadlock or a lock wait
  // timeout, and time spent waiting for a pooled connection.
  console.log(`BENCH mysql_store.deployment_transactions_${label} ${r.store.transactions} transactions`);
  console.log(`BENCH mysql_store.deployment_counter_races_${label} ${r.store.counterRaces} reruns`);
  console.log(`BENCH mysql_store.deployment_deadlocks_${label} ${r.store.deadlocks} reruns`);
  console.log(`BENCH mysql_store.deployment_lock_wait_timeouts_${label} ${r.store.lockWaitTimeouts} reruns`);
  console.log(`BENCH mysql_store.deployment_connection_wait_${label} ${(r.store.connectionWaitMs / 1000).toFixed(1)} s`);
}
process.exit(0);
