import { JobRunner, type CallContext } from '@cloudstack-sdk/core';
import { describe, expect, it } from 'vitest';
import { publish } from '../../core/test/templates/fixtures.js';
import { GIB, deployInput, vmFootprint } from '../../core/test/vms/vm-fixtures.js';
import { call, callAsync } from './support/core-api.js';
import { deployParams, vmApi, type VmApiFixture } from './support/vm-api.js';

type Row = Record<string, unknown>;

/** Registers an ISO for `caller` from a freshly published image and waits for its download. */
async function registerIso(f: VmApiFixture, caller: CallContext, name: string) {
  const osTypeId = (await f.t.cloud.system.osTypes.list({ description: 'CentOS 6.3 (64-bit)' }))[0]?.id ?? '';
  const { url } = publish(f.t.sim, name, `iso image ${name}`);
  const iso = await f.t.cloud.as(caller).isos.register({ name, displayText: `${name} CD`, url, osTypeId });
  await f.t.cloud.container.resolve(JobRunner).drain();
  return iso;
}

function job(f: VmApiFixture, who: VmApiFixture['alice'], params: Record<string, string>) {
  return callAsync({ api: f.api, cloud: f.t.cloud }, who, params);
}

function vmOf(result: Record<string, unknown>): Row {
  return (result.jobresult as { virtualmachine: Row }).virtualmachine;
}

describe('attachIso and detachIso over a real core cloud', () => {
  it('attach answers the VM with isoid/isoname/isodisplaytext, listed too; detach answers it without; the second of each fails its job', async () => {
    const f = await vmApi();
    const vm = await f.t.cloud.as(f.t.as.alice).vms.deploy(deployInput(f.t, { name: 'cd-user' }));
    const iso = await registerIso(f, f.t.as.alice, 'tools');

    const attached = await job(f, f.alice, { command: 'attachIso', id: iso.id, virtualMachineId: vm.id });
    expect(Object.keys(attached.accepted)).toEqual(['jobid']);
    expect(attached.result).toMatchObject({ jobstatus: 1, jobresultcode: 0, cmd: 'attachIso' });
    const withIso = vmOf(attached.result);
    expect(withIso).toMatchObject({ id: vm.id, state: 'Running', isoid: iso.id, isoname: 'tools', isodisplaytext: 'tools CD', templatename: 'centos' });
    // 4.1's field order: the ISO fields come after passwordenabled, before the service offering.
    const keys = Object.keys(withIso);
    expect(keys.indexOf('isoid')).toBe(keys.indexOf('passwordenabled') + 1);
    expect(keys.slice(keys.indexOf('isoid'), keys.indexOf('isoid') + 4)).toEqual(['isoid', 'isoname', 'isodisplaytext', 'serviceofferingid']);
    const listed = await call(f.api, f.alice, { command: 'listVirtualMachines', id: vm.id });
    expect((listed.body.virtualmachine as Row[])[0]).toMatchObject({ isoid: iso.id, isoname: 'tools', isodisplaytext: 'tools CD' });

    const again = await job(f, f.alice, { command: 'attachIso', id: iso.id, virtualmachineid: vm.id });
    expect(again.result).toMatchObject({ jobstatus: 2, jobresultcode: 530, cmd: 'attachIso' });
    expect(String((again.result.jobresult as Row).errortext)).toMatch(/already has ISO tools attached/);

    const detached = await job(f, f.alice, { command: 'detachIso', virtualmachineid: vm.id });
    expect(detached.result).toMatchObject({ jobstatus: 1, cmd: 'detachIso' });
    const without = vmOf(detached.result);
    expect(without).toMatchObject({ id: vm.id, state: 'Running' });
    expect(without).not.toHaveProperty('isoid');
    expect(without).not.toHaveProperty('isoname');
    const twice = await job(f, f.alice, { command: 'detachIso', virtualmachineid: vm.id });
    expect(twice.result).toMatchObject({ jobstatus: 2, jobresultcode: 530 });
    expect(String((twice.result.jobresult as Row).errortext)).toMatch(/has no ISO attached/);
    expect((await f.t.cloud.system.vms.get({ id: vm.id })).isoId).toBeUndefined();
  });

  it('another tenant\'s VM is not found at accept (431, no job); another tenant\'s private ISO fails the job naming isoid and changes nothing', async () => {
    const f = await vmApi();
    const aliceVm = await f.t.cloud.as(f.t.as.alice).vms.deploy(deployInput(f.t, { name: 'alice-vm' }));
    const bobVm = await f.t.cloud.as(f.t.as.bob).vms.deploy(deployInput(f.t, { name: 'bob-vm' }));
    const iso = await registerIso(f, f.t.as.alice, 'private-cd');
    const jobsBefore = (await f.t.cloud.system.jobs.list({ listAll: true })).total;
    const refusals: [Record<string, string>, RegExp][] = [
      [{ command: 'attachIso', id: iso.id, virtualmachineid: aliceVm.id }, /virtualmachineid/],
      [{ command: 'detachIso', virtualmachineid: aliceVm.id }, /virtualmachineid/],
      [{ command: 'attachIso', virtualmachineid: bobVm.id }, /missing parameter id/],
      [{ command: 'attachIso', id: iso.id }, /missing parameter virtualmachineid/],
      [{ command: 'detachIso' }, /missing parameter virtualmachineid/],
      [{ command: 'attachIso', id: 'not-a-uuid', virtualmachineid: bobVm.id }, /id/],
    ];
    for (const [params, text] of refusals) {
      const reply = await call(f.api, f.bob, params);
      expect({ params, status: reply.status, jobid: reply.body.jobid }).toEqual({ params, status: 431, jobid: undefined });
      expect(String(reply.body.errortext)).toMatch(text);
    }
    expect((await f.t.cloud.system.jobs.list({ listAll: true })).total).toBe(jobsBefore);

    const before = await vmFootprint(f.t.cloud);
    const foreignIso = await job(f, f.bob, { command: 'attachIso', id: iso.id, virtualmachineid: bobVm.id });
    expect(foreignIso.result).toMatchObject({ jobstatus: 2, jobresultcode: 530 });
    expect(String((foreignIso.result.jobresult as Row).errortext)).toMatch(/isoid/);
    expect(await vmFootprint(f.t.cloud)).toBe(before);
  });
});

describe('deployVirtualMachine from an ISO, with a hypervisor and a disk offering', () => {
  it('boots from a bootable ISO on the named hypervisor with a blank ROOT disk of the disk offering', async () => {
    const f = await vmApi();
    const iso = await registerIso(f, f.t.as.alice, 'installer');
    const disk = await f.t.cloud.system.diskOfferings.create({ name: 'root-8', displayText: '8 GB', diskSize: 8 });
    const { accepted, result } = await job(f, f.alice, deployParams(f, { templateid: iso.id, diskofferingid: disk.id, hypervisor: 'simulator', name: 'from-iso' }));
    expect(result).toMatchObject({ jobstatus: 1, cmd: 'deployVirtualMachine' });
    expect(vmOf(result)).toMatchObject({ id: accepted.id, state: 'Running', hypervisor: 'Simulator', templateid: iso.id, templatename: 'installer', isoid: iso.id, isoname: 'installer' });
    const volumes = (await call(f.api, f.alice, { command: 'listVolumes', virtualmachineid: String(accepted.id) })).body.volume as Row[];
    expect(volumes.map((v) => [v.type, v.size, v.state])).toEqual([['ROOT', 8 * GIB, 'Ready']]);
  });

  it('from a template, diskofferingid adds a data disk once the VM runs; hypervisor may name the template\'s own', async () => {
    const f = await vmApi();
    const custom = await f.t.cloud.system.diskOfferings.create({ name: 'custom', displayText: 'Custom', customized: true });
    const { accepted, result } = await job(f, f.alice, deployParams(f, { diskofferingid: custom.id, size: '3', hypervisor: 'Simulator', name: 'with-data' }));
    expect(vmOf(result)).toMatchObject({ state: 'Running', hypervisor: 'Simulator' });
    const volumes = (await call(f.api, f.alice, { command: 'listVolumes', virtualmachineid: String(accepted.id) })).body.volume as Row[];
    expect(volumes.map((v) => [v.type, v.state]).sort()).toEqual([['DATADISK', 'Ready'], ['ROOT', 'Ready']]);
    expect(volumes.find((v) => v.type === 'DATADISK')).toMatchObject({ size: 3 * GIB, diskofferingid: custom.id });
  });

  it('an ISO without a disk offering, or on a hypervisor the zone lacks, is refused at accept, leaving nothing behind', async () => {
    const f = await vmApi();
    const iso = await registerIso(f, f.t.as.alice, 'installer');
    const disk = await f.t.cloud.system.diskOfferings.create({ name: 'root-8', displayText: '8 GB', diskSize: 8 });
    const before = await vmFootprint(f.t.cloud);
    const noDisk = await call(f.api, f.alice, deployParams(f, { templateid: iso.id }));
    expect(noDisk.status).toBe(431);
    expect(String(noDisk.body.errortext)).toMatch(/diskofferingid/);
    const noCluster = await call(f.api, f.alice, deployParams(f, { templateid: iso.id, diskofferingid: disk.id, hypervisor: 'KVM' }));
    expect(noCluster.status).toBe(431);
    expect(String(noCluster.body.errortext)).toMatch(/hypervisor/);
    expect(await vmFootprint(f.t.cloud)).toBe(before);
  });
});
