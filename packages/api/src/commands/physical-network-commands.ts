import { param } from '../params/param-types.js';
import { physicalNetworkView } from '../response/physical-network-views.js';
import { catalogFacts } from './catalog.js';
import { defineCommand } from './command.js';
import { defined } from './defined.js';
import { PAGING_PARAMS } from './list-params.js';
import { pageOf } from './list-page.js';

const ISOLATION_METHODS = ['VLAN', 'L3', 'GRE', 'STT', 'VNS'] as const;
type IsolationMethod = (typeof ISOLATION_METHODS)[number];

function isolationMethods(values: readonly string[] | undefined): IsolationMethod[] | undefined {
  if (values === undefined) return undefined;
  return values.map((v) => ISOLATION_METHODS.find((m) => m.toLowerCase() === v.toLowerCase()) ?? (v as IsolationMethod));
}

/**
 * `createPhysicalNetwork`: the network row is created now (its id is in the accept reply, as
 * 4.1's async-create commands do); the job answers it (root admin).
 */
export const createPhysicalNetwork = defineCommand({
  ...catalogFacts('createPhysicalNetwork'),
  kind: 'async-create',
  objectName: 'physicalnetwork',
  description: 'Creates a physical network',
  since: '3.0.0',
  params: {
    zoneid: param.uuid('the Zone ID for the physical network', { required: true }),
    name: param.string('the name of the physical network', { required: true }),
    vlan: param.string('the VLAN for the physical network'),
    networkspeed: param.string('the speed for the physical network[1G/10G]'),
    domainid: param.uuid('domain ID of the account owning a physical network'),
    broadcastdomainrange: param.oneOf('the broadcast domain range for the physical network[Pod or Zone]. In Acton release it can be Zone only in Advance zone, and Pod in Basic', ['ZONE', 'POD']),
    tags: param.list('Tag the physical network'),
    isolationmethods: param.list('the isolation method for the physical network[VLAN/L3/GRE]'),
  },
  async start(context, params) {
    const methods = isolationMethods(params.isolationmethods);
    const network = await context.services.physicalNetworks.create({
      zoneId: params.zoneid,
      name: params.name,
      ...defined({ vlan: params.vlan, networkSpeed: params.networkspeed, domainId: params.domainid, broadcastDomainRange: params.broadcastdomainrange, tags: params.tags, isolationMethods: methods }),
    });
    return {
      instanceType: 'PhysicalNetwork',
      instanceId: network.id,
      async work() {
        const [current] = (await context.services.physicalNetworks.list({ zoneId: network.zoneId })).filter((n) => n.id === network.id);
        return { type: 'object', object: physicalNetworkView(current ?? network) };
      },
    };
  },
});

/** `updatePhysicalNetwork`: state, VLAN ranges, speed or tags, as a job (root admin). */
export const updatePhysicalNetwork = defineCommand({
  ...catalogFacts('updatePhysicalNetwork'),
  kind: 'async',
  objectName: 'physicalnetwork',
  description: 'Updates a physical network',
  since: '3.0.0',
  params: {
    id: param.uuid('physical network id', { required: true }),
    state: param.oneOf('Enabled/Disabled', ['Enabled', 'Disabled']),
    vlan: param.string('the VLAN for the physical network'),
    networkspeed: param.string('the speed for the physical network[1G/10G]'),
    tags: param.list('Tag the physical network'),
  },
  async start(context, params) {
    return {
      instanceType: 'PhysicalNetwork',
      instanceId: params.id,
      async work() {
        const network = await context.services.physicalNetworks.update({ id: params.id, ...defined({ state: params.state, vlan: params.vlan, networkSpeed: params.networkspeed, tags: params.tags }) });
        return { type: 'object', object: physicalNetworkView(network) };
      },
    };
  },
});

/** `deletePhysicalNetwork`: deletes a physical network nothing uses, as a job (root admin). */
export const deletePhysicalNetwork = defineCommand({
  ...catalogFacts('deletePhysicalNetwork'),
  kind: 'async',
  description: 'Deletes a Physical Network.',
  since: '3.0.0',
  params: { id: param.uuid('the ID of the Physical network', { required: true }) },
  async start(context, params) {
    return {
      instanceType: 'PhysicalNetwork',
      instanceId: params.id,
      async work() {
        await context.services.physicalNetworks.delete({ id: params.id });
        return { type: 'success' };
      },
    };
  },
});

/** `listPhysicalNetworks`: physical networks, by zone or name (root admin). */
export const listPhysicalNetworks = defineCommand({
  ...catalogFacts('listPhysicalNetworks'),
  kind: 'list',
  objectName: 'physicalnetwork',
  description: 'Lists physical networks',
  since: '3.0.0',
  params: {
    id: param.uuid('list physical network by id'),
    zoneid: param.uuid('the Zone ID for the physical network'),
    name: param.string('search by name'),
    ...PAGING_PARAMS,
  },
  async execute(context, params) {
    const networks = (await context.services.physicalNetworks.list(defined({ zoneId: params.zoneid, name: params.name }))).filter((n) => params.id === undefined || n.id === params.id);
    return pageOf(context, params, networks, (n) => [n.name], physicalNetworkView);
  },
});
