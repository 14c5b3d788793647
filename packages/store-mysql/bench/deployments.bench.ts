// VM deployments per second on MariaDB with one management server process and with four, each
// process with its own connection pool and simulator on one shared database (the multi-process
// test's worker, `test/support/deploy-worker.ts`). Each process runs 4 deployment loops until
// the cloud refuses (guest addresses run out at 150 VMs). Prints `BENCH <name> <value> <unit>`
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
const { callerFor, sharedCloud, startWorker } = await import('../test/support/multi-server-cloud.js');

const LOOPS_PER_PROCESS = 4;
const GUEST_ADDRESSES = 150;

/** Deploys until capacity runs out with `processes` worker processes; returns deployments/s and how many. */
async function run(processes: number): Promise<{ rate: number; deployed: number; refusedOtherwise: number }> {
  const cloud = await sharedCloud({ guestAddresses: GUEST_ADDRESSES, publicAddresses: 1, config: { 'max.account.user.vms': 100_000, 'max.account.volumes': 100_000 } });
  try {
    // 100 MHz / 128 MB: the four hosts fit 256, so the guest addresses (150) are what runs out.
    const offering = await cloud.t.cloud.system.serviceOfferings.create({ name: 'tiny', displayText: 'Tiny', cpuNumber: 1, cpuSpeed: 100, memory: 128 });
    const workers = Array.from({ length: processes }, (_, i) =>
      startWorker({ ...cloud.base, serviceOfferingId: offering.id, serverId: `bench-${i + 1}`, mode: 'exhaust', loops: LOOPS_PER_PROCESS, stopAfterRefusals: 2, caller: callerFor(cloud.t, 'alice') }),
    );
    const exits = await Promise.all(workers.map((w) => w.exited));
    if (exits.some((e) => e.code !== 0)) throw new Error(`a bench worker failed: ${workers.map((w) => w.stderr.join('')).join('\n').slice(-3000)}`);
    const done = workers.flatMap((w) => w.reports.filter((r) => r.type === 'done'));
    const refusals = workers.flatMap((w) => w.reports.filter((r) => r.type === 'refused' || r.type === 'failed'));
    const deployed = done.reduce((sum, r) => sum + (r.type === 'done' ? r.deployed : 0), 0);
    const seconds = Math.max(...done.map((r) => (r.type === 'done' ? r.seconds : 0)));
    return { rate: deployed / seconds, deployed, refusedOtherwise: refusals.filter((r) => r.type === 'failed' || (r.type === 'refused' && r.code !== 533)).length };
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
console.log(`BENCH mysql_store.deployments_1_process ${one.rate.toFixed(1)} deployments/s`);
console.log(`BENCH mysql_store.deployments_4_processes ${four.rate.toFixed(1)} deployments/s`);
console.log(`BENCH mysql_store.deployments_until_full_4_processes ${four.deployed} vms`);
console.log(`BENCH mysql_store.deployment_refusals_not_533 ${one.refusedOtherwise + four.refusedOtherwise} refusals`);
process.exit(0);
