import { describe, expect, it } from 'vitest';
import { JobRunner, type CallContext } from '../../src/index.js';
import { refused } from '../accounts/tenants.js';
import { publish } from '../templates/fixtures.js';
import { deployInput, GIB, vmCloud, vmFootprint, type VmCloud } from './vm-fixtures.js';

/** Registers an ISO for `caller` from a freshly published image and waits for its download. */
async function registerIso(t: VmCloud, caller: CallContext, name: string, extra: Record<string, unknown> = {}) {
  const osTypeId = (await t.cloud.system.osTypes.list({ description: 'CentOS 6.3 (64-bit)' }))[0]?.id ?? '';
  const { url } = publish(t.sim, name, `iso image ${name}`);
  const iso = await t.cloud.as(caller).isos.register({ name, displayText: name, url, osTypeId, ...extra });
  await t.cloud.container.resolve(JobRunner).drain();
  return iso;
}

async function rootOf(t: VmCloud, vmId: string) {
  return t.cloud.store.transaction(async (tx) => tx.repo('volumes').findOne({ virtualMachineId: vmId, type: 'ROOT' }));
}

async function stored(t: VmCloud, vmId: string) {
  return t.cloud.store.transaction(async (tx) => tx.repo('vms').get(vmId));
}

async function eventTypes(t: VmCloud, vmId: string) {
  return t.cloud.store.transaction(async (tx) => (await tx.repo('events').find({ where: { resourceId: vmId } })).items.map((e) => e.type));
}

async function volumeCount(t: VmCloud) {
  return t.cloud.store.transaction((tx) => tx.repo('volumes').count());
}

describe('deploying a VM from an ISO', () => {
  it('boots from the ISO: Running, the ISO in the spec the host got, a blank ROOT volume of the disk offering, the hypervisor chosen by the planner', async () => {
    const t = await vmCloud();
    const iso = await registerIso(t, t.as.alice, 'installer');
    const disk = await t.cloud.system.diskOfferings.create({ name: 'root-8', displayText: '8 GB', diskSize: 8 });
    const alice = t.cloud.as(t.as.alice);
    const vm = await alice.vms.deploy(deployInput(t, { name: 'fromiso', templateId: iso.id, diskOfferingId: disk.id }));
    expect(vm.state).toBe('Running');
    expect(vm.templateId).toBe(iso.id);
    expect(vm.hypervisor).toBe('Simulator');

    const spec = t.sim.lab.vmSpec(vm.instanceName);
    expect(spec?.iso).toMatchObject({ templateId: iso.id, name: 'installer', bootable: true });
    expect(spec?.iso?.installPath).toBeTruthy();
    expect(t.sim.lab.vmIso(vm.instanceName)?.templateId).toBe(iso.id);
    expect(spec?.disks[0]).toMatchObject({ type: 'ROOT', sizeBytes: 8 * GIB });
    expect(spec?.disks[0]?.templatePath).toBeUndefined();

    const [root] = (await alice.volumes.list({ virtualMachineId: vm.id, type: 'ROOT' })).items;
    expect(root).toMatchObject({ size: 8 * GIB, diskOfferingId: disk.id, state: 'Ready', storageId: t.pool.id });
    expect(root?.templateId).toBeUndefined();
    expect(await t.cloud.store.transaction((tx) => tx.repo('volumes').count({ virtualMachineId: vm.id }))).toBe(1);
    const row = await stored(t, vm.id);
    expect(row).toMatchObject({ isoId: iso.id, hypervisorType: 'Simulator', rootDiskBytes: 8 * GIB });
    expect(row?.hypervisorPending).toBeUndefined();
  });

  it('a custom disk offering takes the ROOT size from size; a named hypervisor is recorded; startVm: false defers the choice to the first start', async () => {
    const t = await vmCloud();
    const iso = await registerIso(t, t.as.alice, 'installer');
    const custom = await t.cloud.system.diskOfferings.create({ name: 'custom', displayText: 'Custom', customized: true });
    const alice = t.cloud.as(t.as.alice);
    const named = await alice.vms.deploy(deployInput(t, { name: 'named', templateId: iso.id, diskOfferingId: custom.id, size: 3, hypervisor: 'Simulator' }));
    expect(named.state).toBe('Running');
    expect((await rootOf(t, named.id))?.size).toBe(3 * GIB);
    expect((await stored(t, named.id))?.hypervisorPending).toBeUndefined();

    const later = await alice.vms.deploy(deployInput(t, { name: 'later', templateId: iso.id, diskOfferingId: custom.id, size: 2, startVm: false }));
    expect(later.state).toBe('Stopped');
    expect(await stored(t, later.id)).toMatchObject({ hypervisorPending: true, isoId: iso.id });
    const started = await alice.vms.startDeployed({ id: later.id });
    expect(started.state).toBe('Running');
    expect((await stored(t, later.id))?.hypervisorPending).toBeUndefined();
    expect(t.sim.lab.vmIso(later.instanceName)?.templateId).toBe(iso.id);
    expect(t.sim.lab.vmSpec(later.instanceName)?.disks[0]?.sizeBytes).toBe(2 * GIB);
  });

  it('refuses without a disk offering, from a non-bootable ISO, from an ISO not downloaded in the zone, with a hypervisor the zone lacks — changing nothing', async () => {
    const t = await vmCloud();
    const bootable = await registerIso(t, t.as.alice, 'installer');
    const tools = await registerIso(t, t.as.alice, 'tools', { bootable: false });
    const osTypeId = (await t.cloud.system.osTypes.list({ description: 'CentOS 6.3 (64-bit)' }))[0]?.id ?? '';
    // Never published: its download fails, so it has no DOWNLOADED copy in the zone.
    const missing = await t.cloud.as(t.as.alice).isos.register({ name: 'missing', displayText: 'missing', url: 'http://images.example.com/missing.iso', osTypeId });
    await t.cloud.container.resolve(JobRunner).drain();
    const disk = await t.cloud.system.diskOfferings.create({ name: 'root-8', displayText: '8 GB', diskSize: 8 });
    const alice = t.cloud.as(t.as.alice);
    const before = await vmFootprint(t.cloud);

    const noDisk = await refused(() => alice.vms.deploy(deployInput(t, { templateId: bootable.id })), 431, 'diskofferingid');
    expect(noDisk.message).toContain('ISO');
    await refused(() => alice.vms.deploy(deployInput(t, { templateId: bootable.id, startVm: false })), 431, 'diskofferingid');
    const notBootable = await refused(() => alice.vms.deploy(deployInput(t, { templateId: tools.id, diskOfferingId: disk.id })), 431, 'templateid');
    expect(notBootable.message).toContain('not bootable');
    const notReady = await refused(() => alice.vms.deploy(deployInput(t, { templateId: missing.id, diskOfferingId: disk.id })), 431, 'templateid');
    expect(notReady.message).toContain('not ready');
    await refused(() => alice.vms.deploy(deployInput(t, { templateId: bootable.id, diskOfferingId: disk.id, hypervisor: 'KVM' })), 431, 'hypervisor');
    await refused(() => alice.vms.deploy(deployInput(t, { templateId: bootable.id, diskOfferingId: disk.id, size: 4 })), 431, 'size');
    // A template deployment naming another hypervisor than the template's.
    await refused(() => alice.vms.deploy(deployInput(t, { hypervisor: 'KVM' })), 431, 'hypervisor');

    expect(await vmFootprint(t.cloud)).toEqual(before);
    expect(await volumeCount(t)).toBe(0);
  });

  it("another tenant's private ISO reads as not found at deploy", async () => {
    const t = await vmCloud();
    const bobs = await registerIso(t, t.as.bob, 'bobs');
    const disk = await t.cloud.system.diskOfferings.create({ name: 'root-8', displayText: '8 GB', diskSize: 8 });
    const before = await vmFootprint(t.cloud);
    await refused(() => t.cloud.as(t.as.alice).vms.deploy(deployInput(t, { templateId: bobs.id, diskOfferingId: disk.id })), 431, 'templateid');
    expect(await vmFootprint(t.cloud)).toEqual(before);
  });
});

describe('attachIso / detachIso', () => {
  it('attaches an ISO to a stopped VM: recorded, in the spec at the next start; one at a time; detached again', async () => {
    const t = await vmCloud();
    const iso = await registerIso(t, t.as.alice, 'tools', { bootable: false });
    const other = await registerIso(t, t.as.alice, 'drivers', { bootable: false });
    const alice = t.cloud.as(t.as.alice);
    const vm = await alice.vms.deploy(deployInput(t, { name: 'web1', startVm: false }));

    await alice.vms.attachIso({ id: vm.id, isoId: iso.id });
    expect((await stored(t, vm.id))?.isoId).toBe(iso.id);
    expect((await alice.vms.get({ id: vm.id })).isoId).toBe(iso.id);
    const before = await vmFootprint(t.cloud);
    const twice = await refused(() => alice.vms.attachIso({ id: vm.id, isoId: other.id }), 431, 'id');
    expect(twice.message).toContain('detach');
    expect(await vmFootprint(t.cloud)).toEqual(before);

    await alice.vms.start({ id: vm.id });
    expect(t.sim.lab.vmIso(vm.instanceName)).toMatchObject({ templateId: iso.id, name: 'tools', bootable: false });
    expect(t.sim.lab.vmSpec(vm.instanceName)?.disks[0]?.templatePath).toBeTruthy();

    await alice.vms.detachIso({ id: vm.id });
    expect((await stored(t, vm.id))?.isoId).toBeUndefined();
    await refused(() => alice.vms.detachIso({ id: vm.id }), 431, 'id');
    await alice.vms.stop({ id: vm.id });
    await alice.vms.start({ id: vm.id });
    expect(t.sim.lab.vmIso(vm.instanceName)).toBeUndefined();
    const types = await eventTypes(t, vm.id);
    expect(types).toContain('ISO.ATTACH');
    expect(types).toContain('ISO.DETACH');
  });

  it('a running VM records the attach at once and its host gets the ISO at the next start', async () => {
    const t = await vmCloud();
    const iso = await registerIso(t, t.as.alice, 'tools', { bootable: false });
    const alice = t.cloud.as(t.as.alice);
    const vm = await alice.vms.deploy(deployInput(t, { name: 'web1' }));
    await alice.vms.attachIso({ id: vm.id, isoId: iso.id });
    expect((await stored(t, vm.id))?.isoId).toBe(iso.id);
    expect(t.sim.lab.vmIso(vm.instanceName)).toBeUndefined();
    await alice.vms.stop({ id: vm.id });
    await alice.vms.start({ id: vm.id });
    expect(t.sim.lab.vmIso(vm.instanceName)?.templateId).toBe(iso.id);
  });

  it("refuses another tenant's ISO (not found), an ISO not downloaded in the zone, and a VM neither Running nor Stopped — changing nothing", async () => {
    const t = await vmCloud();
    const bobs = await registerIso(t, t.as.bob, 'bobs');
    const osTypeId = (await t.cloud.system.osTypes.list({ description: 'CentOS 6.3 (64-bit)' }))[0]?.id ?? '';
    const missing = await t.cloud.as(t.as.alice).isos.register({ name: 'missing', displayText: 'missing', url: 'http://images.example.com/missing.iso', osTypeId });
    await t.cloud.container.resolve(JobRunner).drain();
    const mine = await registerIso(t, t.as.alice, 'tools');
    const alice = t.cloud.as(t.as.alice);
    const vm = await alice.vms.deploy(deployInput(t, { name: 'web1', startVm: false }));
    const doomed = await alice.vms.deploy(deployInput(t, { name: 'web2', startVm: false }));
    await alice.vms.destroy({ id: doomed.id });
    const before = await vmFootprint(t.cloud);

    await refused(() => alice.vms.attachIso({ id: vm.id, isoId: bobs.id }), 431, 'isoid');
    await refused(() => alice.vms.attachIso({ id: vm.id, isoId: 'no-such-iso' }), 431, 'isoid');
    await refused(() => alice.vms.attachIso({ id: vm.id, isoId: t.template.id }), 431, 'isoid');
    const notReady = await refused(() => alice.vms.attachIso({ id: vm.id, isoId: missing.id }), 431, 'isoid');
    expect(notReady.message).toContain('not ready');
    await refused(() => alice.vms.attachIso({ id: doomed.id, isoId: mine.id }), 431, 'id');
    await refused(() => alice.vms.detachIso({ id: vm.id }), 431, 'id');
    await refused(() => t.cloud.as(t.as.bob).vms.attachIso({ id: vm.id, isoId: bobs.id }), 431, 'id');

    expect(await vmFootprint(t.cloud)).toEqual(before);
  });
});
