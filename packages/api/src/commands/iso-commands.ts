import { internalError, missingParameter } from '@cloudstack-sdk/core';
import { param } from '../params/param-types.js';
import { NameLookup } from '../response/name-lookup.js';
import { isoView } from '../response/template-views.js';
import { catalogFacts } from './catalog.js';
import { defineCommand, type CommandDeclaration } from './command.js';
import { defined } from './defined.js';
import { PERMISSION_COMMANDS } from './template-permission-commands.js';
import { VM_ISO_COMMANDS } from './vm-iso-commands.js';
import { IMAGE_LIST_PARAMS, TEMPLATE_FILTERS, awaitCoreJob, imageListInput, imageRows, registrationZone, rowsOf } from './template-support.js';

/** `listIsos`: ISOs by `isofilter` (default `selfexecutable`, as 4.1), one row per zone copy (everyone). */
export const listIsos = defineCommand({
  ...catalogFacts('listIsos'),
  kind: 'list',
  objectName: 'iso',
  description: 'Lists all available ISO files.',
  params: {
    isofilter: param.oneOf(
      'possible values are "featured", "self", "selfexecutable","sharedexecutable","executable", and "community". Default selfexecutable.',
      TEMPLATE_FILTERS,
    ),
    bootable: param.boolean('true if the ISO is bootable, false otherwise'),
    isready: param.boolean('true if this ISO is ready to be deployed'),
    ...IMAGE_LIST_PARAMS,
  },
  async execute(context, params) {
    const page = await context.services.isos.list({
      templateFilter: params.isofilter ?? 'selfexecutable',
      ...defined({ bootable: params.bootable, isReady: params.isready }),
      ...imageListInput(params),
    });
    return imageRows(context, page, true);
  },
});

/** `registerIso`: registers an ISO from a URL; answers its rows as a list (everyone). */
export const registerIso = defineCommand({
  ...catalogFacts('registerIso'),
  kind: 'sync',
  objectName: 'iso',
  description: 'Registers an existing ISO into the CloudStack Cloud.',
  params: {
    name: param.string('the name of the ISO', { required: true }),
    displaytext: param.string('the display text of the ISO. This is usually used for display purposes.', { required: true, length: 4096 }),
    url: param.string('the URL to where the ISO is currently being hosted', { required: true, length: 2048 }),
    zoneid: param.string('the ID of the zone you wish to register the ISO to (-1 for all zones).', { required: true }),
    ostypeid: param.uuid('the ID of the OS Type that best represents the OS of this ISO.'),
    bootable: param.boolean('true if this ISO is bootable. If not passed explicitly its assumed to be true'),
    ispublic: param.boolean('true if you want to register the ISO to be publicly available to all users, false otherwise.'),
    isfeatured: param.boolean('true if you want this ISO to be featured'),
    isextractable: param.boolean('true if the iso or its derivatives are extractable; default is false'),
    checksum: param.string('the MD5 checksum value of this ISO'),
    account: param.string('an optional account name. Must be used with domainId.'),
    domainid: param.uuid('an optional domainId. If the account parameter is used, domainId must also be used.'),
  },
  async execute(context, params) {
    // 4.1 documents ostypeid as optional, but core needs the guest OS of every ISO.
    if (params.ostypeid === undefined) throw missingParameter('ostypeid');
    const registered = await context.services.isos.register({
      name: params.name,
      displayText: params.displaytext,
      url: params.url,
      osTypeId: params.ostypeid,
      zoneId: registrationZone(params.zoneid),
      ...defined({
        bootable: params.bootable,
        isPublic: params.ispublic,
        isFeatured: params.isfeatured,
        isExtractable: params.isextractable,
        checksum: params.checksum,
        account: params.account,
        domainId: params.domainid,
      }),
    });
    const { items, count } = await imageRows(context, await rowsOf(context, registered.id, true), true);
    return { type: 'list', items, count };
  },
});

/** `updateIso`: renames an ISO or changes its OS type or bootable flag (owner or an admin above it). */
export const updateIso = defineCommand({
  ...catalogFacts('updateIso'),
  kind: 'sync',
  objectName: 'iso',
  description: 'Updates an ISO file.',
  params: {
    id: param.uuid('the ID of the image file', { required: true }),
    name: param.string('the name of the image file'),
    displaytext: param.string('the display text of the image', { length: 4096 }),
    ostypeid: param.uuid('the ID of the OS type that best represents the OS of this image.'),
    bootable: param.boolean('true if image is bootable, false otherwise'),
    format: param.oneOf('the format for the image', ['QCOW2', 'RAW', 'VHD', 'OVA']),
    passwordenabled: param.boolean('true if the image supports the password reset feature; default is false'),
  },
  async execute(context, params) {
    const updated = await context.services.isos.update({
      id: params.id,
      ...defined({ name: params.name, displayText: params.displaytext, osTypeId: params.ostypeid, bootable: params.bootable, format: params.format, passwordEnabled: params.passwordenabled }),
    });
    return { type: 'object', object: await isoView(updated, new NameLookup(context.cloud.system), context.formatDate) };
  },
});

/** `deleteIso`: deletes an ISO, or its copy in one zone, as a job (response name `deleteisosresponse`, as 4.1). */
export const deleteIso = defineCommand({
  ...catalogFacts('deleteIso'),
  kind: 'async',
  description: 'Deletes an ISO file.',
  params: {
    id: param.uuid('the ID of the ISO file', { required: true }),
    zoneid: param.uuid('the ID of the zone of the ISO file. If not specified, the ISO will be deleted from all the zones'),
  },
  async start(context, params) {
    const removal = await context.services.isos.delete({ id: params.id, ...defined({ zoneId: params.zoneid }) });
    return {
      instanceType: 'Iso',
      instanceId: params.id,
      async work() {
        await awaitCoreJob(context, removal.id);
        return { type: 'success' };
      },
    };
  },
});

/** `copyIso`: copies an ISO to another zone, as a job answering the new zone's row. */
export const copyIso = defineCommand({
  ...catalogFacts('copyIso'),
  kind: 'async',
  objectName: 'iso',
  description: 'Copies an ISO file.',
  params: {
    id: param.uuid('Template ID.', { required: true }),
    sourcezoneid: param.uuid('ID of the zone the template is currently hosted on.', { required: true }),
    destzoneid: param.uuid('ID of the zone the template is being copied to.', { required: true }),
  },
  async start(context, params) {
    const { job } = await context.services.isos.copy({ id: params.id, sourceZoneId: params.sourcezoneid, destZoneId: params.destzoneid });
    return {
      instanceType: 'Iso',
      instanceId: params.id,
      async work() {
        await awaitCoreJob(context, job.id);
        const row = (await rowsOf(context, params.id, true, params.destzoneid)).items[0];
        if (row === undefined) throw internalError(`ISO ${params.id} has no row in zone ${params.destzoneid} after its copy`);
        return { type: 'object', object: await isoView(row, new NameLookup(context.cloud.system), context.formatDate) };
      },
    };
  },
});

/** The ISO commands: list, register, update, delete, copy, attach to and detach from VMs, and launch permissions. */
export const ISO_COMMANDS: readonly CommandDeclaration[] = [listIsos, registerIso, updateIso, deleteIso, copyIso, ...VM_ISO_COMMANDS, ...PERMISSION_COMMANDS.isos];
