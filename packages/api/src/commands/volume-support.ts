import { ErrorCode, isCloudError, notFound, type VmView, type VolumeView } from '@cloudstack-sdk/core';
import type { ApiObject } from '../response/api-value.js';
import { VolumeLookup, volumeView } from '../response/volume-views.js';
import type { AsyncPlan, CommandContext, ResponseFieldDoc } from './command.js';

/** The fields of a `volume` reply object, for `listApis`. */
export const VOLUME_RESPONSE_FIELDS: readonly ResponseFieldDoc[] = [
  { name: 'id', description: 'ID of the disk volume', type: 'string' },
  { name: 'name', description: 'name of the disk volume', type: 'string' },
  { name: 'zoneid', description: 'ID of the availability zone', type: 'string' },
  { name: 'zonename', description: 'name of the availability zone', type: 'string' },
  { name: 'type', description: 'type of the disk volume (ROOT or DATADISK)', type: 'string' },
  { name: 'deviceid', description: 'the ID of the device on user vm the volume is attahed to. This tag is not returned when the volume is detached.', type: 'long' },
  { name: 'virtualmachineid', description: 'id of the virtual machine', type: 'string' },
  { name: 'vmname', description: 'name of the virtual machine', type: 'string' },
  { name: 'vmdisplayname', description: 'display name of the virtual machine', type: 'string' },
  { name: 'vmstate', description: 'state of the virtual machine', type: 'string' },
  { name: 'size', description: 'size of the disk volume', type: 'long' },
  { name: 'created', description: 'the date the disk volume was created', type: 'date' },
  { name: 'state', description: 'the state of the disk volume', type: 'string' },
  { name: 'account', description: 'the account associated with the disk volume', type: 'string' },
  { name: 'domainid', description: 'the ID of the domain associated with the disk volume', type: 'string' },
  { name: 'domain', description: 'the domain associated with the disk volume', type: 'string' },
  { name: 'storagetype', description: 'shared or local storage', type: 'string' },
  { name: 'hypervisor', description: 'Hypervisor the volume belongs to', type: 'string' },
  { name: 'diskofferingid', description: 'ID of the disk offering', type: 'string' },
  { name: 'diskofferingname', description: 'name of the disk offering', type: 'string' },
  { name: 'diskofferingdisplaytext', description: 'the display text of the disk offering', type: 'string' },
  { name: 'storage', description: 'name of the primary storage hosting the disk volume', type: 'string' },
  { name: 'snapshotid', description: 'ID of the snapshot from which this volume was created', type: 'string' },
  { name: 'attached', description: 'the date the volume was attached to a VM instance', type: 'date' },
  { name: 'destroyed', description: 'the boolean state of whether the volume is destroyed or not', type: 'boolean' },
  { name: 'serviceofferingid', description: 'ID of the service offering for root disk', type: 'string' },
  { name: 'serviceofferingname', description: 'name of the service offering for root disk', type: 'string' },
  { name: 'serviceofferingdisplaytext', description: 'the display text of the service offering for root disk', type: 'string' },
  { name: 'isextractable', description: 'true if the volume is extractable, false otherwise', type: 'boolean' },
  { name: 'jobid', description: 'shows the current pending asynchronous job ID. This tag is not returned if no current pending jobs are acting on the volume', type: 'string' },
  { name: 'jobstatus', description: 'shows the current pending asynchronous job status', type: 'integer' },
];

/** A volume as the reply object of a command run by the context's caller. */
export function volumeObject(context: CommandContext, volume: VolumeView): Promise<ApiObject> {
  return volumeView(volume, new VolumeLookup(context.cloud), context.caller, context.formatDate);
}

/**
 * The plan of an async volume command: the volume (checked visible at accept, 431 naming
 * `param` otherwise, as 4.1 resolves ids before queuing) is the job's instance; the job runs
 * `step` and answers the volume it returns. A core refusal inside the step fails the job.
 */
export async function volumeJob(context: CommandContext, id: string, param: string, step: () => Promise<VolumeView>): Promise<AsyncPlan> {
  await visibleVolume(context, id, param);
  return {
    instanceType: 'Volume',
    instanceId: id,
    async work() {
      return { type: 'object', object: await volumeObject(context, await step()) };
    },
  };
}

/** The VM, checked visible to the caller at accept: 431 naming `param` otherwise. */
export function visibleVm(context: CommandContext, id: string, param: string): Promise<VmView> {
  return visible(() => context.services.vms.get({ id }), 'virtual machine', param, id);
}

/** The volume, checked visible to the caller at accept: 431 naming `param` otherwise. */
export function visibleVolume(context: CommandContext, id: string, param: string): Promise<VolumeView> {
  return visible(() => context.services.volumes.get({ id }), 'volume', param, id);
}

/** Runs a lookup; its "not found" (431) is re-raised naming the command's own parameter. */
async function visible<T>(lookup: () => Promise<T>, entity: string, param: string, id: string): Promise<T> {
  try {
    return await lookup();
  } catch (error) {
    if (isCloudError(error, ErrorCode.PARAM_ERROR)) throw notFound(entity, param, id);
    throw error;
  }
}
