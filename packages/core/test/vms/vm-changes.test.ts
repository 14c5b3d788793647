import { describe, expect, it } from 'vitest';
import { JobRunner } from '../../src/index.js';
import { refused } from '../accounts/tenants.js';
import { publish } from '../templates/fixtures.js';
import { deployInput, GIB, holdings, vmCloud, vmFootprint } from './vm-fixtures.js';

/** Stored VM rows, as the store holds them. */
async function storedVm(t: Awaited<ReturnType<typeof vmCloud>>, id: string) {
  return t.cloud.store.transaction(async (tx) => tx.repo('vms').get(id));
}

describe('changes to a stopped VM', () => {
  it('changes the service offering while stopped; the next start runs with the new CPU and memory', async () => {
    const t = await vmCloud();
    const alice = t.cloud.as(t.as.alice);
    const medium = await t.cloud.system.serviceOfferings.create({ name: 'medium', displayText: 'Medium', cpuNumber: 2, cpuSpeed: 1000, memory: 1024, offerHa: true });
    const vm = await alice.vms.deploy(deployInput(t));
    const running = await vmFootprint(t.cloud);
    await refused(() => alice.vms.changeServiceOffering({ id: vm.id, serviceOfferingId: medium.id }), 431, 'id');
    expect(await vmFootprint(t.cloud)).toBe(running);
    await alice.vms.stop({ id: vm.id });
    const changed = await alice.vms.changeServiceOffering({ id: vm.id, serviceOfferingId: medium.id });
    expect(changed).toMatchObject({ serviceOfferingId: medium.id, cpuNumber: 2, cpuSpeed: 1000, memory: 1024, haEnable: true, state: 'Stopped' });
    const started = await alice.vms.start({ id: vm.id });
    expect(t.sim.lab.vmSpec(vm.instanceName)).toMatchObject({ cpuNumber: 2, cpuSpeedMhz: 1000, memoryBytes: GIB });
    const hostIndex = t.hosts.findIndex((h) => h.id === started.hostId);
    expect((await holdings(t.cloud, t)).hosts[hostIndex]).toEqual([2000, GIB, 1]);
    const types = (await alice.events.list({ pageSize: -1 })).items.map((e) => e.type);
    expect(types).toContain('VM.UPGRADE');
  });

  it('refuses the same offering, another storage type, an unknown offering and another tenant, changing nothing', async () => {
    const t = await vmCloud();
    const alice = t.cloud.as(t.as.alice);
    const local = await t.cloud.system.serviceOfferings.create({ name: 'local', displayText: 'Local', cpuNumber: 1, cpuSpeed: 500, memory: 512, storageType: 'local' });
    const vm = await alice.vms.deploy(deployInput(t, { startVm: false }));
    const before = await vmFootprint(t.cloud);
    await refused(() => alice.vms.changeServiceOffering({ id: vm.id, serviceOfferingId: t.offering.id }), 431, 'serviceofferingid');
    await refused(() => alice.vms.changeServiceOffering({ id: vm.id, serviceOfferingId: local.id }), 431, 'serviceofferingid');
    await refused(() => alice.vms.changeServiceOffering({ id: vm.id, serviceOfferingId: 'no-such-offering' }), 431, 'serviceofferingid');
    await refused(() => t.cloud.as(t.as.bob).vms.changeServiceOffering({ id: vm.id, serviceOfferingId: local.id }), 431, 'id');
    expect(await vmFootprint(t.cloud)).toBe(before);
  });

  it('resets the password of a stopped VM: returned once, sealed in the store, handed to the guest at the next start, then forgotten', async () => {
    const t = await vmCloud();
    const alice = t.cloud.as(t.as.alice);
    const vm = await alice.vms.deploy(deployInput(t));
    const running = await vmFootprint(t.cloud);
    await refused(() => alice.vms.resetPassword({ id: vm.id }), 431, 'id');
    expect(await vmFootprint(t.cloud)).toBe(running);
    await alice.vms.stop({ id: vm.id });
    const reset = await alice.vms.resetPassword({ id: vm.id });
    expect(reset.password).toMatch(/^[A-Za-z2-9]{6}$/);
    const password = reset.password!;
    const row = await storedVm(t, vm.id);
    expect(row?.pendingPasswordSealed).toMatch(/^sealed:/);
    expect(JSON.stringify(await vmFootprint(t.cloud))).not.toContain(password);
    expect(JSON.stringify(await alice.vms.get({ id: vm.id }))).not.toContain(password);
    await alice.vms.start({ id: vm.id });
    expect(t.sim.lab.vmSpec(vm.instanceName)?.password).toBe(password);
    expect((await storedVm(t, vm.id))?.pendingPasswordSealed).toBeUndefined();
    await alice.vms.stop({ id: vm.id });
    await alice.vms.start({ id: vm.id });
    expect(t.sim.lab.vmSpec(vm.instanceName)?.password).toBeUndefined();
    expect((await alice.events.list({ pageSize: -1 })).items.map((e) => e.type)).toContain('VM.RESETPASSWORD');
    // Two resets give two different passwords.
    await alice.vms.stop({ id: vm.id });
    const again = await alice.vms.resetPassword({ id: vm.id });
    const third = await alice.vms.resetPassword({ id: vm.id });
    expect(again.password).not.toBe(third.password);
  });

  it('refuses a password reset for a template that is not password-enabled (431), changing nothing', async () => {
    const t = await vmCloud();
    const osTypeId = (await t.cloud.system.osTypes.list({ description: 'CentOS 6.3 (64-bit)' }))[0]?.id ?? '';
    const { url } = publish(t.sim, 'plain', 'plain image bytes');
    const plain = await t.cloud.system.templates.register({ name: 'plain', displayText: 'Plain', url, format: 'QCOW2', hypervisor: 'Simulator', osTypeId, isPublic: true, passwordEnabled: false });
    await t.cloud.container.resolve(JobRunner).drain();
    const vm = await t.cloud.as(t.as.alice).vms.deploy(deployInput(t, { templateId: plain.id, startVm: false }));
    const before = await vmFootprint(t.cloud);
    const error = await refused(() => t.cloud.as(t.as.alice).vms.resetPassword({ id: vm.id }), 431, 'id');
    expect(error.message).toMatch(/not password enabled/);
    expect(await vmFootprint(t.cloud)).toBe(before);
  });

  it('resets the SSH key of a stopped VM to another key pair of its owner (with a new password for a password-enabled template)', async () => {
    const t = await vmCloud();
    const alice = t.cloud.as(t.as.alice);
    await alice.sshKeyPairs.create({ name: 'k1' });
    const k2 = await alice.sshKeyPairs.create({ name: 'k2' });
    await t.cloud.as(t.as.bob).sshKeyPairs.create({ name: 'bobs' });
    const vm = await alice.vms.deploy(deployInput(t, { keyPair: 'k1' }));
    const running = await vmFootprint(t.cloud);
    await refused(() => alice.vms.resetSshKey({ id: vm.id, keyPair: 'k2' }), 431, 'id');
    expect(await vmFootprint(t.cloud)).toBe(running);
    await alice.vms.stop({ id: vm.id });
    const stopped = await vmFootprint(t.cloud);
    await refused(() => alice.vms.resetSshKey({ id: vm.id, keyPair: 'bobs' }), 431, 'keypair');
    await refused(() => alice.vms.resetSshKey({ id: vm.id, keyPair: 'nope' }), 431, 'keypair');
    expect(await vmFootprint(t.cloud)).toBe(stopped);
    const reset = await alice.vms.resetSshKey({ id: vm.id, keyPair: 'k2' });
    expect(reset.keyPair).toBe('k2');
    expect(reset.password).toMatch(/^[A-Za-z2-9]{6}$/);
    await alice.vms.start({ id: vm.id });
    expect(t.sim.lab.vmSpec(vm.instanceName)).toMatchObject({ sshPublicKey: k2.publicKey, password: reset.password });
    expect((await alice.events.list({ pageSize: -1 })).items.map((e) => e.type)).toContain('VM.RESETSSHKEY');
  });
});
