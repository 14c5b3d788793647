// A management server in a process of its own, for the multi-process tests and the benchmark:
// it opens the shared MariaDB database as server `serverId`, on a simulator of its own that
// declares the same hosts as every other worker (capacity lives in the store, not the
// simulator), and deploys VMs and allocates public IPs in a tight loop until the cloud refuses
// them. Every outcome is one JSON line on stdout; refusals carry their CloudError code.
//
// Run from the repository root: `TSX_TSCONFIG_PATH=packages/store-mysql/test/support/worker.tsconfig.json node --import tsx
// packages/store-mysql/test/support/deploy-worker.ts '<WorkerTask JSON>'`.
import { randomUUID } from 'node:crypto';
import { createCloud, isCloudError, JobRunner, JobStatus, PublicIpAllocator, type CallContext, type Cloud } from '@cloudstack-sdk/core';
import { createSimulator } from '@cloudstack-sdk/driver-simulator';
import { ManagementServerMonitor } from '../../../core/src/servers.js';
import { MysqlStore, type MysqlStoreStatistics } from '../../src/index.js';

/** What a worker is told to do. */
export interface WorkerTask {
  /** The database URL. */
  readonly url: string;
  /** This worker's management server id. */
  readonly serverId: string;
  /** The sealing key (base64) every server of the cloud shares. */
  readonly secretKey: string;
  /** The simulator hosts to declare (names as in the hosts' `http://sim/<name>` URLs). */
  readonly hostNames: readonly string[];
  /** The caller deployments run as. */
  readonly caller: CallContext;
  /** Deployment target. */
  readonly zoneId: string;
  readonly templateId: string;
  readonly serviceOfferingId: string;
  /** Zone to draw public IPs from; none when absent. */
  readonly publicIpZoneId?: string;
  /**
   * `exhaust`: deploy (and allocate IPs) until `stopAfterRefusals` refusals in a row;
   * `jobs`: deploy as async jobs (create, then a `deployVirtualMachine` job that starts it), with
   * a slowed simulator start, until `maxDeployments` or a refusal, heartbeating all along.
   */
  readonly mode: 'exhaust' | 'jobs';
  /** Concurrent deployment loops in this process. */
  readonly loops: number;
  /** Refusals in a row after which a loop stops (exhaust). */
  readonly stopAfterRefusals?: number;
  /** Deployments after which a loop stops (jobs). */
  readonly maxDeployments?: number;
  /** Milliseconds each simulated start takes (jobs). */
  readonly startDelayMs?: number;
  /** Heartbeat and takeover timing; no monitor when absent. */
  readonly monitor?: { readonly heartbeatMs: number; readonly deadAfterMs: number };
  /** Keep heartbeating (and taking over) until this many takeovers happened, then exit. */
  readonly awaitTakeovers?: number;
  /**
   * Wait after `ready` for a `go` line on stdin before the loops start, so that several workers
   * (which take a while to start) race from the same moment (`RunningWorker.go`).
   */
  readonly waitForGo?: boolean;
  /** `false` for a store that defers no counter adjustment (its default policy when absent). */
  readonly deferCounters?: false;
}

/** One line a worker prints. */
export type WorkerReport =
  | { readonly type: 'ready'; readonly serverId: string }
  | { readonly type: 'deployed'; readonly vmId: string; readonly state: string }
  | { readonly type: 'job'; readonly jobId: string; readonly vmId: string }
  | { readonly type: 'ip'; readonly address: string }
  | { readonly type: 'refused'; readonly what: 'vm' | 'ip'; readonly code: number; readonly csErrorCode: number; readonly message: string }
  | { readonly type: 'failed'; readonly what: 'vm' | 'ip' | 'worker'; readonly message: string }
  | { readonly type: 'takeover'; readonly deadServerId: string; readonly failedJobIds: readonly string[]; readonly recoveredVms: number }
  | { readonly type: 'fenced'; readonly serverId: string; readonly epoch: number }
  | {
      readonly type: 'done';
      readonly deployed: number;
      readonly ips: number;
      readonly seconds: number;
      /** CPU this process used during its loops (user + system), in seconds. */
      readonly cpuSeconds: number;
      readonly store: MysqlStoreStatistics;
    };

function report(line: WorkerReport): void {
  process.stdout.write(`${JSON.stringify(line)}\n`);
}

function refusalOf(what: 'vm' | 'ip', error: unknown): WorkerReport {
  if (isCloudError(error)) return { type: 'refused', what, code: error.code, csErrorCode: error.csErrorCode, message: error.message };
  return { type: 'failed', what, message: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
}

async function deployLoop(cloud: Cloud, task: WorkerTask, counts: { deployed: number; ips: number }): Promise<void> {
  const vms = cloud.as(task.caller).vms;
  const allocator = cloud.container.resolve(PublicIpAllocator);
  const runner = cloud.container.resolve(JobRunner);
  let vmRefusals = 0;
  let ipRefusals = 0;
  let deployments = 0;
  const limit = task.stopAfterRefusals ?? 3;
  while (vmRefusals < limit || (task.publicIpZoneId !== undefined && ipRefusals < limit)) {
    if (task.mode === 'jobs' && deployments >= (task.maxDeployments ?? Number.POSITIVE_INFINITY)) return;
    if (vmRefusals < limit) {
      deployments += 1;
      try {
        if (task.mode === 'exhaust') {
          const vm = await vms.deploy({ zoneId: task.zoneId, templateId: task.templateId, serviceOfferingId: task.serviceOfferingId });
          counts.deployed += 1;
          vmRefusals = 0;
          report({ type: 'deployed', vmId: vm.id, state: vm.state });
        } else {
          // The VM and its job commit together: a crash leaves either neither, or both.
          const job = await cloud.store.transaction(async (tx) => {
            const created = await vms.deploy({ zoneId: task.zoneId, templateId: task.templateId, serviceOfferingId: task.serviceOfferingId, startVm: false });
            const submitted = await runner.submit(task.caller, { command: 'deployVirtualMachine', instanceType: 'VirtualMachine', instanceId: created.id }, () => vms.start({ id: created.id }), tx);
            return { job: submitted, vmId: created.id };
          });
          report({ type: 'job', jobId: job.job.id, vmId: job.vmId });
          const done = await runner.wait(job.job.id);
          if (done.status === JobStatus.Succeeded) {
            counts.deployed += 1;
            report({ type: 'deployed', vmId: job.vmId, state: 'Running' });
          } else {
            report({ type: 'refused', what: 'vm', code: done.error?.code ?? 0, csErrorCode: done.error?.csErrorCode ?? 0, message: done.error?.message ?? '' });
            return;
          }
        }
      } catch (error) {
        vmRefusals += 1;
        report(refusalOf('vm', error));
        if (task.mode === 'jobs') return;
      }
    }
    if (task.publicIpZoneId !== undefined && ipRefusals < limit) {
      const zoneId = task.publicIpZoneId;
      try {
        const ip = await cloud.store.transaction((tx) => allocator.allocate(tx, { zoneId, accountId: task.caller.accountId, holder: randomUUID() }));
        counts.ips += 1;
        ipRefusals = 0;
        report({ type: 'ip', address: ip.address });
      } catch (error) {
        ipRefusals += 1;
        report(refusalOf('ip', error));
      }
    }
  }
}

/** Resolves when the parent writes a `go` line to stdin. */
function goSignal(): Promise<void> {
  return new Promise((resolve) => {
    let input = '';
    process.stdin.setEncoding('utf8').on('data', (chunk: string) => {
      input += chunk;
      if (input.split('\n').some((line) => line.trim() === 'go')) {
        process.stdin.pause();
        resolve();
      }
    });
  });
}

async function main(task: WorkerTask): Promise<void> {
  const sim = createSimulator();
  for (const name of task.hostNames) {
    sim.lab.defineHost(name, { cpuSockets: 1, cpuCores: 4, cpuSpeedMhz: 2000, memoryBytes: 8 * 1024 ** 3 });
    // The hosts were added (connected) by the server that set the cloud up; this server's
    // simulator connects to the same ones.
    sim.lab.recoverHost(name);
  }
  if (task.startDelayMs !== undefined) sim.lab.faults.inject({ operation: 'startVm', mode: 'slow', delayMs: task.startDelayMs });
  const store = new MysqlStore({ url: task.url, connectionLimit: task.loops + 2, ...(task.deferCounters === undefined ? {} : { deferCounters: task.deferCounters }) });
  const cloud = await createCloud({
    store,
    serverId: task.serverId,
    secrets: { activeKeyId: 'test', keys: { test: task.secretKey } },
    hypervisors: sim.hypervisors,
    storage: sim.storage,
    passwordHashing: { N: 1024, r: 8, p: 1 },
  });
  // A worker taken over while it still ran (split brain) says so; its store then refuses its writes.
  const monitor = task.monitor === undefined ? undefined : new ManagementServerMonitor(cloud, store.serverRegistry, { ...task.monitor, onFenced: (f) => report({ type: 'fenced', serverId: f.serverId, epoch: f.epoch }) });
  let takeovers = 0;
  const noteTakeovers = (outcomes: Awaited<ReturnType<ManagementServerMonitor['tick']>>) => {
    for (const o of outcomes) {
      takeovers += 1;
      report({ type: 'takeover', deadServerId: o.deadServerId, failedJobIds: o.failedJobIds, recoveredVms: o.recoveredVms.length });
    }
  };
  // The worker beats itself (rather than `monitor.start()`) so that it can report every takeover.
  const beat = () => {
    monitor?.tick().then(noteTakeovers, (error: unknown) => report({ type: 'failed', what: 'worker', message: `monitor tick: ${(error as Error).message}` }));
  };
  if (monitor !== undefined) noteTakeovers(await monitor.tick());
  const timer = monitor === undefined ? undefined : setInterval(beat, task.monitor!.heartbeatMs);
  report({ type: 'ready', serverId: task.serverId });
  if (task.waitForGo === true) await goSignal();
  const counts = { deployed: 0, ips: 0 };
  const started = performance.now();
  const cpuAtStart = process.cpuUsage();
  await Promise.all(Array.from({ length: task.loops }, () => deployLoop(cloud, task, counts)));
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuAtStart);
  while (monitor !== undefined && takeovers < (task.awaitTakeovers ?? 0)) await new Promise((resolve) => setTimeout(resolve, task.monitor!.heartbeatMs));
  if (timer !== undefined) clearInterval(timer);
  await monitor?.stop();
  report({ type: 'done', deployed: counts.deployed, ips: counts.ips, seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, store: store.statistics() });
  await cloud.close();
}

main(JSON.parse(process.argv[2] ?? '{}') as WorkerTask).then(
  () => process.exit(0),
  (error: unknown) => {
    report({ type: 'failed', what: 'worker', message: error instanceof Error ? `${error.name}: ${error.stack ?? error.message}` : String(error) });
    process.exit(1);
  },
);
