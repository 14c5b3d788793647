import { afterAll, describe, expect, it } from 'vitest';
import { JobStatus } from '@cloudstack-sdk/core';
import { snapshotCloud } from './support/cloud-invariants.js';
import type { WorkerReport } from './support/deploy-worker.js';
import { mariadbReachable } from './support/mariadb.js';
import { callerFor, sharedCloud, startWorker, type RunningWorker, type SharedCloud } from './support/multi-server-cloud.js';

const reachable = await mariadbReachable();

function reportsOf<T extends WorkerReport['type']>(workers: readonly RunningWorker[], type: T): Extract<WorkerReport, { type: T }>[] {
  return workers.flatMap((w) => w.reports.filter((r): r is Extract<WorkerReport, { type: T }> => r.type === type));
}

/**
 * Four management servers, each a process of its own with its own connection pool and
 * simulator, on one MariaDB database: issue 9's proof that allocation is safe across processes
 * (rule 4 of the house) and that a crashed server's half-done work is taken over.
 */
describe.skipIf(!reachable)('several management servers in separate processes on one database', () => {
  const clouds: SharedCloud[] = [];
  afterAll(async () => {
    for (const cloud of clouds) await cloud.close();
  });

  it('four processes deploying VMs and taking public IPs until capacity runs out hold nothing twice, overrun no host, and count what they hold', async () => {
    // 4 hosts × (8000 MHz, 8 GiB) fit 64 VMs of 500 MHz / 512 MB; 80 guest addresses; 30 public
    // addresses for two accounts whose public_ip limit is 20 each.
    const cloud = await sharedCloud({ guestAddresses: 80, publicAddresses: 30, config: { 'max.account.user.vms': 1000, 'max.account.volumes': 1000, 'max.account.public.ips': 20 } });
    clouds.push(cloud);
    const { t } = cloud;
    const callers = [callerFor(t, 'alice'), callerFor(t, 'alice'), callerFor(t, 'bob'), callerFor(t, 'bob')];
    const workers = callers.map((caller, i) =>
      startWorker({ ...cloud.base, serverId: `ms-${i + 1}`, mode: 'exhaust', loops: 3, stopAfterRefusals: 5, caller, publicIpZoneId: t.zone.id, waitForGo: true }),
    );
    // Every process races from the same moment, once all have started.
    await Promise.all(workers.map((w) => w.waitFor((r) => r.type === 'ready')));
    for (const worker of workers) worker.go();
    const exits = await Promise.all(workers.map((w) => w.exited));
    expect(exits.map((e) => e.code), workers.map((w) => w.stderr.join('')).join('\n')).toEqual([0, 0, 0, 0]);
    expect(reportsOf(workers, 'failed')).toEqual([]);

    // Every refusal was a clean capacity (533) or limit (532) refusal, and both ran out.
    const refusals = reportsOf(workers, 'refused');
    expect(refusals.length).toBeGreaterThan(0);
    for (const refusal of refusals) expect([532, 533], refusal.message).toContain(refusal.code);
    expect(refusals.some((r) => r.what === 'vm' && r.code === 533)).toBe(true);
    expect(refusals.some((r) => r.what === 'ip')).toBe(true);
    // Every process got some of both: the race really was between them.
    for (const worker of workers) {
      expect(worker.reports.some((r) => r.type === 'deployed')).toBe(true);
      expect(worker.reports.some((r) => r.type === 'ip')).toBe(true);
    }

    // Capacity really ran out: one more deployment from another server is refused with a 533.
    const more = await t.cloud.as(t.accounts.alice.caller).vms.deploy({ zoneId: t.zone.id, templateId: t.template.id, serviceOfferingId: t.offering.id }).catch((error: unknown) => error);
    expect(more).toMatchObject({ code: 533 });

    const deployed = reportsOf(workers, 'deployed');
    const ips = reportsOf(workers, 'ip').map((r) => r.address);
    expect(new Set(deployed.map((d) => d.vmId)).size).toBe(deployed.length);
    expect(new Set(ips).size).toBe(ips.length);
    expect(ips.length).toBeLessThanOrEqual(30);

    const snapshot = await snapshotCloud(cloud.store, cloud.db.name, [t.accounts.alice.id, t.accounts.bob.id]);
    expect(snapshot.heldTwice).toEqual([]);
    expect(snapshot.nicDuplicates).toEqual([]);
    expect(snapshot.orphanClaims).toEqual([]);
    expect(snapshot.vmStates).toEqual({ Running: deployed.length });
    expect(snapshot.heldByKind.publicip).toBe(ips.length);
    expect(snapshot.heldByKind.guestip).toBe(deployed.length + snapshot.routers.guestIps);
    expect(snapshot.heldByKind.mac).toBe(deployed.length + snapshot.routers.macs);
    for (const host of snapshot.hosts) {
      expect(host.cpuCounter).toBeLessThanOrEqual(host.cpuTotal);
      expect(host.memoryCounter).toBeLessThanOrEqual(host.memoryTotal);
      expect(host.cpuCounter).toBe(host.cpuReserved);
      expect(host.memoryCounter).toBe(host.memoryReserved);
      expect(host.vmCounter).toBe(host.vms);
    }
    expect(snapshot.hosts.reduce((sum, h) => sum + h.vms, 0)).toBe(deployed.length + snapshot.routers.onHosts);
    const ipsByAccount = new Map<string, number>();
    workers.forEach((w, i) => ipsByAccount.set(callers[i]!.accountId, (ipsByAccount.get(callers[i]!.accountId) ?? 0) + w.reports.filter((r) => r.type === 'ip').length));
    for (const account of snapshot.accounts) {
      expect(account.userVmCount).toBe(account.vmRows);
      expect(account.volumeCount).toBe(account.volumeRows);
      expect(account.publicIpCount).toBe(ipsByAccount.get(account.id));
      expect(account.publicIpCount).toBeLessThanOrEqual(20);
    }
  });

  it('a process killed with SIGKILL in the middle of deployments leaves no half-written state once a survivor takes over', async () => {
    const cloud = await sharedCloud({ guestAddresses: 80, publicAddresses: 4, config: { 'max.account.user.vms': 1000, 'max.account.volumes': 1000 } });
    clouds.push(cloud);
    const { t } = cloud;
    const monitor = { heartbeatMs: 200, deadAfterMs: 1_000 };
    const caller = callerFor(t, 'alice');
    const survivor = startWorker({ ...cloud.base, serverId: 'survivor', mode: 'jobs', loops: 1, maxDeployments: 3, caller, monitor, awaitTakeovers: 1 });
    const victim = startWorker({ ...cloud.base, serverId: 'victim', mode: 'jobs', loops: 4, maxDeployments: 50, startDelayMs: 400, caller, monitor });
    await survivor.waitFor((r) => r.type === 'ready');
    await victim.waitFor((r) => r.type === 'deployed');
    // Kill it right after it committed another VM and its job: that start is certainly unfinished.
    let jobs = 0;
    await victim.waitFor((r) => r.type === 'job' && (jobs += 1) >= 2);
    victim.child.kill('SIGKILL');
    expect((await victim.exited).signal).toBe('SIGKILL');

    const takeover = (await survivor.waitFor((r) => r.type === 'takeover')) as Extract<WorkerReport, { type: 'takeover' }>;
    expect(takeover.deadServerId).toBe('victim');
    expect((await survivor.exited).code, survivor.stderr.join('')).toBe(0);
    expect(reportsOf([survivor, victim], 'failed')).toEqual([]);

    const finished = new Set(victim.reports.filter((r) => r.type === 'deployed').map((r) => (r as { vmId: string }).vmId));
    const unfinished = victim.reports.filter((r): r is Extract<WorkerReport, { type: 'job' }> => r.type === 'job' && !finished.has(r.vmId));
    expect(unfinished.length).toBeGreaterThan(0);
    const records = await cloud.store.transaction(async (tx) => ({
      jobs: (await tx.repo('jobs').find({ where: { ownerServerId: 'victim' } })).items,
      vms: (await tx.repo('vms').find()).items,
    }));
    // No job of the dead server is left pending; those it left are failed, saying why.
    expect(records.jobs.filter((j) => j.status === JobStatus.Pending)).toEqual([]);
    const takenOver = records.jobs.filter((j) => takeover.failedJobIds.includes(j.id));
    expect(takenOver.length).toBeGreaterThan(0);
    for (const job of takenOver) {
      expect(job).toMatchObject({ status: JobStatus.Failed, resultCode: 530 });
      expect(job.error?.message).toBe(`Job deployVirtualMachine was interrupted: management server victim stopped before it finished; management server survivor took over its work`);
    }
    for (const report of unfinished) {
      const job = records.jobs.find((j) => j.id === report.jobId);
      const vm = records.vms.find((v) => v.id === report.vmId);
      // Either it finished just before the kill (its report never left the process), or it was taken over.
      if (job?.status === JobStatus.Succeeded) expect(vm?.state).toBe('Running');
      else expect(takeover.failedJobIds).toContain(report.jobId);
    }
    // No VM is left in a transition, and none holds a reservation it should not.
    expect(records.vms.filter((vm) => ['Starting', 'Stopping', 'Migrating'].includes(vm.state))).toEqual([]);
    for (const vm of records.vms) {
      if (vm.state === 'Running') expect(vm.reservation).toBeDefined();
      else expect(vm.reservation).toBeUndefined();
    }
    const snapshot = await snapshotCloud(cloud.store, cloud.db.name, [t.accounts.alice.id]);
    expect(snapshot.heldTwice).toEqual([]);
    expect(snapshot.nicDuplicates).toEqual([]);
    expect(snapshot.orphanClaims).toEqual([]);
    for (const host of snapshot.hosts) {
      expect(host.cpuCounter).toBe(host.cpuReserved);
      expect(host.memoryCounter).toBe(host.memoryReserved);
      expect(host.vmCounter).toBe(host.vms);
    }
    expect(snapshot.heldByKind.guestip ?? 0).toBe((snapshot.vmStates.Running ?? 0) + snapshot.routers.guestIps);
    expect(snapshot.accounts[0]!.userVmCount).toBe(snapshot.accounts[0]!.vmRows);
    expect(snapshot.accounts[0]!.volumeCount).toBe(snapshot.accounts[0]!.volumeRows);
    // The survivor reconciles every host now; the dead server holds none.
    const hostClaims = await cloud.store.transaction((tx) => tx.pools.heldBy('victim', 'reconcile:hosts'));
    expect(hostClaims).toEqual([]);
    expect((await cloud.store.serverRegistry.list(Date.now())).map((b) => b.serverId)).not.toContain('victim');
  });
});
