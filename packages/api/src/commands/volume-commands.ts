import { invalidParameter, missingParameter } from '@cloudstack-sdk/core';
import { param } from '../params/param-types.js';
import { catalogFacts } from './catalog.js';
import { defineCommand, type CommandContext, type CommandDeclaration } from './command.js';
import { defined } from './defined.js';
import { unsupportedParameter } from './vm-support.js';
import { listVolumes } from './volume-list-command.js';
import { VOLUME_RESPONSE_FIELDS, visibleVm, volumeJob, volumeObject } from './volume-support.js';

/**
 * `createVolume` (async-create, everyone; Libcloud's `create_volume`). As in 4.1 the volume row
 * exists before the accept reply `{id, jobid}`: core records it `Allocated` (zone, disk
 * offering, custom size, snapshot and the `volume` limit are checked then — 431 / 532 leave
 * nothing behind); it takes no bytes on any pool until its first attach. The job answers
 * `{"volume":{…}}`. `projectid` is refused naming it: core has no projects.
 */
export const createVolume = defineCommand({
  ...catalogFacts('createVolume'),
  kind: 'async-create',
  objectName: 'volume',
  description: 'Creates a disk volume from a disk offering. This disk volume must still be attached to a virtual machine to make use of it.',
  params: {
    name: param.string('the name of the disk volume', { required: true }),
    zoneid: param.uuid('the ID of the availability zone'),
    diskofferingid: param.uuid('the ID of the disk offering. Either diskOfferingId or snapshotId must be passed in.'),
    size: param.long('Arbitrary volume size'),
    snapshotid: param.uuid('the snapshot ID for the disk volume. Either diskOfferingId or snapshotId must be passed in.'),
    account: param.string('the account associated with the disk volume. Must be used with the domainId parameter.'),
    domainid: param.uuid('the domain ID associated with the disk offering. If used with the account parameter returns the disk volume associated with the account for the specified domain.'),
    projectid: param.uuid('the project associated with the volume. Mutually exclusive with account parameter'),
  },
  response: VOLUME_RESPONSE_FIELDS,
  related: ['attachVolume', 'listVolumes', 'deleteVolume'],
  async start(context, params) {
    if (params.projectid !== undefined) throw unsupportedParameter('projectid', 'projects are not supported by this cloud yet');
    const created = await context.services.volumes.create({
      name: params.name,
      ...defined({ zoneId: params.zoneid, diskOfferingId: params.diskofferingid, size: params.size, snapshotId: params.snapshotid, account: params.account, domainId: params.domainid }),
    });
    return {
      instanceType: 'Volume',
      instanceId: created.id,
      async work() {
        return { type: 'object', object: await volumeObject(context, await context.services.volumes.get({ id: created.id })) };
      },
    };
  },
});

/**
 * `attachVolume` (async, everyone; Libcloud's `attach_volume`): the volume and the VM are
 * resolved at accept (431); the job places an `Allocated` volume on a pool of the VM's cluster
 * (533 when none has room), creates it and hot-plugs it into a running VM, answering the volume.
 */
export const attachVolume = defineCommand({
  ...catalogFacts('attachVolume'),
  kind: 'async',
  objectName: 'volume',
  description: 'Attaches a disk volume to a virtual machine.',
  params: {
    id: param.uuid('the ID of the disk volume', { required: true }),
    virtualmachineid: param.uuid('the ID of the virtual machine', { required: true }),
    deviceid: param.long('the ID of the device to map the volume to within the guest OS. If no deviceId is passed in, the next available deviceId will be chosen.'),
  },
  response: VOLUME_RESPONSE_FIELDS,
  async start(context, params) {
    await visibleVm(context, params.virtualmachineid, 'virtualmachineid');
    return volumeJob(context, params.id, 'id', () => context.services.volumes.attach({ id: params.id, virtualMachineId: params.virtualmachineid, ...defined({ deviceId: params.deviceid }) }));
  },
});

/** The volume `detachVolume` names: by `id`, or by `virtualmachineid` and `deviceid` together (as 4.1). */
async function detachTarget(context: CommandContext, params: { readonly id?: string; readonly virtualmachineid?: string; readonly deviceid?: number }): Promise<string> {
  if (params.id !== undefined) {
    if (params.virtualmachineid !== undefined || params.deviceid !== undefined) throw invalidParameter('id', 'give either id, or virtualmachineid and deviceid, not both');
    return params.id;
  }
  if (params.virtualmachineid === undefined) throw missingParameter('id');
  if (params.deviceid === undefined) throw missingParameter('deviceid');
  await visibleVm(context, params.virtualmachineid, 'virtualmachineid');
  const attached = await context.services.volumes.list({ virtualMachineId: params.virtualmachineid, pageSize: -1 });
  const volume = attached.items.find((v) => v.deviceId === params.deviceid);
  if (volume === undefined) throw invalidParameter('deviceid', `virtual machine ${params.virtualmachineid} has no volume on device ${params.deviceid}`);
  return volume.id;
}

/** `detachVolume` (async, everyone; Libcloud's `detach_volume`): unplugs a data volume, answering it. */
export const detachVolume = defineCommand({
  ...catalogFacts('detachVolume'),
  kind: 'async',
  objectName: 'volume',
  description: 'Detaches a disk volume from a virtual machine.',
  params: {
    id: param.uuid('the ID of the disk volume'),
    virtualmachineid: param.uuid('the ID of the virtual machine where the volume is detached from'),
    deviceid: param.long('the device ID on the virtual machine where volume is detached from'),
  },
  response: VOLUME_RESPONSE_FIELDS,
  async start(context, params) {
    const id = await detachTarget(context, params);
    return volumeJob(context, id, params.id === undefined ? 'deviceid' : 'id', () => context.services.volumes.detach({ id }));
  },
});

/**
 * `resizeVolume` (async, everyone): a data volume to a new custom `size` (GB) or another disk
 * offering's size; shrinking needs `shrinkok=true`. Refusals in the job (431, 533) leave the
 * volume and its pool's bytes as they were.
 */
export const resizeVolume = defineCommand({
  ...catalogFacts('resizeVolume'),
  kind: 'async',
  objectName: 'volume',
  description: 'Resizes a volume',
  params: {
    id: param.uuid('the ID of the disk volume', { required: true }),
    size: param.long('New volume size in G'),
    diskofferingid: param.uuid('new disk offering id'),
    shrinkok: param.boolean('Verify OK to Shrink'),
  },
  response: VOLUME_RESPONSE_FIELDS,
  async start(context, params) {
    return volumeJob(context, params.id, 'id', () => context.services.volumes.resize({ id: params.id, shrinkOk: params.shrinkok ?? false, ...defined({ size: params.size, diskOfferingId: params.diskofferingid }) }));
  },
});

/** `migrateVolume` (async, everyone): moves a detached (or stopped VM's) volume to another pool of its cluster. */
export const migrateVolume = defineCommand({
  ...catalogFacts('migrateVolume'),
  kind: 'async',
  objectName: 'volume',
  description: 'Migrate volume',
  params: {
    volumeid: param.uuid('the ID of the volume', { required: true }),
    storageid: param.uuid('destination storage pool ID to migrate the volume to', { required: true }),
  },
  response: VOLUME_RESPONSE_FIELDS,
  async start(context, params) {
    return volumeJob(context, params.volumeid, 'volumeid', () => context.services.volumes.migrate({ id: params.volumeid, storageId: params.storageid }));
  },
});

/** `deleteVolume` (sync, everyone; Libcloud's `destroy_volume`): `"success":"true"`; 536 while attached. */
export const deleteVolume = defineCommand({
  ...catalogFacts('deleteVolume'),
  kind: 'sync',
  description: 'Deletes a detached disk volume.',
  params: { id: param.uuid('The ID of the disk volume', { required: true }) },
  async execute(context, params) {
    await context.services.volumes.delete({ id: params.id });
    return { type: 'success' };
  },
});

/** The volume commands: create, attach, detach, resize, migrate, delete and list. */
export const VOLUME_COMMANDS: readonly CommandDeclaration[] = [createVolume, attachVolume, detachVolume, resizeVolume, migrateVolume, deleteVolume, listVolumes];
