import { describe, expect, it } from 'vitest';
import { refused } from '../accounts/tenants.js';
import { deployInput, holdings, vmCloud, vmFootprint } from './vm-fixtures.js';

describe('VM lifecycle through cloud.as(user)', () => {
  it('deploys a VM Running with a MAC, a direct IP of the pod, host capacity and root disk bytes, and a VM.CREATE/VM.START event', async () => {
    const t = await vmCloud();
    const before = await holdings(t.cloud, t);
    const vm = await t.cloud.as(t.as.alice).vms.deploy(deployInput(t, { name: 'web1', displayName: 'Web 1', group: 'web', userData: Buffer.from('#!/bin/sh').toString('base64') }));
    expect(vm).toMatchObject({ name: 'web1', displayName: 'Web 1', group: 'web', state: 'Running', accountId: t.accounts.alice.account.id, cpuNumber: 1, cpuSpeed: 500, memory: 512, passwordEnabled: true, hypervisor: 'Simulator' });
    expect(vm.instanceName).toMatch(/^i-\d+-VM$/);
    expect(vm.nics).toHaveLength(1);
    expect(vm.nics[0]).toMatchObject({ isDefault: true, gateway: '192.168.10.1', netmask: '255.255.255.0', ipAddress: '192.168.10.100' });
    expect(vm.nics[0]!.macAddress).toMatch(/^02:00:/);
    const after = await holdings(t.cloud, t);
    const hostIndex = t.hosts.findIndex((h) => h.id === vm.hostId);
    expect(after.hosts[hostIndex]).toEqual([500, 512 * 1024 * 1024, 1]);
    expect(after.poolBytes).toBeGreaterThan(before.poolBytes);
    expect(after.guestIps.free).toBe(before.guestIps.free - 1);
    expect(after.heldMacs).toBe(1);
    const spec = t.sim.lab.vmSpec(vm.instanceName);
    expect(spec).toMatchObject({ cpuNumber: 1, cpuSpeedMhz: 500, memoryBytes: 512 * 1024 * 1024, userData: Buffer.from('#!/bin/sh').toString('base64') });
    expect(spec?.nics[0]).toMatchObject({ ipAddress: '192.168.10.100', trafficLabel: 'simbr0', macAddress: vm.nics[0]!.macAddress });
    expect(spec?.disks[0]).toMatchObject({ type: 'ROOT', poolId: t.pool.id });
    const types = (await t.cloud.as(t.as.alice).events.list({ pageSize: -1 })).items.map((e) => e.type);
    expect(types).toEqual(expect.arrayContaining(['VM.CREATE', 'VM.START']));
  });

  it('gives the guest the SSH public key of the named key pair', async () => {
    const t = await vmCloud();
    const pair = await t.cloud.as(t.as.alice).sshKeyPairs.create({ name: 'k1' });
    const vm = await t.cloud.as(t.as.alice).vms.deploy(deployInput(t, { keyPair: 'k1' }));
    expect(vm.keyPair).toBe('k1');
    expect(t.sim.lab.vmSpec(vm.instanceName)?.sshPublicKey).toBe(pair.publicKey);
  });

  it('stops (clean and forced), starts, reboots, destroys, recovers and expunges, releasing what each step should', async () => {
    const t = await vmCloud();
    const alice = t.cloud.as(t.as.alice);
    const empty = await holdings(t.cloud, t);
    const vm = await alice.vms.deploy(deployInput(t, { name: 'app' }));
    const running = await holdings(t.cloud, t);

    const stopped = await alice.vms.stop({ id: vm.id });
    expect(stopped).toMatchObject({ state: 'Stopped' });
    expect(stopped.hostId).toBeUndefined();
    expect(stopped.nics[0]?.ipAddress).toBeUndefined();
    const whileStopped = await holdings(t.cloud, t);
    expect(whileStopped.hosts).toEqual(empty.hosts);
    expect(whileStopped.guestIps).toEqual(empty.guestIps);
    expect(whileStopped.poolBytes).toBe(running.poolBytes);
    expect(whileStopped.heldMacs).toBe(1);
    expect(t.sim.lab.hostOfVm(vm.instanceName)?.vms.get(vm.instanceName)).toBe('Stopped');

    const started = await alice.vms.start({ id: vm.id });
    expect(started.state).toBe('Running');
    expect(started.nics[0]?.macAddress).toBe(vm.nics[0]?.macAddress);
    expect((await holdings(t.cloud, t)).poolBytes).toBe(running.poolBytes);
    expect((await alice.vms.reboot({ id: vm.id })).state).toBe('Running');
    expect((await alice.vms.stop({ id: vm.id, forced: true })).state).toBe('Stopped');
    await alice.vms.start({ id: vm.id });

    const destroyed = await alice.vms.destroy({ id: vm.id });
    expect(destroyed.state).toBe('Destroyed');
    expect(await t.cloud.as(t.as.alice).vms.list()).toMatchObject({ total: 0 });
    await refused(() => alice.vms.get({ id: vm.id }), 431, 'id');
    await refused(() => alice.vms.recover({ id: vm.id }), 531);
    const recovered = await t.cloud.system.vms.recover({ id: vm.id });
    expect(recovered.state).toBe('Stopped');
    await alice.vms.destroy({ id: vm.id });

    await t.cloud.system.vms.expunge({ id: vm.id });
    expect((await t.cloud.system.vms.list({ listAll: true })).total).toBe(0);
    expect(await holdings(t.cloud, t)).toEqual({ ...empty, heldMacs: 0 });
    expect(t.sim.lab.hostOfVm(vm.instanceName)).toBeUndefined();
    const types = (await t.cloud.system.events.list({ pageSize: -1, listAll: true })).items.map((e) => e.type);
    expect(types).toEqual(expect.arrayContaining(['VM.STOP', 'VM.REBOOT', 'VM.DESTROY', 'VM.RECOVER', 'VM.EXPUNGE']));
  });

  it('the expunge sweep expunges destroyed VMs only once expunge.delay has passed', async () => {
    const t = await vmCloud();
    const alice = t.cloud.as(t.as.alice);
    const vm = await alice.vms.deploy(deployInput(t));
    await alice.vms.destroy({ id: vm.id });
    const { VmRemoval } = await import('../../src/index.js');
    const sweeper = t.cloud.container.resolve(VmRemoval);
    expect(await sweeper.expungeDue()).toBe(0);
    t.cloud.clock.advance(86_400_000);
    expect(await sweeper.expungeDue()).toBe(1);
    expect(await t.cloud.store.transaction((tx) => tx.repo('vms').get(vm.id))).toBeUndefined();
  });

  it('updates display name, group and HA flag', async () => {
    const t = await vmCloud();
    const vm = await t.cloud.as(t.as.alice).vms.deploy(deployInput(t, { startVm: false }));
    expect(vm.state).toBe('Stopped');
    const updated = await t.cloud.as(t.as.alice).vms.update({ id: vm.id, displayName: 'renamed', group: 'g2', haEnable: true });
    expect(updated).toMatchObject({ displayName: 'renamed', group: 'g2', haEnable: true });
    expect((await t.cloud.as(t.as.alice).vms.list({ groupName: 'g2' })).items.map((v) => v.id)).toEqual([vm.id]);
  });

  it('refused transitions leave the store untouched', async () => {
    const t = await vmCloud();
    const alice = t.cloud.as(t.as.alice);
    const vm = await alice.vms.deploy(deployInput(t));
    const stoppedVm = await alice.vms.deploy(deployInput(t, { startVm: false }));
    const before = await vmFootprint(t.cloud);
    await refused(() => alice.vms.start({ id: vm.id }), 431, 'id');
    await refused(() => alice.vms.stop({ id: stoppedVm.id }), 431, 'id');
    await refused(() => alice.vms.reboot({ id: stoppedVm.id }), 432, 'id');
    await refused(() => alice.vms.expunge({ id: vm.id }), 531);
    await refused(() => t.cloud.system.vms.expunge({ id: vm.id }), 432, 'id');
    await refused(() => t.cloud.system.vms.recover({ id: vm.id }), 432, 'id');
    await refused(() => alice.vms.start({ id: vm.id, hostId: t.hosts[0]!.id }), 531, 'hostid');
    expect(await vmFootprint(t.cloud)).toBe(before);
  });

  it('refuses bad deployments with the parameter at fault, leaving nothing behind', async () => {
    const t = await vmCloud();
    const alice = t.cloud.as(t.as.alice);
    const before = await vmFootprint(t.cloud);
    await refused(() => alice.vms.deploy(deployInput(t, { zoneId: 'nope' })), 431, 'zoneid');
    await refused(() => alice.vms.deploy(deployInput(t, { templateId: 'nope' })), 431, 'templateid');
    await refused(() => alice.vms.deploy(deployInput(t, { serviceOfferingId: 'nope' })), 431, 'serviceofferingid');
    await refused(() => alice.vms.deploy(deployInput(t, { keyPair: 'missing' })), 431, 'keypair');
    await refused(() => alice.vms.deploy(deployInput(t, { name: '9bad' })), 431, 'name');
    await refused(() => alice.vms.deploy(deployInput(t, { userData: Buffer.alloc(32 * 1024 + 1).toString('base64') })), 431, 'userdata');
    await refused(() => alice.vms.deploy(deployInput(t, { hostId: t.hosts[0]!.id })), 531, 'hostid');
    expect(await vmFootprint(t.cloud)).toBe(before);
    await alice.vms.deploy(deployInput(t, { userData: Buffer.alloc(32 * 1024).toString('base64') }));
  });

  it('a basic zone takes no networkids or ipaddress: its VMs are on the zone\'s direct network', async () => {
    const t = await vmCloud();
    const before = await vmFootprint(t.cloud);
    await refused(() => t.cloud.as(t.as.alice).vms.deploy(deployInput(t, { networkIds: ['any'] })), 431, 'networkids');
    await refused(() => t.cloud.as(t.as.alice).vms.deploy(deployInput(t, { ipAddress: '192.168.10.150' })), 431, 'ipaddress');
    expect(await vmFootprint(t.cloud)).toBe(before);
  });

  it('reads another tenant\'s VM as not found, and lists only what the caller may see', async () => {
    const t = await vmCloud();
    const vm = await t.cloud.as(t.as.alice).vms.deploy(deployInput(t));
    const bob = t.cloud.as(t.as.bob);
    await refused(() => bob.vms.get({ id: vm.id }), 431, 'id');
    await refused(() => bob.vms.stop({ id: vm.id }), 431, 'id');
    await refused(() => bob.vms.destroy({ id: vm.id }), 431, 'id');
    await refused(() => t.cloud.as(t.as.admin2).vms.get({ id: vm.id }), 431, 'id');
    expect((await bob.vms.list()).total).toBe(0);
    expect((await t.cloud.as(t.as.admin1).vms.list({ listAll: true })).items.map((v) => v.id)).toEqual([vm.id]);
    expect((await t.cloud.as(t.as.admin1).vms.get({ id: vm.id })).id).toBe(vm.id);
    expect((await t.cloud.as(t.as.alice).vms.get({ id: vm.id })).state).toBe('Running');
  });

  it('533 names what was short when no host can take the VM, and claims nothing', async () => {
    const t = await vmCloud({ hosts: 1 });
    const big = await t.cloud.system.serviceOfferings.create({ name: 'huge', displayText: 'Huge', cpuNumber: 1, cpuSpeed: 500, memory: 64 * 1024 });
    const before = await vmFootprint(t.cloud);
    const error = await refused(() => t.cloud.as(t.as.alice).vms.deploy(deployInput(t, { serviceOfferingId: big.id })), 533);
    expect(error.message).toMatch(/memory|MB/);
    expect(await vmFootprint(t.cloud)).toBe(before);
  });

  it('533 when the pod has no free direct guest address', async () => {
    const t = await vmCloud({ guestAddresses: 1 });
    await t.cloud.as(t.as.alice).vms.deploy(deployInput(t));
    const error = await refused(() => t.cloud.as(t.as.alice).vms.deploy(deployInput(t)), 533);
    expect(error.message).toMatch(/guest IP/);
  });

  it('host deletion is refused while a VM holds the host', async () => {
    const t = await vmCloud({ hosts: 1 });
    await t.cloud.as(t.as.alice).vms.deploy(deployInput(t));
    const error = await t.cloud.system.hosts.delete({ id: t.hosts[0]!.id }).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
  });

  it('deleting an account expunges its VMs and releases what they held', async () => {
    const t = await vmCloud();
    const empty = await holdings(t.cloud, t);
    await t.cloud.as(t.as.bob).vms.deploy(deployInput(t));
    await t.cloud.as(t.as.bob).vms.deploy(deployInput(t, { startVm: false }));
    await t.cloud.system.accounts.delete({ id: t.accounts.bob.account.id });
    const { JobRunner } = await import('../../src/index.js');
    await t.cloud.container.resolve(JobRunner).drain();
    expect(await t.cloud.store.transaction((tx) => tx.repo('vms').count())).toBe(0);
    expect(await holdings(t.cloud, t)).toEqual(empty);
  });
});
