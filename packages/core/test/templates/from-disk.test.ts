import { describe, expect, it } from 'vitest';
import { usageCounterKey } from '../../src/index.js';
import { refused } from '../accounts/tenants.js';
import { deployInput, vmCloud, type VmCloud } from '../vms/vm-fixtures.js';
import { copiesOf, settle, templateFootprint } from './fixtures.js';

/** A Running VM of alice's and its ROOT volume. */
async function aliceVm(t: VmCloud) {
  const alice = t.cloud.as(t.as.alice);
  const vm = await alice.vms.deploy(deployInput(t, { name: 'web1' }));
  const [root] = (await alice.volumes.list({ virtualMachineId: vm.id, type: 'ROOT' })).items;
  if (root === undefined) throw new Error('the VM has no ROOT volume');
  return { alice, vm, root };
}

async function templateCount(t: VmCloud, accountId: string) {
  return t.cloud.store.transaction((tx) => tx.counters.get(usageCounterKey('account', accountId, 'template')));
}

async function templateUsage(t: VmCloud, templateId: string) {
  return t.cloud.store.transaction(async (tx) => (await tx.repo('usageRecords').find({ where: { resourceId: templateId } })).items.map((u) => [u.type, u.zoneId, u.size, u.accountId]));
}

async function osTypeId(t: VmCloud) {
  return (await t.cloud.system.osTypes.list({ description: 'CentOS 6.3 (64-bit)' }))[0]?.id ?? '';
}

describe('templates from snapshots and volumes (createTemplate)', () => {
  it('creates a template owned by the caller from a ROOT snapshot, writes it to secondary storage, records usage, deploys from it and deletes it', async () => {
    const t = await vmCloud();
    const { alice, root } = await aliceVm(t);
    const aliceId = t.accounts.alice.account.id;
    const snapshot = await alice.snapshots.take({ volumeId: root.id });
    const before = await templateCount(t, aliceId);
    const { template: created, job } = await alice.templates.create({ name: 'golden', displayText: 'Golden image', osTypeId: await osTypeId(t), snapshotId: snapshot.id, passwordEnabled: true });
    expect(job).toMatchObject({ command: 'createTemplate', instanceType: 'Template', instanceId: created.id, accountId: aliceId });
    expect(created).toMatchObject({ name: 'golden', accountId: aliceId, zoneId: t.zone.id, isReady: false, hypervisor: 'Simulator', format: 'QCOW2', passwordEnabled: true, isPublic: false });
    expect(await templateCount(t, aliceId)).toBe(before + 1);
    await settle(t.cloud);
    const [copy] = await copiesOf(t.cloud, created.id);
    expect(copy).toMatchObject({ state: 'DOWNLOADED', zoneId: t.zone.id, sizeBytes: snapshot.volumeSize });
    const listed = (await alice.templates.list({ templateFilter: 'self', id: created.id })).items;
    expect(listed.map((r) => [r.id, r.isReady, r.status])).toEqual([[created.id, true, 'Download Complete']]);
    expect(await templateUsage(t, created.id)).toEqual([['TEMPLATE.CREATE', t.zone.id, snapshot.volumeSize, aliceId]]);

    const vm2 = await alice.vms.deploy(deployInput(t, { name: 'web2', templateId: created.id }));
    expect(vm2).toMatchObject({ state: 'Running', templateId: created.id });

    await alice.templates.delete({ id: created.id });
    await settle(t.cloud);
    expect(await templateCount(t, aliceId)).toBe(before);
    expect(await templateUsage(t, created.id)).toEqual([
      ['TEMPLATE.CREATE', t.zone.id, snapshot.volumeSize, aliceId],
      ['TEMPLATE.DELETE', t.zone.id, snapshot.volumeSize, aliceId],
    ]);
    expect(await copiesOf(t.cloud, created.id)).toEqual([]);
  });

  it('creates a template from the ROOT volume of a stopped VM, refusing it while the VM runs', async () => {
    const t = await vmCloud();
    const { alice, vm, root } = await aliceVm(t);
    const os = await osTypeId(t);
    const before = await templateFootprint(t.cloud);
    await refused(() => alice.templates.create({ name: 'live', displayText: 'Live', osTypeId: os, volumeId: root.id }), 431, 'volumeid');
    expect(await templateFootprint(t.cloud)).toEqual(before);

    await alice.vms.stop({ id: vm.id });
    const { template: created, job } = await alice.templates.create({ name: 'from-root', displayText: 'From root', osTypeId: os, volumeId: root.id });
    expect((await alice.jobs.wait(job.id)).status).toBe(1);
    await settle(t.cloud);
    const [copy] = await copiesOf(t.cloud, created.id);
    expect(copy).toMatchObject({ state: 'DOWNLOADED', sizeBytes: root.size });
    const rows = (await alice.templates.list({ templateFilter: 'selfexecutable' })).items.filter((r) => r.id === created.id);
    expect(rows).toHaveLength(1);
    await expect(alice.vms.deploy(deployInput(t, { name: 'clone', templateId: created.id }))).resolves.toMatchObject({ state: 'Running' });
  });

  it('refuses bad sources, flags and limits with the code and parameter, leaving nothing behind', async () => {
    const t = await vmCloud();
    const { alice, root } = await aliceVm(t);
    const bob = t.cloud.as(t.as.bob);
    const os = await osTypeId(t);
    const snapshot = await alice.snapshots.take({ volumeId: root.id });
    const offering = await t.cloud.system.diskOfferings.create({ name: 'small-disk', displayText: 'Small disk', diskSize: 1 });
    const vm = await alice.vms.get({ id: root.virtualMachineId ?? '' });
    const data = await alice.volumes.attach({ id: (await alice.volumes.create({ name: 'data1', zoneId: t.zone.id, diskOfferingId: offering.id })).id, virtualMachineId: vm.id });
    await alice.vms.stop({ id: vm.id });
    const base = { name: 'x', displayText: 'x', osTypeId: os };
    const before = await templateFootprint(t.cloud);
    await refused(() => alice.templates.create(base), 431, 'snapshotid');
    await refused(() => alice.templates.create({ ...base, snapshotId: snapshot.id, volumeId: root.id }), 431, 'volumeid');
    await refused(() => alice.templates.create({ ...base, snapshotId: 'no-such-snapshot' }), 431, 'snapshotid');
    await refused(() => bob.templates.create({ ...base, snapshotId: snapshot.id }), 431, 'snapshotid');
    await refused(() => bob.templates.create({ ...base, volumeId: root.id }), 431, 'volumeid');
    await refused(() => alice.templates.create({ ...base, volumeId: data.id }), 431, 'volumeid');
    await refused(() => alice.templates.create({ ...base, osTypeId: 'no-such-os', snapshotId: snapshot.id }), 431, 'ostypeid');
    await refused(() => alice.templates.create({ ...base, snapshotId: snapshot.id, isFeatured: true }), 531, 'isfeatured');
    expect(await templateFootprint(t.cloud)).toEqual(before);

    await t.cloud.system.config.update({ name: 'allow.public.user.templates', value: 'false' });
    await t.cloud.system.resourceLimits.update({ accountId: t.accounts.alice.account.id, resourceType: 'template', max: 0 });
    const limited = await templateFootprint(t.cloud);
    await refused(() => alice.templates.create({ ...base, snapshotId: snapshot.id, isPublic: true }), 431, 'ispublic');
    await refused(() => alice.templates.create({ ...base, snapshotId: snapshot.id }), 532);
    expect(await templateFootprint(t.cloud)).toEqual(limited);
    expect(limited.templates).toBe(before.templates);
  });

  it('a failing secondary-storage write leaves the copy DOWNLOAD_ERROR with the reason, not usable for deploys', async () => {
    const t = await vmCloud();
    const { alice, root } = await aliceVm(t);
    const snapshot = await alice.snapshots.take({ volumeId: root.id });
    t.sim.lab.faults.fail('createTemplateFromDisk', undefined, 'secondary storage is full');
    const { template: created, job } = await alice.templates.create({ name: 'broken', displayText: 'Broken', osTypeId: await osTypeId(t), snapshotId: snapshot.id });
    const failed = await alice.jobs.wait(job.id);
    expect(failed.status).toBe(2);
    expect(failed.error?.message).toContain('secondary storage is full');
    await settle(t.cloud);
    const [copy] = await copiesOf(t.cloud, created.id);
    expect(copy?.state).toBe('DOWNLOAD_ERROR');
    expect(copy?.errorText).toContain('secondary storage is full');
    expect(await templateUsage(t, created.id)).toEqual([]);
    await refused(() => alice.vms.deploy(deployInput(t, { name: 'nope', templateId: created.id })), 431, 'templateid');
  });
});
