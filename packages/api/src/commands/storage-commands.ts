import { param } from '../params/param-types.js';
import { NameLookup } from '../response/name-lookup.js';
import { storagePoolView } from '../response/storage-views.js';
import { catalogFacts } from './catalog.js';
import { defineCommand, type CommandContext } from './command.js';
import { defined } from './defined.js';
import { PAGING_PARAMS } from './list-params.js';
import { pageOf } from './list-page.js';
import { parsePoolUrl } from './pool-url.js';
import type { StoragePool } from '@cloudstack-sdk/core';

function poolObject(context: CommandContext, pool: StoragePool) {
  return storagePoolView(pool, new NameLookup(context.cloud.system), context.formatDate);
}

/** `createStoragePool`: adds a cluster's primary storage from its 4.1 URL (root admin). */
export const createStoragePool = defineCommand({
  ...catalogFacts('createStoragePool'),
  kind: 'sync',
  objectName: 'storagepool',
  description: 'Creates a storage pool.',
  params: {
    zoneid: param.uuid('the Zone ID for the storage pool', { required: true }),
    podid: param.uuid('the Pod ID for the storage pool'),
    clusterid: param.uuid('the cluster ID for the storage pool'),
    name: param.string('the name for the storage pool', { required: true }),
    url: param.string('the URL of the storage pool', { required: true }),
    tags: param.list('the tags for the storage pool'),
  },
  async execute(context, params) {
    const location = parsePoolUrl(params.url);
    const pool = await context.services.primaryStorage.create({
      zoneId: params.zoneid,
      podId: params.podid ?? '',
      clusterId: params.clusterid ?? '',
      name: params.name,
      ...location,
      ...defined({ tags: params.tags }),
    });
    return { type: 'object', object: await poolObject(context, pool) };
  },
});

/** `updateStoragePool`: replaces a pool's tags (root admin). */
export const updateStoragePool = defineCommand({
  ...catalogFacts('updateStoragePool'),
  kind: 'sync',
  objectName: 'storagepool',
  description: 'Updates a storage pool.',
  since: '3.0.0',
  params: {
    id: param.uuid('the Id of the storage pool', { required: true }),
    tags: param.list('comma-separated list of tags for the storage pool'),
  },
  async execute(context, params) {
    const pool = await context.services.primaryStorage.update({ id: params.id, ...defined({ tags: params.tags }) });
    return { type: 'object', object: await poolObject(context, pool) };
  },
});

/** `deleteStoragePool`: deletes a pool without volumes (root admin). */
export const deleteStoragePool = defineCommand({
  ...catalogFacts('deleteStoragePool'),
  kind: 'sync',
  description: 'Deletes a storage pool.',
  params: {
    id: param.uuid('Storage pool id', { required: true }),
    forced: param.boolean('Force destroy storage pool (force expunge volumes in Destroyed state as a part of pool removal)'),
  },
  async execute(context, params) {
    await context.services.primaryStorage.delete({ id: params.id });
    return { type: 'success' };
  },
});

/** `listStoragePools`: primary storage pools (root and resource-domain admins). */
export const listStoragePools = defineCommand({
  ...catalogFacts('listStoragePools'),
  kind: 'list',
  objectName: 'storagepool',
  description: 'Lists storage pools.',
  params: {
    id: param.uuid('the ID of the storage pool'),
    name: param.string('the name of the storage pool'),
    zoneid: param.uuid('the Zone ID for the storage pool'),
    podid: param.uuid('the Pod ID for the storage pool'),
    clusterid: param.uuid('list storage pools belongig to the specific cluster'),
    ipaddress: param.string('the IP address for the storage pool'),
    path: param.string('the storage pool path'),
    ...PAGING_PARAMS,
  },
  async execute(context, params) {
    const pools = (await context.services.primaryStorage.list(defined({ id: params.id, name: params.name, zoneId: params.zoneid, podId: params.podid, clusterId: params.clusterid }))).filter(
      (p) => (params.ipaddress === undefined || p.server === params.ipaddress) && (params.path === undefined || p.path === params.path),
    );
    const names = new NameLookup(context.cloud.system);
    return pageOf(context, params, pools, (p) => [p.name], (p) => storagePoolView(p, names, context.formatDate));
  },
});

function maintenanceCommand(name: 'enableStorageMaintenance' | 'cancelStorageMaintenance', maintenance: boolean, description: string) {
  return defineCommand({
    ...catalogFacts(name),
    kind: 'async',
    objectName: 'storagepool',
    description,
    params: { id: param.uuid('Primary storage ID', { required: true }) },
    async start(context, params) {
      return {
        instanceType: 'StoragePool',
        instanceId: params.id,
        async work() {
          return { type: 'object', object: await poolObject(context, await context.services.primaryStorage.setMaintenance({ id: params.id, maintenance })) };
        },
      };
    },
  });
}

/** `enableStorageMaintenance`: puts a primary storage pool into maintenance, as a job (root admin). */
export const enableStorageMaintenance = maintenanceCommand('enableStorageMaintenance', true, 'Puts storage pool into maintenance state');

/** `cancelStorageMaintenance`: takes a primary storage pool out of maintenance, as a job (root admin). */
export const cancelStorageMaintenance = maintenanceCommand('cancelStorageMaintenance', false, 'Cancels maintenance for primary storage');
