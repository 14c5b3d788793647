import { param } from '../params/param-types.js';
import type { ApiObject } from '../response/api-value.js';
import { catalogFacts } from './catalog.js';
import { defineCommand, type AsyncPlan, type CommandContext, type CommandDeclaration } from './command.js';
import { defined } from './defined.js';
import { VM_ID_PARAMS, VM_RESPONSE_FIELDS, unsupportedParameter, vmObject } from './vm-support.js';
import { visibleVm } from './volume-support.js';

/** The `virtualmachine` fields, with the `password` a reset answers. */
const VM_WITH_PASSWORD_FIELDS = [...VM_RESPONSE_FIELDS, { name: 'password', description: 'the password (if exists) of the virtual machine', type: 'string' }] as const;

/** The VM object with `password` where 4.1's `UserVmResponse` puts it (before `nic`), when there is one. */
function withPassword(object: ApiObject, password: string | undefined): ApiObject {
  if (password === undefined) return object;
  const entries = Object.entries(object);
  const at = entries.findIndex(([key]) => key === 'nic');
  entries.splice(at < 0 ? entries.length : at, 0, ['password', password]);
  return Object.fromEntries(entries);
}

/**
 * The plan of a job that changes a VM and answers it with the password the change generated
 * (shown once, in the job result only). The VM is checked visible at accept (431).
 */
async function passwordJob(context: CommandContext, id: string, step: () => Promise<Parameters<typeof vmObject>[1] & { readonly password?: string }>): Promise<AsyncPlan> {
  await context.services.vms.get({ id });
  return {
    instanceType: 'VirtualMachine',
    instanceId: id,
    async work() {
      const vm = await step();
      return { type: 'object', object: withPassword(await vmObject(context, vm), vm.password) };
    },
  };
}

/**
 * `migrateVirtualMachine` (async, root admins only — 432 for others): live-migrates a running VM
 * to `hostid` or, without it, to a host of its cluster the planner picks; answers the VM on its
 * new host. A full target fails the job with 533 and nothing moved. `storageid` (moving a stopped
 * VM's root volume) is refused naming it: core migrates running VMs between hosts only.
 */
export const migrateVirtualMachine = defineCommand({
  ...catalogFacts('migrateVirtualMachine'),
  kind: 'async',
  objectName: 'virtualmachine',
  description: 'Attempts Migration of a VM to a different host or Root volume of the vm to a different storage pool',
  params: {
    virtualmachineid: param.uuid('the ID of the virtual machine', { required: true }),
    hostid: param.uuid('Destination Host ID to migrate VM to. Required for live migrating a VM from host to host'),
    storageid: param.uuid('Destination storage pool ID to migrate VM volumes to. Required for migrating the root disk volume'),
  },
  response: VM_RESPONSE_FIELDS,
  async start(context, params) {
    if (params.storageid !== undefined) throw unsupportedParameter('storageid', 'migrating a virtual machine\'s root volume is not supported by this cloud yet');
    await visibleVm(context, params.virtualmachineid, 'virtualmachineid');
    return {
      instanceType: 'VirtualMachine',
      instanceId: params.virtualmachineid,
      async work() {
        const vm = await context.services.vms.migrate({ vmId: params.virtualmachineid, ...defined({ hostId: params.hostid }) });
        return { type: 'object', object: await vmObject(context, vm) };
      },
    };
  },
});

/** `changeServiceForVirtualMachine` (sync, everyone): a stopped VM takes another service offering's CPU, memory and HA. */
export const changeServiceForVirtualMachine = defineCommand({
  ...catalogFacts('changeServiceForVirtualMachine'),
  kind: 'sync',
  objectName: 'virtualmachine',
  description: 'Changes the service offering for a virtual machine. The virtual machine must be in a "Stopped" state for this command to take effect.',
  params: { ...VM_ID_PARAMS, serviceofferingid: param.uuid('the service offering ID to apply to the virtual machine', { required: true }) },
  response: VM_RESPONSE_FIELDS,
  async execute(context, params) {
    const vm = await context.services.vms.changeServiceOffering({ id: params.id, serviceOfferingId: params.serviceofferingid });
    return { type: 'object', object: await vmObject(context, vm) };
  },
});

/**
 * `resetPasswordForVirtualMachine` (async, everyone): a stopped VM of a password-enabled
 * template gets a new password, handed to the guest at its next start; the job result's VM
 * carries it as `password` (the only time it is shown).
 */
export const resetPasswordForVirtualMachine = defineCommand({
  ...catalogFacts('resetPasswordForVirtualMachine'),
  kind: 'async',
  objectName: 'virtualmachine',
  description: 'Resets the password for virtual machine. The virtual machine must be in a "Stopped" state and the template must already support this feature for this command to take effect.',
  params: VM_ID_PARAMS,
  response: VM_WITH_PASSWORD_FIELDS,
  async start(context, params) {
    return passwordJob(context, params.id, () => context.services.vms.resetPassword({ id: params.id }));
  },
});

/**
 * `resetSSHKeyForVirtualMachine` (async, everyone): a stopped VM gets another key pair of its
 * owner (`keypair`), injected at its next start; a password-enabled VM also gets a new password,
 * shown in the job result. `account`, `domainid` and `projectid` (a key pair of another owner)
 * are refused naming them: core takes the key pair from the VM's owner.
 */
export const resetSSHKeyForVirtualMachine = defineCommand({
  ...catalogFacts('resetSSHKeyForVirtualMachine'),
  kind: 'async',
  objectName: 'virtualmachine',
  description: 'Resets the SSH Key for virtual machine. The virtual machine must be in a "Stopped" state.',
  params: {
    ...VM_ID_PARAMS,
    keypair: param.string('name of the ssh key pair used to login to the virtual machine', { required: true }),
    account: param.string('an optional account for the ssh key. Must be used with domainId.'),
    domainid: param.uuid('an optional domainId for the virtual machine. If the account parameter is used, domainId must also be used.'),
    projectid: param.uuid('an optional project for the ssh key'),
  },
  response: VM_WITH_PASSWORD_FIELDS,
  async start(context, params) {
    for (const name of ['account', 'domainid', 'projectid'] as const) {
      if (params[name] !== undefined) throw unsupportedParameter(name, 'a key pair of another owner than the virtual machine\'s is not supported by this cloud yet');
    }
    return passwordJob(context, params.id, () => context.services.vms.resetSshKey({ id: params.id, keyPair: params.keypair }));
  },
});

/** The VM operations: migrate, change service offering, reset password and reset SSH key. */
export const VM_OPERATION_COMMANDS: readonly CommandDeclaration[] = [migrateVirtualMachine, changeServiceForVirtualMachine, resetPasswordForVirtualMachine, resetSSHKeyForVirtualMachine];
