// listVirtualMachines of 500 Running VMs (pagesize 500, listall) through CloudStackApi.handle()
// in process, so the figure is the API's own work: signature, core's list, the names beside ids,
// serialisation. Three clouds: every VM the root admin's from one template and offering; the VMs
// spread over 100 tenant accounts in 10 domains, 5 templates and 5 offerings (where names looked
// up per row cost most); and that spread on MariaDB, where each transaction is a round trip
// (measured when one is reachable: CLOUD_TEST_MYSQL_URL or root@127.0.0.1:3306).
// Figures per case: the median request time of 60 after 20 warm-ups; the process CPU time per
// request (less sensitive to other work on a shared machine); and the store transactions and
// repository reads of one request, which do not depend on the machine at all.
// Prints `BENCH <name> <value> <unit>` lines; timings are printed, never asserted.
import { createHmac } from 'node:crypto';
import { CloudStackApi } from '../src/index.js';
import { countStoreReads } from '../test/support/store-reads.js';
import { vmBenchCloud, type VmBenchSpread } from './vm-bench-cloud.js';

const VMS = 500;
const WARMUP = 20;
const REQUESTS = 60;

function signedQuery(params: Record<string, string>, apiKey: string, secret: string): string {
  const all = Object.entries({ ...params, apiKey }).sort((a, b) => (a[0] < b[0] ? -1 : 1));
  const text = all.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&').toLowerCase();
  const signature = createHmac('sha1', secret).update(text).digest('base64');
  return [...all, ['signature', signature]].map(([k, v]) => `${k}=${encodeURIComponent(v as string)}`).join('&');
}

async function measure(name: string, spread: VmBenchSpread): Promise<void> {
  const bench = await vmBenchCloud(VMS, spread);
  const counts = countStoreReads(bench.cloud.store);
  const api = new CloudStackApi({ cloud: bench.cloud, authenticator: bench.authenticator });
  const query = signedQuery({ command: 'listVirtualMachines', response: 'json', listall: 'true', page: '1', pagesize: String(VMS) }, bench.apiKey, bench.secretKey);
  const ask = () => api.handle({ method: 'GET', path: '/client/api', query, headers: {} });
  const first = await ask();
  const reply = (JSON.parse(first.body) as { listvirtualmachinesresponse: { count: number; virtualmachine: { account?: string; templatename?: string }[] } }).listvirtualmachinesresponse;
  if (first.status !== 200 || reply.count !== VMS || reply.virtualmachine.length !== VMS) throw new Error(`${name}: expected ${VMS} VMs, got HTTP ${first.status} ${first.body.slice(0, 200)}`);
  if (!reply.virtualmachine.every((vm) => vm.account !== undefined && vm.templatename !== undefined)) throw new Error(`${name}: every VM should carry its account and template names`);
  for (let i = 0; i < WARMUP; i += 1) await ask();
  counts.transactions = 0;
  counts.reads = 0;
  await ask();
  const perRequest = { ...counts };
  // The median request: other work on a shared machine shows up as outliers, not as a shift.
  const times: number[] = [];
  const cpuBefore = process.cpuUsage();
  for (let i = 0; i < REQUESTS; i += 1) {
    const started = performance.now();
    const answer = await ask();
    times.push(performance.now() - started);
    if (answer.status !== 200) throw new Error(`${name}: HTTP ${answer.status}`);
  }
  const cpu = process.cpuUsage(cpuBefore);
  const cpuMs = (cpu.user + cpu.system) / 1000 / REQUESTS;
  times.sort((a, b) => a - b);
  const ms = times[Math.floor(times.length / 2)] ?? Number.NaN;
  console.log(`BENCH api.list_virtual_machines_500_${name}_in_process ${ms.toFixed(2)} ms/request`);
  console.log(`BENCH api.list_virtual_machines_500_${name}_in_process_rate ${(1000 / ms).toFixed(0)} requests/s`);
  console.log(`BENCH api.list_virtual_machines_500_${name}_cpu ${cpuMs.toFixed(2)} cpu-ms/request`);
  console.log(`BENCH api.list_virtual_machines_500_${name}_store_transactions ${perRequest.transactions} transactions/request`);
  console.log(`BENCH api.list_virtual_machines_500_${name}_store_reads ${perRequest.reads} reads/request`);
  await bench.cloud.close();
}

await measure('one_owner', {});
await measure('100_tenants', { tenants: 100, domains: 10, templates: 5, offerings: 5 });

// The same spread on MariaDB, where every transaction is a round trip (skipped without one).
const { createTestStore } = await import('../../store-mysql/test/support/mysql-test-store.js');
const { mariadbReachable } = await import('../../store-mysql/test/support/mariadb.js');
if (await mariadbReachable()) await measure('100_tenants_mysql', { tenants: 100, domains: 10, templates: 5, offerings: 5, store: await createTestStore() });
else console.error('vm-list bench: no MariaDB reachable (CLOUD_TEST_MYSQL_URL or 127.0.0.1:3306); the MySQL case is not measured');
