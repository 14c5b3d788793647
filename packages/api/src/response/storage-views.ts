import type { CapacityEntry, StoragePool } from '@cloudstack-sdk/core';
import type { ApiObject } from './api-value.js';
import type { DateFormatter } from './host-views.js';
import type { NameLookup } from './name-lookup.js';

/** 4.1's `StoragePoolType` names of core's storage protocols, as `storagepool.type` shows them. */
const POOL_TYPE: Readonly<Record<StoragePool['protocol'], string>> = {
  NFS: 'NetworkFilesystem',
  iSCSI: 'IscsiLUN',
  PreSetup: 'PreSetup',
  SharedMountPoint: 'SharedMountPoint',
  CLVM: 'CLVM',
  RBD: 'RBD',
  VMFS: 'VMFS',
  Filesystem: 'Filesystem',
};

/** A primary storage pool (reference §5). */
export async function storagePoolView(pool: StoragePool, names: NameLookup, formatDate: DateFormatter): Promise<ApiObject> {
  return {
    id: pool.id,
    zoneid: pool.zoneId,
    zonename: await names.zone(pool.zoneId),
    podid: pool.podId,
    podname: await names.pod(pool.podId),
    name: pool.name,
    ipaddress: pool.server,
    path: pool.path ?? pool.iqn,
    created: formatDate(pool.createdAt),
    type: POOL_TYPE[pool.protocol],
    clusterid: pool.clusterId,
    clustername: (await names.cluster(pool.clusterId))?.name,
    disksizetotal: pool.capacityBytes,
    disksizeused: pool.usedBytes,
    tags: pool.tags.length === 0 ? undefined : pool.tags.join(','),
    state: pool.state,
  };
}

/** A capacity line (reference §5). */
export async function capacityView(entry: CapacityEntry, names: NameLookup): Promise<ApiObject> {
  const cluster = await names.cluster(entry.clusterId);
  return {
    type: entry.type,
    zoneid: entry.zoneId,
    zonename: entry.zoneName,
    podid: entry.podId,
    podname: await names.pod(entry.podId),
    clusterid: entry.clusterId,
    clustername: cluster?.name,
    capacityused: entry.capacityUsed,
    capacitytotal: entry.capacityTotal,
    percentused: entry.percentUsed,
  };
}
