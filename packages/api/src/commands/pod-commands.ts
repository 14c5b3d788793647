import { param } from '../params/param-types.js';
import { NameLookup } from '../response/name-lookup.js';
import { podView } from '../response/zone-views.js';
import { catalogFacts } from './catalog.js';
import { defineCommand } from './command.js';
import { defined } from './defined.js';
import { PAGING_PARAMS } from './list-params.js';
import { pageOf } from './list-page.js';

const ALLOCATION_STATES = ['Enabled', 'Disabled'] as const;

/** `listPods`: pods, by zone or name (root and resource-domain admins). */
export const listPods = defineCommand({
  ...catalogFacts('listPods'),
  kind: 'list',
  objectName: 'pod',
  description: 'Lists all Pods.',
  params: {
    id: param.uuid('list Pods by ID'),
    name: param.string('list Pods by name'),
    zoneid: param.uuid('list Pods by Zone ID'),
    allocationstate: param.oneOf('list pods by allocation state', ALLOCATION_STATES),
    ...PAGING_PARAMS,
  },
  async execute(context, params) {
    const pods = (await context.services.pods.list(defined({ zoneId: params.zoneid, name: params.name }))).filter(
      (p) => (params.id === undefined || p.id === params.id) && (params.allocationstate === undefined || p.allocationState === params.allocationstate),
    );
    const names = new NameLookup(context.cloud.system);
    return pageOf(context, params, pods, (p) => [p.name], (p) => podView(p, names));
  },
});

/** `createPod`: adds a pod with its reserved system IP range (root admin). */
export const createPod = defineCommand({
  ...catalogFacts('createPod'),
  kind: 'sync',
  objectName: 'pod',
  description: 'Creates a new Pod.',
  params: {
    name: param.string('the name of the Pod', { required: true }),
    zoneid: param.uuid('the Zone ID in which the Pod will be created', { required: true }),
    gateway: param.string('the gateway for the Pod', { required: true }),
    netmask: param.string('the netmask for the Pod', { required: true }),
    startip: param.string('the starting IP address for the Pod', { required: true }),
    endip: param.string('the ending IP address for the Pod'),
    allocationstate: param.oneOf('Allocation state of this Pod for allocation of new resources', ALLOCATION_STATES),
  },
  async execute(context, params) {
    const pod = await context.services.pods.create({
      name: params.name,
      zoneId: params.zoneid,
      gateway: params.gateway,
      netmask: params.netmask,
      startIp: params.startip,
      ...defined({ endIp: params.endip, allocationState: params.allocationstate }),
    });
    return { type: 'object', object: await podView(pod, new NameLookup(context.cloud.system)) };
  },
});

/** `updatePod`: renames a pod or changes its allocation state (root admin). */
export const updatePod = defineCommand({
  ...catalogFacts('updatePod'),
  kind: 'sync',
  objectName: 'pod',
  description: 'Updates a Pod.',
  params: {
    id: param.uuid('the ID of the Pod', { required: true }),
    name: param.string('the name of the Pod'),
    allocationstate: param.oneOf('Allocation state of this cluster for allocation of new resources', ALLOCATION_STATES),
  },
  async execute(context, params) {
    const pod = await context.services.pods.update({ id: params.id, ...defined({ name: params.name, allocationState: params.allocationstate }) });
    return { type: 'object', object: await podView(pod, new NameLookup(context.cloud.system)) };
  },
});

/** `deletePod`: deletes an empty pod (root admin). */
export const deletePod = defineCommand({
  ...catalogFacts('deletePod'),
  kind: 'sync',
  description: 'Deletes a Pod.',
  params: { id: param.uuid('the ID of the Pod', { required: true }) },
  async execute(context, params) {
    await context.services.pods.delete({ id: params.id });
    return { type: 'success' };
  },
});
