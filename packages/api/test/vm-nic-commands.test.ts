import { describe, expect, it } from 'vitest';
import { call } from './support/core-api.js';
import { deployVm, job, networkApi, type Row } from './support/network-api.js';

describe('NIC commands (several guest networks per VM)', () => {
  it('addNicToVirtualMachine, updateDefaultNicForVirtualMachine and removeNicFromVirtualMachine answer the VM with its NICs', async () => {
    const f = await networkApi();
    const front = await f.t.cloud.as(f.t.as.alice).networks.create({ name: 'front', displayText: 'front', networkOfferingId: f.t.isolatedOffering.id, zoneId: f.t.zone.id });
    const back = await f.t.cloud.as(f.t.as.alice).networks.create({ name: 'back', displayText: 'back', networkOfferingId: f.t.isolatedOffering.id, zoneId: f.t.zone.id, gateway: '10.9.0.1', netmask: '255.255.255.0' });
    const { id } = await deployVm(f, f.alice, { networkids: front.id, name: 'web1' });
    const added = await job(f, f.alice, { command: 'addNicToVirtualMachine', virtualmachineid: id, networkid: back.id, ipaddress: '10.9.0.20' });
    expect(added.result.jobstatus).toBe(1);
    const nics = ((added.result.jobresult as { virtualmachine: Row }).virtualmachine.nic as Row[]).map((n) => [n.networkid, n.ipaddress, n.isdefault]);
    expect(nics).toEqual([
      [front.id, '10.1.1.2', true],
      [back.id, '10.9.0.20', false],
    ]);
    const second = ((added.result.jobresult as { virtualmachine: Row }).virtualmachine.nic as Row[])[1];
    const moved = await job(f, f.alice, { command: 'updateDefaultNicForVirtualMachine', virtualmachineid: id, nicid: String(second?.id) });
    expect(((moved.result.jobresult as { virtualmachine: Row }).virtualmachine.nic as Row[]).find((n) => n.isdefault === true)?.id).toBe(second?.id);
    const first = ((moved.result.jobresult as { virtualmachine: Row }).virtualmachine.nic as Row[]).find((n) => n.networkid === front.id);
    const removed = await job(f, f.alice, { command: 'removeNicFromVirtualMachine', virtualmachineid: id, nicid: String(first?.id) });
    expect(((removed.result.jobresult as { virtualmachine: Row }).virtualmachine.nic as Row[]).map((n) => n.networkid)).toEqual([back.id]);
  });

  it("another tenant's VM reads as not found at accept (431 virtualmachineid), and removing the default NIC fails the job with 431", async () => {
    const f = await networkApi();
    const { id, vm } = await deployVm(f, f.alice, { name: 'web1' });
    const foreign = await call(f.api, f.bob, { command: 'addNicToVirtualMachine', virtualmachineid: id, networkid: String((vm.nic as Row[])[0]?.networkid) });
    expect(foreign.status).toBe(431);
    expect(JSON.stringify(foreign.body)).toMatch(/virtualmachineid/);
    const failed = await job(f, f.alice, { command: 'removeNicFromVirtualMachine', virtualmachineid: id, nicid: String((vm.nic as Row[])[0]?.id) });
    expect(failed.result).toMatchObject({ jobstatus: 2, jobresult: { errorcode: 431 } });
  });
});
