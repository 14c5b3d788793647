import { VmState } from '@cloudstack-sdk/core';
import { param } from '../params/param-types.js';
import { vmViews } from '../response/vm-views.js';
import { catalogFacts } from './catalog.js';
import { defineCommand, type CommandDeclaration } from './command.js';
import { defined } from './defined.js';
import { PAGING_PARAMS, SCOPING_PARAMS, pagingInput, scopingInput } from './list-params.js';
import { deployVirtualMachine } from './vm-deploy-command.js';
import { vmsOnNetwork } from './vm-network-filter.js';
import { VM_ID_PARAMS, VM_RESPONSE_FIELDS, unsupportedParameter, vmJob, vmObject } from './vm-support.js';

/** `startVirtualMachine` (async, everyone; Libcloud's `ex_start`): answers the VM, `Running`; admins may name the host. */
export const startVirtualMachine = defineCommand({
  ...catalogFacts('startVirtualMachine'),
  kind: 'async',
  objectName: 'virtualmachine',
  description: 'Starts a virtual machine.',
  params: { ...VM_ID_PARAMS, hostid: param.uuid('destination Host ID to deploy the VM to - parameter available for root admin only') },
  response: VM_RESPONSE_FIELDS,
  async start(context, params) {
    return vmJob(context, params.id, () => context.services.vms.start({ id: params.id, ...defined({ hostId: params.hostid }) }));
  },
});

/** `stopVirtualMachine` (async, everyone; Libcloud's `ex_stop`): a clean shutdown, or `forced=true` to pull the plug. */
export const stopVirtualMachine = defineCommand({
  ...catalogFacts('stopVirtualMachine'),
  kind: 'async',
  objectName: 'virtualmachine',
  description: 'Stops a virtual machine.',
  params: { ...VM_ID_PARAMS, forced: param.boolean('Force stop the VM. The caller knows the VM is stopped.') },
  response: VM_RESPONSE_FIELDS,
  async start(context, params) {
    return vmJob(context, params.id, () => context.services.vms.stop({ id: params.id, forced: params.forced ?? false }));
  },
});

/** `rebootVirtualMachine` (async, everyone; Libcloud's `reboot_node`). */
export const rebootVirtualMachine = defineCommand({
  ...catalogFacts('rebootVirtualMachine'),
  kind: 'async',
  objectName: 'virtualmachine',
  description: 'Reboots a virtual machine.',
  params: VM_ID_PARAMS,
  response: VM_RESPONSE_FIELDS,
  async start(context, params) {
    return vmJob(context, params.id, () => context.services.vms.reboot({ id: params.id }));
  },
});

/** `destroyVirtualMachine` (async, everyone; Libcloud's `destroy_node`): answers the VM, `Destroyed`; expunged after `expunge.delay`. */
export const destroyVirtualMachine = defineCommand({
  ...catalogFacts('destroyVirtualMachine'),
  kind: 'async',
  objectName: 'virtualmachine',
  description: 'Destroys a virtual machine. Once destroyed, only the administrator can recover it.',
  params: VM_ID_PARAMS,
  response: VM_RESPONSE_FIELDS,
  async start(context, params) {
    return vmJob(context, params.id, () => context.services.vms.destroy({ id: params.id }));
  },
});

/** `recoverVirtualMachine` (sync, admins): a destroyed VM back to `Stopped`. */
export const recoverVirtualMachine = defineCommand({
  ...catalogFacts('recoverVirtualMachine'),
  kind: 'sync',
  objectName: 'virtualmachine',
  description: 'Recovers a virtual machine.',
  params: VM_ID_PARAMS,
  response: VM_RESPONSE_FIELDS,
  async execute(context, params) {
    return { type: 'object', object: await vmObject(context, await context.services.vms.recover({ id: params.id })) };
  },
});

/**
 * `updateVirtualMachine` (sync, everyone): display name, group (empty clears it) and HA flag.
 * `ostypeid` and `userdata` are refused naming them: core cannot change them yet.
 */
export const updateVirtualMachine = defineCommand({
  ...catalogFacts('updateVirtualMachine'),
  kind: 'sync',
  objectName: 'virtualmachine',
  description: 'Updates properties of a virtual machine. The VM has to be stopped and restarted for the new properties to take effect.',
  params: {
    ...VM_ID_PARAMS,
    displayname: param.string('user generated name'),
    group: param.string('group of the virtual machine'),
    haenable: param.boolean('true if high-availability is enabled for the virtual machine, false otherwise'),
    ostypeid: param.uuid('the ID of the OS type that best represents this VM.'),
    userdata: param.string('an optional binary data that can be sent to the virtual machine upon a successful deployment.', { length: 43_692 }),
  },
  response: VM_RESPONSE_FIELDS,
  async execute(context, params) {
    if (params.ostypeid !== undefined) throw unsupportedParameter('ostypeid', 'changing a VM\'s OS type is not supported by this cloud yet');
    if (params.userdata !== undefined) throw unsupportedParameter('userdata', 'changing a VM\'s user data is not supported by this cloud yet');
    const updated = await context.services.vms.update({ id: params.id, ...defined({ displayName: params.displayname, group: params.group, haEnable: params.haenable }) });
    return { type: 'object', object: await vmObject(context, updated) };
  },
});

const STATES = new Map(VmState.options.map((s) => [s.toLowerCase(), s]));

/**
 * `listVirtualMachines` (list, everyone; Libcloud's `list_nodes`): the caller's VMs by the
 * scoping rule of reference §2.5, filtered by `id`, `name`, `state` (any case; a 4.1 state core
 * never holds, such as `Unknown`, matches nothing), `zoneid`, `hostid` (admins), `groupname`,
 * `networkid` (VMs with a NIC on that guest network) and `keyword`; `count` is the total.
 * Users never see `Destroyed` VMs.
 */
export const listVirtualMachines = defineCommand({
  ...catalogFacts('listVirtualMachines'),
  kind: 'list',
  objectName: 'virtualmachine',
  description: 'List the virtual machines owned by the account.',
  params: {
    id: param.uuid('the ID of the virtual machine'),
    name: param.string('name of the virtual machine'),
    state: param.string('state of the virtual machine'),
    zoneid: param.uuid('the availability zone ID'),
    hostid: param.uuid('the host ID'),
    groupname: param.string('the group name of the virtual machine'),
    networkid: param.uuid('list by network id'),
    ...SCOPING_PARAMS,
    ...PAGING_PARAMS,
  },
  response: VM_RESPONSE_FIELDS,
  async execute(context, params) {
    const state = params.state === undefined ? undefined : STATES.get(params.state.toLowerCase());
    if (params.state !== undefined && state === undefined) return { items: [], count: 0 };
    const filters = { ...defined({ id: params.id, name: params.name, state, zoneId: params.zoneid, hostId: params.hostid, groupName: params.groupname, keyword: params.keyword === '' ? undefined : params.keyword }), ...scopingInput(params) };
    const page = params.networkid === undefined ? await context.services.vms.list({ ...filters, ...pagingInput(params) }) : await vmsOnNetwork(context, params.networkid, filters, pagingInput(params));
    return { items: await vmViews(context.cloud, page.items, context.caller, context.formatDate, { pendingJobs: true }), count: page.total };
  },
});

/** The VM commands: deploy, start, stop, reboot, destroy, recover, update and list. */
export const VM_COMMANDS: readonly CommandDeclaration[] = [deployVirtualMachine, startVirtualMachine, stopVirtualMachine, rebootVirtualMachine, destroyVirtualMachine, recoverVirtualMachine, updateVirtualMachine, listVirtualMachines];
