import { CloudError } from '@cloudstack-sdk/core';
import { param } from '../params/param-types.js';
import { catalogFacts } from './catalog.js';
import { defineCommand, type AsyncPlan, type CommandContext, type CommandDeclaration } from './command.js';
import { defined } from './defined.js';
import { VM_RESPONSE_FIELDS, vmObject } from './vm-support.js';

/** A not-found VM named as `virtualmachineid`, the parameter these commands take. */
function renamed(error: unknown): unknown {
  if (error instanceof CloudError && error.param === 'id') return new CloudError(error.code, error.message.replace('id', 'virtualmachineid'), { param: 'virtualmachineid' });
  return error;
}

/**
 * The plan of a job changing a VM's NICs: the VM is checked visible at accept (431 naming
 * `virtualmachineid`), the change runs in the job and answers the VM with its NICs.
 */
async function nicJob(context: CommandContext, vmId: string, step: () => ReturnType<CommandContext['services']['vmNics']['add']>): Promise<AsyncPlan> {
  await context.services.vms.get({ id: vmId }).catch((error: unknown) => {
    throw renamed(error);
  });
  return {
    instanceType: 'VirtualMachine',
    instanceId: vmId,
    async work() {
      return { type: 'object', object: await vmObject(context, await step()) };
    },
  };
}

/** `addNicToVirtualMachine` (async): a NIC on another guest network of the zone the owner may use, hot-plugged into a running VM. */
export const addNicToVirtualMachine = defineCommand({
  ...catalogFacts('addNicToVirtualMachine'),
  kind: 'async',
  objectName: 'virtualmachine',
  description: 'Adds VM to specified network by creating a NIC',
  params: {
    virtualmachineid: param.uuid('Virtual Machine ID', { required: true }),
    networkid: param.uuid('Network ID', { required: true }),
    ipaddress: param.string('IP Address for the new network'),
  },
  response: VM_RESPONSE_FIELDS,
  async start(context, params) {
    return nicJob(context, params.virtualmachineid, () => context.services.vmNics.add({ virtualMachineId: params.virtualmachineid, networkId: params.networkid, ...defined({ ipAddress: params.ipaddress }) }));
  },
});

/** `removeNicFromVirtualMachine` (async): a NIC that is not the VM's default. */
export const removeNicFromVirtualMachine = defineCommand({
  ...catalogFacts('removeNicFromVirtualMachine'),
  kind: 'async',
  objectName: 'virtualmachine',
  description: 'Removes VM from specified network by deleting a NIC',
  params: {
    virtualmachineid: param.uuid('Virtual Machine ID', { required: true }),
    nicid: param.uuid('NIC ID', { required: true }),
  },
  response: VM_RESPONSE_FIELDS,
  async start(context, params) {
    return nicJob(context, params.virtualmachineid, () => context.services.vmNics.remove({ virtualMachineId: params.virtualmachineid, nicId: params.nicid }));
  },
});

/** `updateDefaultNicForVirtualMachine` (async): another NIC becomes the VM's default. */
export const updateDefaultNicForVirtualMachine = defineCommand({
  ...catalogFacts('updateDefaultNicForVirtualMachine'),
  kind: 'async',
  objectName: 'virtualmachine',
  description: 'Changes the default NIC on a VM',
  params: {
    virtualmachineid: param.uuid('Virtual Machine ID', { required: true }),
    nicid: param.uuid('NIC ID', { required: true }),
  },
  response: VM_RESPONSE_FIELDS,
  async start(context, params) {
    return nicJob(context, params.virtualmachineid, () => context.services.vmNics.makeDefault({ virtualMachineId: params.virtualmachineid, nicId: params.nicid }));
  },
});

/** The NIC commands of VMs on several guest networks (guide 13.6). */
export const VM_NIC_COMMANDS: readonly CommandDeclaration[] = [addNicToVirtualMachine, removeNicFromVirtualMachine, updateDefaultNicForVirtualMachine];
