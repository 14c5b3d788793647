import { CloudError, ErrorCode, type VmView } from '@cloudstack-sdk/core';
import { param } from '../params/param-types.js';
import type { ApiObject } from '../response/api-value.js';
import { vmViews } from '../response/vm-views.js';
import type { AsyncPlan, CommandContext } from './command.js';

/** The `id` parameter of the VM commands. */
export const VM_ID_PARAMS = { id: param.uuid('The ID of the virtual machine', { required: true }) } as const;

/** The fields of a `virtualmachine` reply object, for `listApis`. */
export const VM_RESPONSE_FIELDS = [
  { name: 'id', description: 'the ID of the virtual machine', type: 'string' },
  { name: 'name', description: 'the name of the virtual machine', type: 'string' },
  { name: 'displayname', description: 'user generated name. The name of the virtual machine is returned if no displayname exists.', type: 'string' },
  { name: 'account', description: 'the account associated with the virtual machine', type: 'string' },
  { name: 'domainid', description: 'the ID of the domain in which the virtual machine exists', type: 'string' },
  { name: 'domain', description: 'the name of the domain in which the virtual machine exists', type: 'string' },
  { name: 'created', description: 'the date when this virtual machine was created', type: 'date' },
  { name: 'state', description: 'the state of the virtual machine', type: 'string' },
  { name: 'haenable', description: 'true if high-availability is enabled, false otherwise', type: 'boolean' },
  { name: 'group', description: 'the group name of the virtual machine', type: 'string' },
  { name: 'zoneid', description: 'the ID of the availablility zone for the virtual machine', type: 'string' },
  { name: 'zonename', description: 'the name of the availability zone for the virtual machine', type: 'string' },
  { name: 'hostid', description: 'the ID of the host for the virtual machine', type: 'string' },
  { name: 'hostname', description: 'the name of the host for the virtual machine', type: 'string' },
  { name: 'templateid', description: 'the ID of the template for the virtual machine', type: 'string' },
  { name: 'templatename', description: 'the name of the template for the virtual machine', type: 'string' },
  { name: 'templatedisplaytext', description: 'an alternate display text of the template for the virtual machine', type: 'string' },
  { name: 'passwordenabled', description: 'true if the password rest feature is enabled, false otherwise', type: 'boolean' },
  { name: 'isoid', description: 'the ID of the ISO attached to the virtual machine', type: 'string' },
  { name: 'isoname', description: 'the name of the ISO attached to the virtual machine', type: 'string' },
  { name: 'isodisplaytext', description: 'an alternate display text of the ISO attached to the virtual machine', type: 'string' },
  { name: 'serviceofferingid', description: 'the ID of the service offering of the virtual machine', type: 'string' },
  { name: 'serviceofferingname', description: 'the name of the service offering of the virtual machine', type: 'string' },
  { name: 'cpunumber', description: 'the number of cpu this virtual machine is running with', type: 'integer' },
  { name: 'cpuspeed', description: 'the speed of each cpu', type: 'integer' },
  { name: 'memory', description: 'the memory allocated for the virtual machine', type: 'integer' },
  { name: 'guestosid', description: 'Os type ID of the virtual machine', type: 'string' },
  { name: 'nic', description: 'the list of nics associated with vm', type: 'set' },
  { name: 'hypervisor', description: 'the hypervisor on which the template runs', type: 'string' },
  { name: 'instancename', description: 'instance name of the user vm; this parameter is returned to the ROOT admin only', type: 'string' },
  { name: 'keypair', description: 'ssh key-pair', type: 'string' },
  { name: 'jobid', description: 'shows the current pending asynchronous job ID. This tag is not returned if no current pending jobs are acting on the virtual machine', type: 'string' },
  { name: 'jobstatus', description: 'shows the current pending asynchronous job status', type: 'integer' },
] as const;

/**
 * A VM as the reply object of a command run by the context's caller (a job's result or a sync
 * reply: no pending job is shown, the job answering being the one that would be).
 */
export async function vmObject(context: CommandContext, vm: VmView): Promise<ApiObject> {
  const [object] = await vmViews(context.cloud, [vm], context.caller, context.formatDate, { pendingJobs: false });
  if (object === undefined) throw new Error(`no view of virtual machine ${vm.id}`);
  return object;
}

/**
 * The plan of an async VM command: the VM (checked visible at accept, 431 otherwise, as 4.1
 * resolves the `id` before queuing) is the job's instance; the job runs `step` and answers the
 * VM it returns. A core refusal inside the step fails the job (jobstatus 2, 530, its text).
 */
export async function vmJob(context: CommandContext, id: string, step: () => Promise<VmView>): Promise<AsyncPlan> {
  await context.services.vms.get({ id });
  return {
    instanceType: 'VirtualMachine',
    instanceId: id,
    async work() {
      return { type: 'object', object: await vmObject(context, await step()) };
    },
  };
}

/** A 431 for a 4.1 parameter core cannot honour yet, naming it (rather than silently ignoring it). */
export function unsupportedParameter(name: string, reason: string): CloudError {
  return new CloudError(ErrorCode.PARAM_ERROR, `Invalid parameter ${name}: ${reason}`, { param: name });
}
