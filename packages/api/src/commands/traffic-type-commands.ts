import { param } from '../params/param-types.js';
import { serviceProviderView, trafficTypeView } from '../response/physical-network-views.js';
import { catalogFacts } from './catalog.js';
import { defineCommand } from './command.js';
import { defined } from './defined.js';
import { PAGING_PARAMS } from './list-params.js';
import { pageOf } from './list-page.js';

const LABELS = {
  kvmnetworklabel: param.string('The network name label of the physical device dedicated to this traffic on a KVM host'),
  xennetworklabel: param.string('The network name label of the physical device dedicated to this traffic on a XenServer host'),
  vmwarenetworklabel: param.string('The network name label of the physical device dedicated to this traffic on a VMware host'),
} as const;

/** `addTrafficType`: a traffic type on a physical network, created now, answered by its job (root admin). */
export const addTrafficType = defineCommand({
  ...catalogFacts('addTrafficType'),
  kind: 'async-create',
  objectName: 'traffictype',
  description: 'Adds traffic type to a physical network',
  since: '3.0.0',
  params: {
    physicalnetworkid: param.uuid('the Physical Network ID', { required: true }),
    traffictype: param.oneOf('the trafficType to be added to the physical network', ['Guest', 'Management', 'Public', 'Storage'], { required: true }),
    ...LABELS,
  },
  async start(context, params) {
    const type = await context.services.physicalNetworks.addTrafficType({
      physicalNetworkId: params.physicalnetworkid,
      trafficType: params.traffictype,
      ...defined({ kvmNetworkLabel: params.kvmnetworklabel, xenNetworkLabel: params.xennetworklabel, vmwareNetworkLabel: params.vmwarenetworklabel }),
    });
    return { instanceType: 'TrafficType', instanceId: type.id, work: async () => ({ type: 'object', object: trafficTypeView(type) }) };
  },
});

/** `updateTrafficType`: changes a traffic type's labels, as a job (root admin). */
export const updateTrafficType = defineCommand({
  ...catalogFacts('updateTrafficType'),
  kind: 'async',
  objectName: 'traffictype',
  description: 'Updates traffic type of a physical network',
  since: '3.0.0',
  params: { id: param.uuid('traffic type id', { required: true }), ...LABELS },
  async start(context, params) {
    return {
      instanceType: 'TrafficType',
      instanceId: params.id,
      async work() {
        const type = await context.services.physicalNetworks.updateTrafficType({
          id: params.id,
          ...defined({ kvmNetworkLabel: params.kvmnetworklabel, xenNetworkLabel: params.xennetworklabel, vmwareNetworkLabel: params.vmwarenetworklabel }),
        });
        return { type: 'object', object: trafficTypeView(type) };
      },
    };
  },
});

/** `deleteTrafficType`: removes a traffic type from its physical network, as a job (root admin). */
export const deleteTrafficType = defineCommand({
  ...catalogFacts('deleteTrafficType'),
  kind: 'async',
  description: 'Deletes traffic type of a physical network',
  since: '3.0.0',
  params: { id: param.uuid('traffic type id', { required: true }) },
  async start(context, params) {
    return {
      instanceType: 'TrafficType',
      instanceId: params.id,
      async work() {
        await context.services.physicalNetworks.deleteTrafficType({ id: params.id });
        return { type: 'success' };
      },
    };
  },
});

/** `listTrafficTypes`: the traffic types of a physical network (root admin). */
export const listTrafficTypes = defineCommand({
  ...catalogFacts('listTrafficTypes'),
  kind: 'list',
  objectName: 'traffictype',
  description: 'Lists traffic types of a given physical network.',
  since: '3.0.0',
  params: { physicalnetworkid: param.uuid('the Physical Network ID', { required: true }), ...PAGING_PARAMS },
  async execute(context, params) {
    const types = await context.services.physicalNetworks.listTrafficTypes({ physicalNetworkId: params.physicalnetworkid });
    return pageOf(context, params, types, (t) => [t.trafficType], trafficTypeView);
  },
});

/** `addNetworkServiceProvider`: a provider on a physical network, created now, answered by its job (root admin). */
export const addNetworkServiceProvider = defineCommand({
  ...catalogFacts('addNetworkServiceProvider'),
  kind: 'async-create',
  objectName: 'networkserviceprovider',
  description: 'Adds a network serviceProvider to a physical network',
  since: '3.0.0',
  params: {
    name: param.string('the name for the physical network service provider', { required: true }),
    physicalnetworkid: param.uuid('the Physical Network ID to add the provider to', { required: true }),
    destinationphysicalnetworkid: param.uuid('the destination Physical Network ID to bridge to'),
    servicelist: param.list('the list of services to be enabled for this physical network service provider'),
  },
  async start(context, params) {
    const provider = await context.services.physicalNetworks.addServiceProvider({
      name: params.name,
      physicalNetworkId: params.physicalnetworkid,
      ...defined({ destinationPhysicalNetworkId: params.destinationphysicalnetworkid, services: params.servicelist }),
    });
    return { instanceType: 'PhysicalNetworkServiceProvider', instanceId: provider.id, work: async () => ({ type: 'object', object: serviceProviderView(provider) }) };
  },
});

/** `updateNetworkServiceProvider`: enables, disables or shuts down a provider, as a job (root admin). */
export const updateNetworkServiceProvider = defineCommand({
  ...catalogFacts('updateNetworkServiceProvider'),
  kind: 'async',
  objectName: 'networkserviceprovider',
  description: 'Updates a network serviceProvider of a physical network',
  since: '3.0.0',
  params: {
    id: param.uuid('network service provider id', { required: true }),
    state: param.oneOf('Enabled/Disabled/Shutdown the physical network service provider', ['Enabled', 'Disabled', 'Shutdown']),
    servicelist: param.list('the list of services to be enabled for this physical network service provider'),
  },
  async start(context, params) {
    return {
      instanceType: 'PhysicalNetworkServiceProvider',
      instanceId: params.id,
      async work() {
        const provider = await context.services.physicalNetworks.updateServiceProvider({ id: params.id, ...defined({ state: params.state, services: params.servicelist }) });
        return { type: 'object', object: serviceProviderView(provider) };
      },
    };
  },
});

/** `deleteNetworkServiceProvider`: removes a provider no network uses, as a job (root admin). */
export const deleteNetworkServiceProvider = defineCommand({
  ...catalogFacts('deleteNetworkServiceProvider'),
  kind: 'async',
  description: 'Deletes a Network Service Provider.',
  since: '3.0.0',
  params: { id: param.uuid('the ID of the network service provider', { required: true }) },
  async start(context, params) {
    return {
      instanceType: 'PhysicalNetworkServiceProvider',
      instanceId: params.id,
      async work() {
        await context.services.physicalNetworks.deleteServiceProvider({ id: params.id });
        return { type: 'success' };
      },
    };
  },
});

/** `listNetworkServiceProviders`: providers of one physical network, or of all (root admin). */
export const listNetworkServiceProviders = defineCommand({
  ...catalogFacts('listNetworkServiceProviders'),
  kind: 'list',
  objectName: 'networkserviceprovider',
  description: 'Lists network serviceproviders for a given physical network.',
  since: '3.0.0',
  params: {
    physicalnetworkid: param.uuid('the Physical Network ID'),
    name: param.string('list providers by name'),
    state: param.oneOf('list providers by state', ['Enabled', 'Disabled', 'Shutdown']),
    ...PAGING_PARAMS,
  },
  async execute(context, params) {
    const networkIds = params.physicalnetworkid !== undefined ? [params.physicalnetworkid] : (await context.services.physicalNetworks.list()).map((n) => n.id);
    const providers = [];
    for (const physicalNetworkId of networkIds) {
      providers.push(...(await context.services.physicalNetworks.listServiceProviders({ physicalNetworkId, ...defined({ name: params.name, state: params.state }) })));
    }
    return pageOf(context, params, providers, (p) => [p.name], serviceProviderView);
  },
});
