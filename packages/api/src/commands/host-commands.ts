import { HYPERVISOR_TYPES, invalidParameter, isRootAdmin, missingParameter, notFound, type HostView } from '@cloudstack-sdk/core';
import { param } from '../params/param-types.js';
import type { ApiObject } from '../response/api-value.js';
import { hostView, secondaryStorageView } from '../response/host-views.js';
import { NameLookup } from '../response/name-lookup.js';
import { catalogFacts } from './catalog.js';
import { defineCommand, type AsyncPlan, type CommandContext } from './command.js';
import { defined } from './defined.js';
import { PAGING_PARAMS } from './list-params.js';
import { pageOf } from './list-page.js';

const HOST_STATES = ['Creating', 'Connecting', 'Up', 'Down', 'Disconnected', 'Alert', 'Removed', 'Error', 'Rebalancing'] as const;
const RESOURCE_STATES = ['Creating', 'Enabled', 'Disabled', 'PrepareForMaintenance', 'ErrorInMaintenance', 'Maintenance', 'Error'] as const;

async function hostObject(context: CommandContext, host: HostView): Promise<ApiObject> {
  return hostView(host, new NameLookup(context.cloud.system), context.formatDate);
}

/** The cluster a host joins: `clusterid`, or the pod's cluster named `clustername`. */
async function clusterIdFor(context: CommandContext, params: { podid: string; clusterid?: string; clustername?: string }): Promise<string> {
  if (params.clusterid !== undefined) return params.clusterid;
  if (params.clustername === undefined) throw missingParameter('clusterid');
  const [cluster] = await context.services.clusters.list({ podId: params.podid, name: params.clustername });
  if (cluster === undefined) throw invalidParameter('clustername', `pod ${params.podid} has no cluster named ${params.clustername}; add it with addCluster first`);
  return cluster.id;
}

/** `addHost`: adds a hypervisor host to a cluster; answered as a list of one `host`, as 4.1 does. */
export const addHost = defineCommand({
  ...catalogFacts('addHost'),
  kind: 'sync',
  objectName: 'host',
  description: 'Adds a new host.',
  params: {
    zoneid: param.uuid('the Zone ID for the host', { required: true }),
    podid: param.uuid('the Pod ID for the host', { required: true }),
    clusterid: param.uuid('the cluster ID for the host'),
    clustername: param.string('the cluster name for the host'),
    url: param.string('the host URL', { required: true }),
    username: param.string('the username for the host', { required: true }),
    password: param.string('the password for the host', { required: true }),
    hypervisor: param.oneOf('hypervisor type of the host', HYPERVISOR_TYPES, { required: true }),
    hosttags: param.list('list of tags to be added to the host'),
    allocationstate: param.oneOf('Allocation state of this Host for allocation of new resources', ['Enabled', 'Disabled']),
  },
  async execute(context, params) {
    const clusterId = await clusterIdFor(context, params);
    const [cluster] = (await context.services.clusters.list({ podId: params.podid })).filter((c) => c.id === clusterId);
    if (cluster === undefined) throw invalidParameter('clusterid', `cluster ${clusterId} is not in pod ${params.podid}`);
    if (cluster.zoneId !== params.zoneid) throw invalidParameter('zoneid', `cluster ${cluster.name} is not in zone ${params.zoneid}`);
    const host = await context.services.hosts.add({
      clusterId,
      url: params.url,
      username: params.username,
      password: params.password,
      hypervisor: params.hypervisor,
      ...defined({ hostTags: params.hosttags, allocationState: params.allocationstate }),
    });
    return { type: 'list', items: [await hostObject(context, host)], count: 1 };
  },
});

/** `updateHost`: enables or disables a host for allocation, or changes its tags (root admin). */
export const updateHost = defineCommand({
  ...catalogFacts('updateHost'),
  kind: 'sync',
  objectName: 'host',
  description: 'Updates a host.',
  params: {
    id: param.uuid('the ID of the host to update', { required: true }),
    allocationstate: param.oneOf('Change resource state of host, valid values are [Enable, Disable]. Operation may failed if host in states not allowing Enable/Disable', ['Enable', 'Disable']),
    hosttags: param.list('list of tags to be added to the host'),
  },
  async execute(context, params) {
    const host = await context.services.hosts.update({ id: params.id, ...defined({ allocationState: params.allocationstate, hostTags: params.hosttags }) });
    return { type: 'object', object: await hostObject(context, host) };
  },
});

/**
 * `deleteHost`: deletes a hypervisor host, or — as 4.1, where secondary storage is a host — a
 * zone's NFS secondary storage (root and resource-domain admins; core decides who may).
 */
export const deleteHost = defineCommand({
  ...catalogFacts('deleteHost'),
  kind: 'sync',
  description: 'Deletes a host.',
  params: {
    id: param.uuid('the host ID', { required: true }),
    forced: param.boolean('Force delete the host. All HA enabled vms running on the host will be put to HA; HA disabled ones will be stopped'),
    forcedestroylocalstorage: param.boolean('Force destroy local storage on this host. All VMs created on this local storage will be destroyed'),
  },
  async execute(context, params) {
    const [host] = await context.services.hosts.list({ id: params.id });
    if (host !== undefined) {
      await context.services.hosts.delete({ id: params.id, ...defined({ forced: params.forced }) });
      return { type: 'success' };
    }
    if (isRootAdmin(context.caller) && (await context.services.secondaryStorage.list()).some((s) => s.id === params.id)) {
      await context.services.secondaryStorage.delete({ id: params.id });
      return { type: 'success' };
    }
    throw notFound('host', 'id', params.id);
  },
});

/** `listHosts`: hypervisor hosts and, as 4.1, secondary storage (`type=SecondaryStorage`). */
export const listHosts = defineCommand({
  ...catalogFacts('listHosts'),
  kind: 'list',
  objectName: 'host',
  description: 'Lists hosts.',
  params: {
    id: param.uuid('the id of the host'),
    name: param.string('the name of the host'),
    zoneid: param.uuid('the Zone ID for the host'),
    podid: param.uuid('the Pod ID for the host'),
    clusterid: param.uuid('lists hosts existing in particular cluster'),
    type: param.string('the host type'),
    state: param.oneOf('the state of the host', HOST_STATES),
    resourcestate: param.oneOf('list hosts by resource state. Resource state represents current state determined by admin of host, valule can be one of [Enabled, Disabled, Unmanaged, PrepareForMaintenance, ErrorInMaintenance, Maintenance, Error]', RESOURCE_STATES),
    hypervisor: param.oneOf('hypervisor type of host: XenServer,KVM,VMware,Hyperv,BareMetal,Simulator', HYPERVISOR_TYPES),
    ...PAGING_PARAMS,
  },
  async execute(context, params) {
    const names = new NameLookup(context.cloud.system);
    const type = params.type?.toLowerCase();
    const rows: { key: readonly (string | undefined)[]; view: () => Promise<ApiObject> }[] = [];
    if (type === undefined || type === 'routing') {
      const hosts = await context.services.hosts.list(
        defined({ id: params.id, name: params.name, zoneId: params.zoneid, podId: params.podid, clusterId: params.clusterid, state: params.state, resourceState: params.resourcestate, hypervisor: params.hypervisor }),
      );
      for (const host of hosts) rows.push({ key: [host.name], view: () => hostView(host, names, context.formatDate) });
    }
    const wantsStores = (type === undefined || type === 'secondarystorage') && params.podid === undefined && params.clusterid === undefined && params.hypervisor === undefined && params.resourcestate === undefined;
    if (wantsStores && isRootAdmin(context.caller)) {
      const stores = (await context.services.secondaryStorage.list(defined({ zoneId: params.zoneid, protocol: 'NFS' as const }))).filter(
        (s) => (params.id === undefined || s.id === params.id) && (params.name === undefined || s.name === params.name) && (params.state === undefined || s.state === params.state),
      );
      for (const store of stores) rows.push({ key: [store.name], view: () => secondaryStorageView(store, names, context.formatDate) });
    }
    return pageOf(context, params, rows, (r) => r.key, (r) => r.view());
  },
});

function hostJob(context: CommandContext, id: string, action: (id: string) => Promise<HostView>): AsyncPlan {
  return {
    instanceType: 'Host',
    instanceId: id,
    async work() {
      return { type: 'object', object: await hostObject(context, await action(id)) };
    },
  };
}

/** `reconnectHost`: reconnects a host to its hypervisor, as a job (root admin). */
export const reconnectHost = defineCommand({
  ...catalogFacts('reconnectHost'),
  kind: 'async',
  objectName: 'host',
  description: 'Reconnects a host.',
  params: { id: param.uuid('the host ID', { required: true }) },
  async start(context, params) {
    return hostJob(context, params.id, (id) => context.services.hosts.reconnect({ id }));
  },
});

/** `prepareHostForMaintenance`: moves a host into maintenance, as a job (root admin). */
export const prepareHostForMaintenance = defineCommand({
  ...catalogFacts('prepareHostForMaintenance'),
  kind: 'async',
  objectName: 'host',
  description: 'Prepares a host for maintenance.',
  params: { id: param.uuid('the host ID', { required: true }) },
  async start(context, params) {
    return hostJob(context, params.id, (id) => context.services.hosts.prepareForMaintenance({ id }));
  },
});

/** `cancelHostMaintenance`: takes a host out of maintenance, as a job (root admin). */
export const cancelHostMaintenance = defineCommand({
  ...catalogFacts('cancelHostMaintenance'),
  kind: 'async',
  objectName: 'host',
  description: 'Cancels host maintenance.',
  params: { id: param.uuid('the host ID', { required: true }) },
  async start(context, params) {
    return hostJob(context, params.id, (id) => context.services.hosts.cancelMaintenance({ id }));
  },
});
