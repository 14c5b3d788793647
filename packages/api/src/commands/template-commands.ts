import { HYPERVISOR_TYPES, internalError } from '@cloudstack-sdk/core';
import { param } from '../params/param-types.js';
import { NameLookup } from '../response/name-lookup.js';
import { templateView } from '../response/template-views.js';
import { catalogFacts } from './catalog.js';
import { defineCommand, type CommandDeclaration } from './command.js';
import { defined } from './defined.js';
import { PERMISSION_COMMANDS } from './template-permission-commands.js';
import { unsupportedParameter } from './vm-support.js';
import { IMAGE_LIST_PARAMS, TEMPLATE_FILTERS, awaitCoreJob, imageListInput, imageRows, registrationZone, rowsOf } from './template-support.js';

const TEMPLATE_FORMATS = ['QCOW2', 'RAW', 'VHD', 'OVA'] as const;

/** `listTemplates`: templates by `templatefilter`, one row per zone copy (everyone; Libcloud's `list_images`). */
export const listTemplates = defineCommand({
  ...catalogFacts('listTemplates'),
  kind: 'list',
  objectName: 'template',
  description: 'List all public, private, and privileged templates.',
  params: {
    templatefilter: param.oneOf(
      'possible values are "featured", "self", "selfexecutable", "sharedexecutable", "executable", and "community".',
      TEMPLATE_FILTERS,
      { required: true },
    ),
    ...IMAGE_LIST_PARAMS,
  },
  async execute(context, params) {
    const page = await context.services.templates.list({ templateFilter: params.templatefilter, ...imageListInput(params) });
    return imageRows(context, page, false);
  },
});

/** `registerTemplate`: registers a template from a URL; answers its rows as a list (everyone). */
export const registerTemplate = defineCommand({
  ...catalogFacts('registerTemplate'),
  kind: 'sync',
  objectName: 'template',
  description: 'Registers an existing template into the CloudStack cloud.',
  params: {
    name: param.string('the name of the template', { required: true }),
    displaytext: param.string('the display text of the template. This is usually used for display purposes.', { required: true, length: 4096 }),
    url: param.string('the URL of where the template is hosted. Possible URL include http:// and https://', { required: true, length: 2048 }),
    format: param.oneOf('the format for the template. Possible values include QCOW2, RAW, and VHD.', TEMPLATE_FORMATS, { required: true }),
    hypervisor: param.oneOf('the target hypervisor for the template', HYPERVISOR_TYPES, { required: true }),
    ostypeid: param.uuid('the ID of the OS Type that best represents the OS of this template.', { required: true }),
    zoneid: param.string('the ID of the zone the template is to be hosted on (-1 for all zones)', { required: true }),
    ispublic: param.boolean('true if the template is available to all accounts; default is false'),
    isfeatured: param.boolean('true if this template is a featured template, false otherwise'),
    isextractable: param.boolean('true if the template or its derivatives are extractable; default is false'),
    passwordenabled: param.boolean('true if the template supports the password reset feature; default is false'),
    sshkeyenabled: param.boolean('true if the template supports the sshkey upload feature; default is false'),
    checksum: param.string('the MD5 checksum value of this template'),
    account: param.string('an optional accountName. Must be used with domainId.'),
    domainid: param.uuid('an optional domainId. If the account parameter is used, domainId must also be used.'),
  },
  async execute(context, params) {
    const registered = await context.services.templates.register({
      name: params.name,
      displayText: params.displaytext,
      url: params.url,
      format: params.format,
      hypervisor: params.hypervisor,
      osTypeId: params.ostypeid,
      zoneId: registrationZone(params.zoneid),
      ...defined({
        isPublic: params.ispublic,
        isFeatured: params.isfeatured,
        isExtractable: params.isextractable,
        passwordEnabled: params.passwordenabled,
        sshKeyEnabled: params.sshkeyenabled,
        checksum: params.checksum,
        account: params.account,
        domainId: params.domainid,
      }),
    });
    const { items, count } = await imageRows(context, await rowsOf(context, registered.id, false), false);
    return { type: 'list', items, count };
  },
});

/** `updateTemplate`: renames a template or changes its OS type, format or password support (owner or an admin above it). */
export const updateTemplate = defineCommand({
  ...catalogFacts('updateTemplate'),
  kind: 'sync',
  objectName: 'template',
  description: 'Updates attributes of a template.',
  params: {
    id: param.uuid('the ID of the image file', { required: true }),
    name: param.string('the name of the image file'),
    displaytext: param.string('the display text of the image', { length: 4096 }),
    ostypeid: param.uuid('the ID of the OS type that best represents the OS of this image.'),
    format: param.oneOf('the format for the image', TEMPLATE_FORMATS),
    passwordenabled: param.boolean('true if the image supports the password reset feature; default is false'),
    bootable: param.boolean('true if image is bootable, false otherwise'),
  },
  async execute(context, params) {
    const updated = await context.services.templates.update({
      id: params.id,
      ...defined({ name: params.name, displayText: params.displaytext, osTypeId: params.ostypeid, format: params.format, passwordEnabled: params.passwordenabled, bootable: params.bootable }),
    });
    return { type: 'object', object: await templateView(updated, new NameLookup(context.cloud.system), context.formatDate) };
  },
});

/**
 * `deleteTemplate`: deletes a template, or its copy in one zone, as a job (owner or an admin
 * above it). The template is marked deleted before the accept reply; the job removes the images.
 */
export const deleteTemplate = defineCommand({
  ...catalogFacts('deleteTemplate'),
  kind: 'async',
  description: 'Deletes a template from the system. All virtual machines using the deleted template will not be affected.',
  params: {
    id: param.uuid('the ID of the template', { required: true }),
    zoneid: param.uuid('the ID of zone of the template'),
  },
  async start(context, params) {
    const removal = await context.services.templates.delete({ id: params.id, ...defined({ zoneId: params.zoneid }) });
    return {
      instanceType: 'Template',
      instanceId: params.id,
      async work() {
        await awaitCoreJob(context, removal.id);
        return { type: 'success' };
      },
    };
  },
});

/** `copyTemplate`: copies a template to another zone, as a job answering the new zone's row (owner or an admin above it). */
export const copyTemplate = defineCommand({
  ...catalogFacts('copyTemplate'),
  kind: 'async',
  objectName: 'template',
  description: 'Copies a template from one zone to another.',
  params: {
    id: param.uuid('Template ID.', { required: true }),
    sourcezoneid: param.uuid('ID of the zone the template is currently hosted on.', { required: true }),
    destzoneid: param.uuid('ID of the zone the template is being copied to.', { required: true }),
  },
  async start(context, params) {
    const { job } = await context.services.templates.copy({ id: params.id, sourceZoneId: params.sourcezoneid, destZoneId: params.destzoneid });
    return {
      instanceType: 'Template',
      instanceId: params.id,
      async work() {
        await awaitCoreJob(context, job.id);
        const row = (await rowsOf(context, params.id, false, params.destzoneid)).items[0];
        if (row === undefined) throw internalError(`template ${params.id} has no row in zone ${params.destzoneid} after its copy`);
        return { type: 'object', object: await templateView(row, new NameLookup(context.cloud.system), context.formatDate) };
      },
    };
  },
});

/**
 * `createTemplate` (async-create, everyone; Libcloud's `ex_create_snapshot_template`): a private
 * template from a `BackedUp` snapshot (`snapshotid`) or the ROOT volume of a stopped VM
 * (`volumeid`), exactly one. As in 4.1 the template row exists before the accept reply `{id,
 * jobid}`: core checks the source, the OS type, the flags, the zone's secondary storage and the
 * `template` limit then (431 / 531 / 532 / 534 leave nothing behind) and records the template
 * with its image being written; the job waits for the image to land and answers
 * `{"template":{…}}`, ready. A failed write fails the job (530 with the reason); the template
 * then stays with its copy in `DOWNLOAD_ERROR` (4.1 removed it) until deleted.
 *
 * What core cannot honour is refused naming the parameter: `virtualmachineid` and `url` (4.1's
 * bare-metal templates), `templatetag` and `details`. `bits` and `requireshvm` describe the
 * guest only and are not kept.
 */
export const createTemplate = defineCommand({
  ...catalogFacts('createTemplate'),
  kind: 'async-create',
  objectName: 'template',
  description: 'Creates a template of a virtual machine. The virtual machine must be in a STOPPED state. A template created from this command is automatically designated as a private template visible to the account that created it.',
  params: {
    name: param.string('the name of the template', { required: true }),
    displaytext: param.string('the display text of the template. This is usually used for display purposes.', { required: true, length: 4096 }),
    ostypeid: param.uuid('the ID of the OS Type that best represents the OS of this template.', { required: true }),
    snapshotid: param.uuid('the ID of the snapshot the template is being created from. Either this parameter, or volumeId has to be passed in'),
    volumeid: param.uuid('the ID of the disk volume the template is being created from. Either this parameter, or snapshotId has to be passed in'),
    ispublic: param.boolean('true if this template is a public template, false otherwise'),
    isfeatured: param.boolean('true if this template is a featured template, false otherwise'),
    passwordenabled: param.boolean('true if the template supports the password reset feature; default is false'),
    bits: param.integer('32 or 64 bit'),
    requireshvm: param.boolean('true if the template requres HVM, false otherwise'),
    templatetag: param.string('the tag for this template.'),
    details: param.map('Template details in key/value pairs.'),
    url: param.string('Optional, only for baremetal hypervisor. The directory name where template stored on CIFS server', { length: 2048 }),
    virtualmachineid: param.uuid('Optional, VM ID. If this presents, it is going to create a baremetal template for VM this ID refers to. This is only for VM whose hypervisor type is BareMetal'),
  },
  related: ['listTemplates', 'deleteTemplate', 'createSnapshot'],
  async start(context, params) {
    if (params.virtualmachineid !== undefined) throw unsupportedParameter('virtualmachineid', 'bare-metal templates are not supported by this cloud');
    if (params.url !== undefined) throw unsupportedParameter('url', 'bare-metal templates are not supported by this cloud');
    if (params.templatetag !== undefined) throw unsupportedParameter('templatetag', 'template tags are not supported by this cloud yet');
    if (params.details !== undefined) throw unsupportedParameter('details', 'template details are not supported by this cloud yet');
    const { template, job } = await context.services.templates.create({
      name: params.name,
      displayText: params.displaytext,
      osTypeId: params.ostypeid,
      ...defined({ snapshotId: params.snapshotid, volumeId: params.volumeid, isPublic: params.ispublic, isFeatured: params.isfeatured, passwordEnabled: params.passwordenabled }),
    });
    return {
      instanceType: 'Template',
      instanceId: template.id,
      async work() {
        await awaitCoreJob(context, job.id);
        const row = (await rowsOf(context, template.id, false, template.zoneId)).items[0];
        if (row === undefined) throw internalError(`template ${template.name} is gone: it was deleted while its image was written`);
        return { type: 'object', object: await templateView(row, new NameLookup(context.cloud.system), context.formatDate) };
      },
    };
  },
});

/** The template commands: list, register, create, update, delete, copy and launch permissions. */
export const TEMPLATE_COMMANDS: readonly CommandDeclaration[] = [listTemplates, registerTemplate, createTemplate, updateTemplate, deleteTemplate, copyTemplate, ...PERMISSION_COMMANDS.templates];
