import { describe, expect, it } from 'vitest';
import { JobRunner, JobStatus, ManualClock, VmPower, type CloudError } from '../../src/index.js';
import { HOST_RECONCILE_POOL, ManagementServerMonitor, MemoryServerRegistry } from '../../src/servers.js';
import { createTestCloud } from '../support/test-cloud.js';
import { deployInput, holdings, vmCloud } from '../vms/vm-fixtures.js';

const HEARTBEAT = { heartbeatMs: 1_000, deadAfterMs: 3_000 };

/** Two management servers (ms-1 and ms-2) on one store, one clock and one simulator. */
async function twoServers() {
  const clock = new ManualClock();
  const t = await vmCloud({ clock, serverId: 'ms-1' });
  const second = await createTestCloud({ clock, store: t.cloud.store, serverId: 'ms-2', hypervisors: t.sim.hypervisors, storage: t.sim.storage });
  const registry = new MemoryServerRegistry();
  const first = new ManagementServerMonitor(t.cloud, registry, HEARTBEAT);
  const survivor = new ManagementServerMonitor(second, registry, HEARTBEAT);
  return { t, clock, second, registry, first, survivor };
}

/**
 * Puts a VM of ms-1 half-way through a start, as a crash would leave it: the start is recorded
 * (`Starting`, with its reservation) and its job is pending, but the driver never answers.
 */
async function halfDoneStart(s: Awaited<ReturnType<typeof twoServers>>, command: string) {
  const { t } = s;
  const alice = t.cloud.as(t.as.alice);
  const vm = await alice.vms.deploy(deployInput(t, { startVm: false }));
  let finish: () => void = () => undefined;
  const hung = new Promise<void>((resolve) => {
    finish = resolve;
  });
  const power = t.cloud.container.resolve(VmPower);
  const runner = t.cloud.container.resolve(JobRunner);
  const job = await t.cloud.store.transaction(async (tx) => {
    const stopped = await tx.repo('vms').get(vm.id);
    await power.prepareStart(tx, t.as.alice, stopped!);
    return runner.submit(t.as.alice, { command, instanceType: 'VirtualMachine', instanceId: vm.id }, async () => {
      await hung;
      return { done: true };
    }, tx);
  });
  return { vm, job, finish };
}

describe('ManagementServerMonitor: two servers on one store', () => {
  it('splits host reconciliation between live servers and hands a dead server its hosts to the survivor', async () => {
    const s = await twoServers();
    // Both servers are up (their first beats) before either claims hosts.
    await s.registry.heartbeat('ms-2', s.clock.now());
    await s.first.tick();
    await s.survivor.tick();
    const [mine, theirs] = [await s.first.ownedHosts(), await s.survivor.ownedHosts()];
    expect(mine).toHaveLength(1);
    expect(theirs).toHaveLength(1);
    expect([...mine, ...theirs].sort()).toEqual(s.t.hosts.map((h) => h.id).sort());
    await s.first.stop();
    s.clock.advance(4_000);
    const [outcome] = await s.survivor.tick();
    expect(outcome).toMatchObject({ deadServerId: 'ms-1', survivorId: 'ms-2', releasedHosts: mine });
    expect(await s.survivor.ownedHosts()).toEqual(s.t.hosts.map((h) => h.id).sort());
    expect(await s.t.cloud.store.transaction((tx) => tx.pools.heldBy('ms-1', HOST_RECONCILE_POOL))).toEqual([]);
  });

  it('takes over a dead server exactly once: its pending jobs failed with a clear error, its Starting VMs released', async () => {
    const s = await twoServers();
    const empty = await holdings(s.t.cloud, s.t);
    await s.first.tick();
    await s.survivor.tick();
    const deploy = await halfDoneStart(s, 'deployVirtualMachine');
    const start = await halfDoneStart(s, 'startVirtualMachine');
    const during = await holdings(s.t.cloud, s.t);
    expect(during.hosts.map((h) => h[2] ?? 0).reduce((a, b) => a + b, 0)).toBe(2);

    // ms-1 stops beating; before deadAfterMs nobody takes it over.
    await s.first.stop();
    s.clock.advance(2_000);
    expect(await s.survivor.tick()).toEqual([]);
    s.clock.advance(2_000);

    // A third server on the same store races ms-2 for the takeover: exactly one wins.
    const third = new ManagementServerMonitor({ serverId: 'ms-3', store: s.second.store, container: s.second.container }, s.registry, HEARTBEAT);
    await s.registry.heartbeat('ms-3', s.clock.now());
    const outcomes = (await Promise.all([s.survivor.tick(), third.tick(), s.survivor.takeOver('ms-1'), third.takeOver('ms-1')])).flat().filter((o) => o !== undefined);
    expect(outcomes).toHaveLength(1);
    const [outcome] = outcomes;
    expect([...outcome!.failedJobIds].sort()).toEqual([deploy.job.id, start.job.id].sort());
    expect(outcome!.recoveredVms).toEqual(expect.arrayContaining([
      { vmId: deploy.vm.id, from: 'Starting', to: 'Error' },
      { vmId: start.vm.id, from: 'Starting', to: 'Stopped' },
    ]));
    expect((await s.registry.list(s.clock.now())).map((b) => b.serverId)).not.toContain('ms-1');

    const jobs = s.second.as(s.t.as.alice).jobs;
    for (const job of [deploy.job, start.job]) {
      const record = await jobs.get(job.id);
      expect(record).toMatchObject({ status: JobStatus.Failed, resultCode: 530 });
      expect(record.error?.message).toMatch(/interrupted: management server ms-1 stopped before it finished; management server ms-[23] took over its work/);
    }
    const vms = await s.t.cloud.store.transaction(async (tx) => [await tx.repo('vms').get(deploy.vm.id), await tx.repo('vms').get(start.vm.id)]);
    expect(vms.map((vm) => vm?.state)).toEqual(['Error', 'Stopped']);
    for (const vm of vms) expect(vm?.reservation).toBeUndefined();
    const after = await holdings(s.t.cloud, s.t);
    expect(after.hosts).toEqual(empty.hosts);
    expect(after.guestIps).toEqual(empty.guestIps);
    expect(after.poolBytes).toBe(empty.poolBytes);
    // The deployment that never finished holds no MAC; the stopped VM keeps its one.
    expect(after.heldMacs).toBe(1);
    const events = (await s.t.cloud.store.transaction((tx) => tx.repo('events').find({ where: { level: 'ERROR' } }))).items.filter((e) => /left Starting by management server ms-1/.test(e.description));
    expect(events).toHaveLength(2);

    // Taking over again finds nothing: the dead server is forgotten.
    s.clock.advance(2_000);
    expect(await third.tick()).toEqual([]);
    expect(await s.survivor.tick()).toEqual([]);

    // If ms-1 was only slow and its work finishes now, the failure recorded by the takeover stands.
    deploy.finish();
    start.finish();
    const runner = s.t.cloud.container.resolve(JobRunner);
    expect((await runner.wait(deploy.job.id)).status).toBe(JobStatus.Failed);
    expect((await runner.wait(start.job.id)).status).toBe(JobStatus.Failed);
  });

  it('leaves a live server alone however long the survivor waits, as long as it beats', async () => {
    const s = await twoServers();
    const pending = await halfDoneStart(s, 'startVirtualMachine');
    await s.first.tick();
    for (let i = 0; i < 5; i += 1) {
      s.clock.advance(2_000);
      await s.first.tick();
      expect(await s.survivor.tick()).toEqual([]);
    }
    const vm = await s.t.cloud.store.transaction((tx) => tx.repo('vms').get(pending.vm.id));
    expect(vm?.state).toBe('Starting');
    pending.finish();
    expect((await s.t.cloud.container.resolve(JobRunner).wait(pending.job.id)).status).toBe(JobStatus.Succeeded);
  });

  it('refuses a dead-after shorter than two heartbeats', () => {
    const registry = new MemoryServerRegistry();
    const fake = { serverId: 'x', store: undefined as never, container: { resolve: () => ({}) } as never };
    let caught: unknown;
    try {
      new ManagementServerMonitor(fake, registry, { heartbeatMs: 1_000, deadAfterMs: 1_500 });
    } catch (error) {
      caught = error;
    }
    expect((caught as CloudError).code).toBe(431);
    expect((caught as CloudError).param).toBe('deadafterms');
  });
});
