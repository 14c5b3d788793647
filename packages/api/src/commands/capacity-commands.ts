import { TOKENS, notFound } from '@cloudstack-sdk/core';
import { param } from '../params/param-types.js';
import { NameLookup } from '../response/name-lookup.js';
import { capacityView } from '../response/storage-views.js';
import { catalogFacts } from './catalog.js';
import { defineCommand } from './command.js';
import { defined } from './defined.js';
import { PAGING_PARAMS } from './list-params.js';
import { pageOf } from './list-page.js';

/** `listCapacity`: used and total capacity per type, by zone, pod or cluster (root and resource-domain admins). */
export const listCapacity = defineCommand({
  ...catalogFacts('listCapacity'),
  kind: 'list',
  objectName: 'capacity',
  description: 'Lists all the system wide capacities.',
  params: {
    zoneid: param.uuid('lists capacity by the Zone ID'),
    podid: param.uuid('lists capacity by the Pod ID'),
    clusterid: param.uuid('lists capacity by the Cluster ID'),
    type: param.integer('lists capacity by type* CAPACITY_TYPE_MEMORY = 0* CAPACITY_TYPE_CPU = 1* CAPACITY_TYPE_STORAGE = 2* CAPACITY_TYPE_STORAGE_ALLOCATED = 3* CAPACITY_TYPE_VIRTUAL_NETWORK_PUBLIC_IP = 4* CAPACITY_TYPE_PRIVATE_IP = 5* CAPACITY_TYPE_SECONDARY_STORAGE = 6* CAPACITY_TYPE_VLAN = 7* CAPACITY_TYPE_DIRECT_ATTACHED_PUBLIC_IP = 8* CAPACITY_TYPE_LOCAL_STORAGE = 9.'),
    ...PAGING_PARAMS,
  },
  async execute(context, params) {
    const entries = await context.services.capacity.list(defined({ zoneId: params.zoneid, podId: params.podid, clusterId: params.clusterid, type: params.type }));
    const names = new NameLookup(context.cloud.system);
    return pageOf(context, params, entries, (e) => [e.zoneName], (e) => capacityView(e, names));
  },
});

/**
 * `listHypervisors`: the hypervisors this cloud has drivers for, or those a zone's clusters run
 * (everyone). A sync command answering a list, as in 4.1.
 */
export const listHypervisors = defineCommand({
  ...catalogFacts('listHypervisors'),
  kind: 'sync',
  objectName: 'hypervisor',
  description: 'List hypervisors',
  params: { zoneid: param.uuid('the zone id for listing hypervisors.') },
  async execute(context, params) {
    let types: string[];
    if (params.zoneid === undefined) {
      types = Array.from(context.cloud.container.resolve(TOKENS.Hypervisors).keys());
    } else {
      if ((await context.services.zones.list({ id: params.zoneid })).length === 0) throw notFound('zone', 'zoneid', params.zoneid);
      const clusters = await context.cloud.system.clusters.list({ zoneId: params.zoneid });
      types = Array.from(new Set(clusters.map((c) => c.hypervisorType)));
    }
    return { type: 'list', items: types.map((name) => ({ name })), count: types.length };
  },
});
