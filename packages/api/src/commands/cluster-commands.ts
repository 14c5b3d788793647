import { HYPERVISOR_TYPES, invalidParameter, missingParameter } from '@cloudstack-sdk/core';
import { param } from '../params/param-types.js';
import { clusterView } from '../response/host-views.js';
import { NameLookup } from '../response/name-lookup.js';
import { catalogFacts } from './catalog.js';
import { defineCommand } from './command.js';
import { defined } from './defined.js';
import { PAGING_PARAMS } from './list-params.js';
import { pageOf } from './list-page.js';

const ALLOCATION_STATES = ['Enabled', 'Disabled'] as const;
const MANAGED_STATES = ['Managed', 'PrepareUnmanaged', 'Unmanaged', 'PrepareUnmanagedError'] as const;

/** The vCenter host and datacenter of a VMware cluster URL, `http://vcenter/datacenter/cluster`. */
function vcenterOf(url: string | undefined): { vcenterHost: string; vcenterDatacenter: string } {
  if (url === undefined) throw missingParameter('url');
  const match = /^https?:\/\/([^/]+)\/([^/]+)(?:\/.*)?$/i.exec(url.trim());
  if (match === null) throw invalidParameter('url', 'a VMware cluster URL is http://vcenter/datacenter/cluster');
  return { vcenterHost: match[1] as string, vcenterDatacenter: decodeURIComponent(match[2] as string) };
}

/** `addCluster`: adds a cluster to a pod; answered as a list of one `cluster`, as 4.1 does (root admin). */
export const addCluster = defineCommand({
  ...catalogFacts('addCluster'),
  kind: 'sync',
  objectName: 'cluster',
  description: 'Adds a new cluster',
  params: {
    clustername: param.string('the cluster name', { required: true }),
    zoneid: param.uuid('the Zone ID for the cluster', { required: true }),
    podid: param.uuid('the Pod ID for the host', { required: true }),
    hypervisor: param.oneOf('hypervisor type of the cluster: XenServer,KVM,VMware,Simulator', HYPERVISOR_TYPES, { required: true }),
    clustertype: param.oneOf('type of the cluster: CloudManaged, ExternalManaged', ['CloudManaged', 'ExternalManaged'], { required: true }),
    allocationstate: param.oneOf('Allocation state of this cluster for allocation of new resources', ALLOCATION_STATES),
    url: param.string('the URL'),
    username: param.string('the username for the cluster'),
    password: param.string('the password for the host'),
  },
  async execute(context, params) {
    const vmware = params.hypervisor === 'VMware' ? vcenterOf(params.url) : {};
    const cluster = await context.services.clusters.add({
      zoneId: params.zoneid,
      podId: params.podid,
      clusterName: params.clustername,
      hypervisor: params.hypervisor,
      ...vmware,
      ...defined({ allocationState: params.allocationstate, username: params.username, password: params.password }),
    });
    return { type: 'list', items: [await clusterView(cluster, new NameLookup(context.cloud.system))], count: 1 };
  },
});

/** `updateCluster`: renames a cluster or changes its allocation or managed state (root admin). */
export const updateCluster = defineCommand({
  ...catalogFacts('updateCluster'),
  kind: 'sync',
  objectName: 'cluster',
  description: 'Updates an existing cluster',
  params: {
    id: param.uuid('the ID of the Cluster', { required: true }),
    clustername: param.string('the cluster name'),
    allocationstate: param.oneOf('Allocation state of this cluster for allocation of new resources', ALLOCATION_STATES),
    managedstate: param.oneOf('whether this cluster is managed by cloudstack', MANAGED_STATES),
  },
  async execute(context, params) {
    const cluster = await context.services.clusters.update({ id: params.id, ...defined({ clusterName: params.clustername, allocationState: params.allocationstate, managedState: params.managedstate }) });
    return { type: 'object', object: await clusterView(cluster, new NameLookup(context.cloud.system)) };
  },
});

/** `deleteCluster`: deletes a cluster without hosts or storage (root admin). */
export const deleteCluster = defineCommand({
  ...catalogFacts('deleteCluster'),
  kind: 'sync',
  description: 'Deletes a cluster.',
  params: { id: param.uuid('the cluster ID', { required: true }) },
  async execute(context, params) {
    await context.services.clusters.delete({ id: params.id });
    return { type: 'success' };
  },
});

/** `listClusters`: clusters by zone, pod, hypervisor or name (root and resource-domain admins). */
export const listClusters = defineCommand({
  ...catalogFacts('listClusters'),
  kind: 'list',
  objectName: 'cluster',
  description: 'Lists clusters.',
  params: {
    id: param.uuid('lists clusters by the cluster ID'),
    name: param.string('lists clusters by the cluster name'),
    podid: param.uuid('lists clusters by Pod ID'),
    zoneid: param.uuid('lists clusters by Zone ID'),
    hypervisor: param.oneOf('lists clusters by hypervisor type', HYPERVISOR_TYPES),
    clustertype: param.oneOf('lists clusters by cluster type', ['CloudManaged', 'ExternalManaged']),
    allocationstate: param.oneOf('lists clusters by allocation state', ALLOCATION_STATES),
    managedstate: param.oneOf('whether this cluster is managed by cloudstack', MANAGED_STATES),
    ...PAGING_PARAMS,
  },
  async execute(context, params) {
    const clusters = (await context.services.clusters.list(defined({ zoneId: params.zoneid, podId: params.podid, hypervisor: params.hypervisor, name: params.name }))).filter(
      (c) =>
        (params.id === undefined || c.id === params.id) &&
        (params.clustertype === undefined || c.clusterType === params.clustertype) &&
        (params.allocationstate === undefined || c.allocationState === params.allocationstate) &&
        (params.managedstate === undefined || c.managedState === params.managedstate),
    );
    const names = new NameLookup(context.cloud.system);
    return pageOf(context, params, clusters, (c) => [c.name], (c) => clusterView(c, names));
  },
});
