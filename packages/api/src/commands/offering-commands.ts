import type { DiskOffering, ServiceOffering } from '@cloudstack-sdk/core';
import { param } from '../params/param-types.js';
import { diskOfferingView, serviceOfferingView } from '../response/offering-views.js';
import { NameLookup } from '../response/name-lookup.js';
import { catalogFacts } from './catalog.js';
import { defineCommand, type CommandContext, type CommandDeclaration } from './command.js';
import { defined } from './defined.js';
import { PAGING_PARAMS, pagingInput } from './list-params.js';

function serviceObject(context: CommandContext, offering: ServiceOffering) {
  return serviceOfferingView(offering, new NameLookup(context.cloud.system), context.formatDate);
}

function diskObject(context: CommandContext, offering: DiskOffering) {
  return diskOfferingView(offering, new NameLookup(context.cloud.system), context.formatDate);
}

const NAMES = {
  name: param.string('the name of the offering'),
  displaytext: param.string('the display text of the offering'),
} as const;

/** `createServiceOffering`: a compute offering (root admin). */
export const createServiceOffering = defineCommand({
  ...catalogFacts('createServiceOffering'),
  kind: 'sync',
  objectName: 'serviceoffering',
  description: 'Creates a service offering.',
  params: {
    name: param.string('the name of the service offering', { required: true }),
    displaytext: param.string('the display text of the service offering', { required: true, length: 4096 }),
    cpunumber: param.long('the CPU number of the service offering', { required: true }),
    cpuspeed: param.long('the CPU speed of the service offering in MHz.', { required: true }),
    memory: param.long('the total memory of the service offering in MB', { required: true }),
    storagetype: param.oneOf('the storage type of the service offering. Values are local and shared.', ['shared', 'local']),
    offerha: param.boolean('the HA for the service offering'),
    limitcpuuse: param.boolean('restrict the CPU usage to committed service offering'),
    tags: param.string('the tags for this service offering.'),
    hosttags: param.string('the host tag for this service offering.'),
    domainid: param.uuid('the ID of the containing domain, null for public offerings'),
    issystem: param.boolean('is this a system vm offering'),
    systemvmtype: param.oneOf('the system VM type. Possible types are "domainrouter", "consoleproxy" and "secondarystoragevm".', ['domainrouter', 'consoleproxy', 'secondarystoragevm', 'elasticloadbalancervm']),
    networkrate: param.integer('data transfer rate in megabits per second allowed. Supported only for non-System offering and system offerings having "domainrouter" systemvmtype'),
  },
  async execute(context, params) {
    const offering = await context.services.serviceOfferings.create({
      name: params.name,
      displayText: params.displaytext,
      cpuNumber: params.cpunumber,
      cpuSpeed: params.cpuspeed,
      memory: params.memory,
      ...defined({
        storageType: params.storagetype,
        offerHa: params.offerha,
        limitCpuUse: params.limitcpuuse,
        tags: params.tags,
        hostTags: params.hosttags,
        domainId: params.domainid,
        isSystem: params.issystem,
        systemVmType: params.systemvmtype,
        networkRate: params.networkrate,
      }),
    });
    return { type: 'object', object: await serviceObject(context, offering) };
  },
});

/** `updateServiceOffering`: renames a service offering (root admin). */
export const updateServiceOffering = defineCommand({
  ...catalogFacts('updateServiceOffering'),
  kind: 'sync',
  objectName: 'serviceoffering',
  description: 'Updates a service offering.',
  params: { id: param.uuid('the ID of the service offering to be updated', { required: true }), ...NAMES },
  async execute(context, params) {
    const offering = await context.services.serviceOfferings.update({ id: params.id, ...defined({ name: params.name, displayText: params.displaytext }) });
    return { type: 'object', object: await serviceObject(context, offering) };
  },
});

/** `deleteServiceOffering`: retires a service offering (root admin). */
export const deleteServiceOffering = defineCommand({
  ...catalogFacts('deleteServiceOffering'),
  kind: 'sync',
  description: 'Deletes a service offering.',
  params: { id: param.uuid('the ID of the service offering', { required: true }) },
  async execute(context, params) {
    await context.services.serviceOfferings.delete(params.id);
    return { type: 'success' };
  },
});

/** `listServiceOfferings`: the offerings the caller may use (everyone; Libcloud's `list_sizes`). */
export const listServiceOfferings = defineCommand({
  ...catalogFacts('listServiceOfferings'),
  kind: 'list',
  objectName: 'serviceoffering',
  description: 'Lists all available service offerings.',
  params: {
    id: param.uuid('ID of the service offering'),
    name: param.string('name of the service offering'),
    domainid: param.uuid('the ID of the domain associated with the service offering'),
    issystem: param.boolean('is this a system vm offering'),
    systemvmtype: param.oneOf('the system VM type. Possible types are "consoleproxy", "secondarystoragevm" or "domainrouter".', ['domainrouter', 'consoleproxy', 'secondarystoragevm', 'elasticloadbalancervm']),
    ...PAGING_PARAMS,
  },
  async execute(context, params) {
    const page = await context.services.serviceOfferings.list({
      ...defined({ id: params.id, name: params.name, keyword: params.keyword, domainId: params.domainid, isSystem: params.issystem, systemVmType: params.systemvmtype }),
      ...pagingInput(params),
    });
    const names = new NameLookup(context.cloud.system);
    const items = [];
    for (const offering of page.items) items.push(await serviceOfferingView(offering, names, context.formatDate));
    return { items, count: page.total };
  },
});

/** `createDiskOffering`: a disk offering of a fixed size, or customized (root admin). */
export const createDiskOffering = defineCommand({
  ...catalogFacts('createDiskOffering'),
  kind: 'sync',
  objectName: 'diskoffering',
  description: 'Creates a disk offering.',
  params: {
    name: param.string('name of the disk offering', { required: true }),
    displaytext: param.string('alternate display text of the disk offering', { required: true, length: 4096 }),
    disksize: param.long('size of the disk offering in GB'),
    customized: param.boolean('whether disk offering is custom or not'),
    tags: param.string('tags for the disk offering', { length: 4096 }),
    domainid: param.uuid('the ID of the containing domain, null for public offerings'),
    storagetype: param.oneOf('the storage type of the disk offering. Values are local and shared.', ['shared', 'local']),
  },
  async execute(context, params) {
    const offering = await context.services.diskOfferings.create({
      name: params.name,
      displayText: params.displaytext,
      ...defined({ diskSize: params.disksize, customized: params.customized, tags: params.tags, domainId: params.domainid, storageType: params.storagetype }),
    });
    return { type: 'object', object: await diskObject(context, offering) };
  },
});

/** `updateDiskOffering`: renames a disk offering (root admin). */
export const updateDiskOffering = defineCommand({
  ...catalogFacts('updateDiskOffering'),
  kind: 'sync',
  objectName: 'diskoffering',
  description: 'Updates a disk offering.',
  params: { id: param.uuid('ID of the disk offering', { required: true }), ...NAMES },
  async execute(context, params) {
    const offering = await context.services.diskOfferings.update({ id: params.id, ...defined({ name: params.name, displayText: params.displaytext }) });
    return { type: 'object', object: await diskObject(context, offering) };
  },
});

/** `deleteDiskOffering`: retires a disk offering (root admin). */
export const deleteDiskOffering = defineCommand({
  ...catalogFacts('deleteDiskOffering'),
  kind: 'sync',
  description: 'Updates a disk offering.',
  params: { id: param.uuid('ID of the disk offering', { required: true }) },
  async execute(context, params) {
    await context.services.diskOfferings.delete(params.id);
    return { type: 'success' };
  },
});

/** `listDiskOfferings`: the disk offerings the caller may use (everyone; Libcloud's `create_volume`). */
export const listDiskOfferings = defineCommand({
  ...catalogFacts('listDiskOfferings'),
  kind: 'list',
  objectName: 'diskoffering',
  description: 'Lists all available disk offerings.',
  params: {
    id: param.uuid('ID of the disk offering'),
    name: param.string('name of the disk offering'),
    domainid: param.uuid('the ID of the domain of the disk offering.'),
    ...PAGING_PARAMS,
  },
  async execute(context, params) {
    const page = await context.services.diskOfferings.list({ ...defined({ id: params.id, name: params.name, keyword: params.keyword, domainId: params.domainid }), ...pagingInput(params) });
    const names = new NameLookup(context.cloud.system);
    const items = [];
    for (const offering of page.items) items.push(await diskOfferingView(offering, names, context.formatDate));
    return { items, count: page.total };
  },
});

/** The offering commands: service and disk offerings. */
export const OFFERING_COMMANDS: readonly CommandDeclaration[] = [
  createServiceOffering, updateServiceOffering, deleteServiceOffering, listServiceOfferings,
  createDiskOffering, updateDiskOffering, deleteDiskOffering, listDiskOfferings,
];
