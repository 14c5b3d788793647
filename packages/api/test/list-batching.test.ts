import type { CallContext } from '@cloudstack-sdk/core';
import { describe, expect, it } from 'vitest';
import { deployInput } from '../../core/test/vms/vm-fixtures.js';
import { call } from './support/core-api.js';
import { countStoreReads } from './support/store-reads.js';
import { vmApi, type VmApiFixture } from './support/vm-api.js';

type Row = Record<string, unknown>;

/** Deploys a Running VM with a data disk for each of `owners`. */
async function deployFor(f: VmApiFixture, owners: readonly CallContext[], offeringId: string, tag: string): Promise<void> {
  for (const [i, owner] of owners.entries()) {
    const services = f.t.cloud.as(owner);
    const vm = await services.vms.deploy(deployInput(f.t, { name: `vm-${tag}-${i}` }));
    const disk = await services.volumes.create({ name: `data-${tag}-${i}`, zoneId: f.t.zone.id, diskOfferingId: offeringId });
    await services.volumes.attach({ id: disk.id, virtualMachineId: vm.id });
  }
}

/**
 * What one admin list request asks of the store, and its rows. A first request runs unmeasured:
 * core's volume list moves a ROOT volume its VM has placed to `Ready` the first time it lists it
 * (a one-off read per new ROOT volume), which is not the reply's per-row work.
 */
async function measured(f: VmApiFixture, counts: ReturnType<typeof countStoreReads>, command: string, key: string) {
  expect((await call(f.api, f.admin, { command, listall: 'true' })).status).toBe(200);
  counts.transactions = 0;
  counts.reads = 0;
  const reply = await call(f.api, f.admin, { command, listall: 'true' });
  expect(reply.status).toBe(200);
  return { transactions: counts.transactions, reads: counts.reads, rows: reply.body[key] as Row[] };
}

describe('list replies read the names beside ids once per page, not once per row', () => {
  it('listVirtualMachines and listVolumes ask the store as often for 8 rows of 3 accounts in 3 domains as for 2 rows of one', async () => {
    const f = await vmApi({ guestAddresses: 12 });
    const offering = await f.t.cloud.system.diskOfferings.create({ name: 'small-disk', displayText: 'Small disk', diskSize: 1 });
    const { alice, bob, sam } = f.t.as;
    await deployFor(f, [alice, alice], offering.id, 'a');
    const counts = countStoreReads(f.t.cloud.store);
    const vmsFew = await measured(f, counts, 'listVirtualMachines', 'virtualmachine');
    const volumesFew = await measured(f, counts, 'listVolumes', 'volume');
    await deployFor(f, [bob, sam, bob, sam, alice, bob], offering.id, 'b');
    const vmsMany = await measured(f, counts, 'listVirtualMachines', 'virtualmachine');
    const volumesMany = await measured(f, counts, 'listVolumes', 'volume');

    expect([vmsFew.rows.length, vmsMany.rows.length, volumesFew.rows.length, volumesMany.rows.length]).toEqual([2, 8, 4, 16]);
    expect({ transactions: vmsMany.transactions, reads: vmsMany.reads }).toEqual({ transactions: vmsFew.transactions, reads: vmsFew.reads });
    expect({ transactions: volumesMany.transactions, reads: volumesMany.reads }).toEqual({ transactions: volumesFew.transactions, reads: volumesFew.reads });
    // The names are there: every row names its account, domain, zone and (VMs) template, offering and host.
    for (const vm of vmsMany.rows) expect(vm).toMatchObject({ account: expect.any(String), domain: expect.any(String), zonename: 'basic', templatename: 'centos', serviceofferingname: 'small', hostname: expect.any(String) });
    for (const volume of volumesMany.rows) expect(volume).toMatchObject({ account: expect.any(String), domain: expect.any(String), zonename: 'basic', vmname: expect.any(String), storage: 'ps1' });
    expect(new Set(vmsMany.rows.map((vm) => vm.account))).toEqual(new Set(['alice', 'bob', 'sam']));
  });
});
