import { createCloud, ManualClock, type Cloud } from '@cloudstack-sdk/core';
import { createSimulator } from '@cloudstack-sdk/driver-simulator';
import { describe, expect, it } from 'vitest';
import { startBackgroundTasks } from '../src/background-tasks.js';
import { buildDemoZones } from '../src/demo-cloud.js';
import { buildDemoTemplate } from '../src/demo-template.js';
import type { LogFields, ServerLog } from '../src/log.js';

function memoryLog(): ServerLog & { lines: { message: string; fields: LogFields }[] } {
  const lines: { message: string; fields: LogFields }[] = [];
  const entry = (message: string, fields: LogFields = {}) => lines.push({ message, fields });
  return { lines, info: entry, warn: entry, error: entry };
}

/** Polls `probe` until it is true, for at most `ms` (no timing is asserted: only the outcome). */
async function eventually(probe: () => Promise<boolean>, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error('condition not reached');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function demoCloud(): Promise<{ cloud: Cloud; sim: ReturnType<typeof createSimulator>; clock: ManualClock }> {
  const sim = createSimulator();
  const clock = new ManualClock(Date.now());
  const cloud = await createCloud({
    hypervisors: sim.hypervisors,
    storage: sim.storage,
    clock,
    passwordHashing: { N: 1024, r: 8, p: 1 },
    config: { 'expunge.interval': 1, 'ping.interval': 1, 'snapshot.poll.interval': 1, 'expunge.delay': 60 },
  });
  await buildDemoZones(cloud.system, 1);
  await buildDemoTemplate(cloud, sim.lab);
  return { cloud, sim, clock };
}

/** A Small Instance VM of the demo template in the demo basic zone, deployed as SYSTEM. */
async function deployDemoVm(cloud: Cloud) {
  const [zone] = await cloud.system.zones.list({ name: 'demo-basic' });
  const [offering] = (await cloud.system.serviceOfferings.list({ name: 'Small Instance' })).items;
  const [template] = (await cloud.system.templates.list({ templateFilter: 'featured', zoneId: zone!.id })).items;
  return cloud.system.vms.deploy({ zoneId: zone!.id, serviceOfferingId: offering!.id, templateId: template!.id });
}

describe('background sweeps of the example server', () => {
  it('expunges VMs destroyed longer than expunge.delay ago, every expunge.interval', async () => {
    const { cloud, clock } = await demoCloud();
    const log = memoryLog();
    const vm = await deployDemoVm(cloud);
    await cloud.system.vms.destroy({ id: vm.id });
    const tasks = await startBackgroundTasks(cloud, log);
    // Not yet due: the sweep runs and leaves it.
    await eventually(async () => log.lines.some((l) => l.message === 'expunge sweep'));
    expect((await cloud.store.transaction((tx) => tx.repo('vms').get(vm.id)))?.state).toBe('Destroyed');
    clock.advance(61_000);
    await eventually(async () => (await cloud.store.transaction((tx) => tx.repo('vms').get(vm.id))) === undefined);
    expect(log.lines.some((l) => l.message === 'expunge sweep' && l.fields.expunged === 1)).toBe(true);
    await tasks.stop();
    await cloud.close();
  });

  it('takes due recurring snapshots every snapshot.poll.interval', async () => {
    const { cloud, clock } = await demoCloud();
    const log = memoryLog();
    const vm = await deployDemoVm(cloud);
    const [root] = (await cloud.system.volumes.list({ virtualMachineId: vm.id })).items;
    await cloud.system.snapshotPolicies.create({ volumeId: root!.id, intervalType: 'HOURLY', schedule: '0', timezone: 'UTC', maxSnaps: 2 });
    const tasks = await startBackgroundTasks(cloud, log);
    clock.advance(2 * 3600_000);
    await eventually(async () => (await cloud.system.snapshots.list({ volumeId: root!.id })).total === 1);
    expect(log.lines.some((l) => l.message === 'snapshot sweep' && l.fields.taken === 1)).toBe(true);
    await tasks.stop();
    await cloud.close();
  });

  it('reconciles every Up host: a VM its host no longer runs is marked Stopped', async () => {
    const { cloud, sim } = await demoCloud();
    const log = memoryLog();
    const vm = await deployDemoVm(cloud);
    const stored = await cloud.store.transaction((tx) => tx.repo('vms').get(vm.id));
    const host = await cloud.store.transaction((tx) => tx.repo('hosts').get(stored!.hostId!));
    // The VM vanishes from its host behind the cloud's back.
    sim.lab.hostAt(host!.url)?.vms.delete(stored!.instanceName);
    const tasks = await startBackgroundTasks(cloud, log);
    await eventually(async () => (await cloud.store.transaction((tx) => tx.repo('vms').get(vm.id)))?.state === 'Stopped');
    expect(log.lines.some((l) => l.message === 'reconcile sweep' && l.fields.stopped === 1)).toBe(true);
    await tasks.stop();
    await cloud.close();
  });
});
