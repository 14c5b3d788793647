import { param } from '../params/param-types.js';
import { catalogFacts } from './catalog.js';
import { defineCommand, type CommandDeclaration } from './command.js';
import { VM_RESPONSE_FIELDS, vmJob } from './vm-support.js';
import { visibleVm } from './volume-support.js';

/**
 * `attachIso` (async, everyone): attaches an ISO to a VM as its CD-ROM, answering the VM with
 * `isoid`/`isoname`/`isodisplaytext`. The VM is resolved at accept (431 naming
 * `virtualmachineid`); core's checks run in the job and fail it with their reason: the VM must be
 * Running or Stopped with no ISO attached yet, the ISO one the caller may launch with a
 * downloaded copy in the VM's zone. As in core, a running VM's CD-ROM changes on the host at its
 * next start.
 */
export const attachIso = defineCommand({
  ...catalogFacts('attachIso'),
  kind: 'async',
  objectName: 'virtualmachine',
  description: 'Attaches an ISO to a virtual machine.',
  params: {
    id: param.uuid('the ID of the ISO file', { required: true }),
    virtualmachineid: param.uuid('the ID of the virtual machine', { required: true }),
  },
  response: VM_RESPONSE_FIELDS,
  related: ['detachIso', 'listIsos'],
  async start(context, params) {
    await visibleVm(context, params.virtualmachineid, 'virtualmachineid');
    return vmJob(context, params.virtualmachineid, () => context.services.vms.attachIso({ id: params.virtualmachineid, isoId: params.id }));
  },
});

/**
 * `detachIso` (async, everyone): detaches the VM's ISO, answering the VM without one. The VM is
 * resolved at accept (431 naming `virtualmachineid`); a VM with no ISO attached fails the job.
 */
export const detachIso = defineCommand({
  ...catalogFacts('detachIso'),
  kind: 'async',
  objectName: 'virtualmachine',
  description: 'Detaches any ISO file (if any) currently attached to a virtual machine.',
  params: {
    virtualmachineid: param.uuid('The ID of the virtual machine', { required: true }),
  },
  response: VM_RESPONSE_FIELDS,
  related: ['attachIso'],
  async start(context, params) {
    await visibleVm(context, params.virtualmachineid, 'virtualmachineid');
    return vmJob(context, params.virtualmachineid, () => context.services.vms.detachIso({ id: params.virtualmachineid }));
  },
});

/** The commands that put an ISO into a VM's CD-ROM drive and take it out. */
export const VM_ISO_COMMANDS: readonly CommandDeclaration[] = [attachIso, detachIso];
