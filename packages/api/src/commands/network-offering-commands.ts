import { invalidParameter, type NetworkOffering } from '@cloudstack-sdk/core';
import { param } from '../params/param-types.js';
import type { ApiObject } from '../response/api-value.js';
import { catalogFacts } from './catalog.js';
import { defineCommand, type CommandContext, type CommandDeclaration } from './command.js';
import { defined } from './defined.js';
import { PAGING_PARAMS, pagingInput } from './list-params.js';

/** One capability of an offered service, as 4.1's `CapabilityResponse`. */
function capability(name: string, value: string): ApiObject {
  return { name, value, canchooseservicecapability: false };
}

/**
 * The capabilities 4.1 reports for an offered service (`ApiResponseHelper`
 * `createNetworkOfferingResponse`): LB isolation and elastic LB, source NAT type and redundant
 * router, elastic IP; plus the load balancer's algorithms and stickiness methods.
 */
function capabilitiesOf(offering: NetworkOffering, service: string): ApiObject[] {
  if (service === 'Lb') {
    return [
      capability('SupportedLBIsolation', 'dedicated'),
      capability('ElasticLb', String(offering.elasticLb)),
      capability('SupportedLBAlgorithms', offering.lbAlgorithms.join(',')),
      capability('SupportedStickinessMethods', offering.stickinessMethods.join(',')),
    ];
  }
  if (service === 'SourceNat') return [capability('SupportedSourceNatTypes', offering.sourceNatType ?? 'peraccount'), capability('RedundantRouter', 'false')];
  if (service === 'StaticNat') return [capability('ElasticIp', String(offering.elasticIp))];
  return [];
}

/**
 * A network offering (reference §5 `networkoffering`). `networkrate` is the offering's rate,
 * or `network.throttling.rate` when it has none, as 4.1 reports it.
 */
export async function networkOfferingView(context: CommandContext, offering: NetworkOffering): Promise<ApiObject> {
  return {
    id: offering.id,
    name: offering.name,
    displaytext: offering.displayText,
    tags: offering.tags,
    created: context.formatDate(offering.createdAt),
    traffictype: offering.trafficType,
    isdefault: offering.isDefault,
    specifyvlan: offering.specifyVlan,
    conservemode: offering.conserveMode,
    specifyipranges: offering.specifyIpRanges,
    availability: offering.availability,
    networkrate: offering.networkRate ?? (await context.config.number('network.throttling.rate')),
    state: offering.state,
    guestiptype: offering.guestIpType,
    serviceofferingid: offering.serviceOfferingId,
    service: offering.services.map((s) => {
      const capabilities = capabilitiesOf(offering, s.service);
      return { name: s.service, provider: [{ name: s.provider }], ...(capabilities.length === 0 ? {} : { capability: capabilities }) };
    }),
    forvpc: offering.forVpc,
    ispersistent: offering.isPersistent,
  };
}

/** A field of a map parameter entry, its name matched in any case (clients send `capabilityType` or `capabilitytype`). */
function field(entry: Readonly<Record<string, string>>, name: string, mapName: string, index: number): string {
  const key = Object.keys(entry).find((k) => k.toLowerCase() === name);
  const value = key === undefined ? undefined : entry[key];
  if (value === undefined || value.trim() === '') throw invalidParameter(mapName, `entry ${index} has no ${name}`);
  return value;
}

/** `createNetworkOffering`: a network offering, created Disabled (root admin). */
export const createNetworkOffering = defineCommand({
  ...catalogFacts('createNetworkOffering'),
  kind: 'sync',
  objectName: 'networkoffering',
  since: '3.0.0',
  description: 'Creates a network offering.',
  params: {
    name: param.string('the name of the network offering', { required: true }),
    displaytext: param.string('the display text of the network offering', { required: true }),
    traffictype: param.oneOf('the traffic type for the network offering. Supported type in current release is GUEST only', ['Guest'], { required: true }),
    guestiptype: param.oneOf('guest type of the network offering: Shared or Isolated', ['Shared', 'Isolated'], { required: true }),
    supportedservices: param.list('services supported by the network offering', { required: true }),
    serviceproviderlist: param.map('provider to service mapping. If not specified, the provider for the service will be mapped to the default provider on the physical network'),
    servicecapabilitylist: param.map('desired service capabilities as part of network offering'),
    tags: param.string('the tags for the network offering.', { length: 4096 }),
    specifyvlan: param.boolean('true if network offering supports vlans'),
    availability: param.oneOf('the availability of network offering. Default value is Optional', ['Required', 'Optional']),
    networkrate: param.integer('data transfer rate in megabits per second allowed'),
    conservemode: param.boolean('true if the network offering is IP conserve mode enabled'),
    serviceofferingid: param.uuid('the service offering ID used by virtual router provider'),
    specifyipranges: param.boolean('true if network offering supports specifying ip ranges; defaulted to false if not specified'),
    ispersistent: param.boolean('true if network offering supports persistent networks; defaulted to false if not specified'),
  },
  async execute(context, params) {
    const offering = await context.services.networkOfferings.create({
      name: params.name,
      displayText: params.displaytext,
      trafficType: params.traffictype,
      guestIpType: params.guestiptype,
      supportedServices: params.supportedservices,
      serviceProviderList: (params.serviceproviderlist ?? []).map((e, i) => ({
        service: field(e, 'service', 'serviceproviderlist', i),
        provider: field(e, 'provider', 'serviceproviderlist', i),
      })),
      serviceCapabilityList: (params.servicecapabilitylist ?? []).map((e, i) => ({
        service: field(e, 'service', 'servicecapabilitylist', i),
        capabilityType: field(e, 'capabilitytype', 'servicecapabilitylist', i),
        capabilityValue: field(e, 'capabilityvalue', 'servicecapabilitylist', i),
      })),
      ...defined({
        tags: params.tags,
        specifyVlan: params.specifyvlan,
        availability: params.availability,
        networkRate: params.networkrate,
        conserveMode: params.conservemode,
        serviceOfferingId: params.serviceofferingid,
        specifyIpRanges: params.specifyipranges,
        isPersistent: params.ispersistent,
      }),
    });
    return { type: 'object', object: await networkOfferingView(context, offering) };
  },
});

/** `updateNetworkOffering`: names, availability and state of a network offering (root admin). */
export const updateNetworkOffering = defineCommand({
  ...catalogFacts('updateNetworkOffering'),
  kind: 'sync',
  objectName: 'networkoffering',
  since: '3.0.0',
  description: 'Updates a network offering.',
  params: {
    id: param.uuid('the id of the network offering', { required: true }),
    name: param.string('the name of the network offering'),
    displaytext: param.string('the display text of the network offering'),
    availability: param.oneOf('the availability of network offering. Default value is Required for Guest Virtual network offering; Optional for Guest Direct network offering', ['Required', 'Optional']),
    state: param.oneOf('update state for the network offering', ['Enabled', 'Disabled']),
  },
  async execute(context, params) {
    const offering = await context.services.networkOfferings.update({
      id: params.id,
      ...defined({ name: params.name, displayText: params.displaytext, availability: params.availability, state: params.state }),
    });
    return { type: 'object', object: await networkOfferingView(context, offering) };
  },
});

/** `deleteNetworkOffering`: removes an unused, non-default network offering (root admin). */
export const deleteNetworkOffering = defineCommand({
  ...catalogFacts('deleteNetworkOffering'),
  kind: 'sync',
  since: '3.0.0',
  description: 'Deletes a network offering.',
  params: { id: param.uuid('the ID of the network offering', { required: true }) },
  async execute(context, params) {
    await context.services.networkOfferings.delete(params.id);
    return { type: 'success' };
  },
});

/** `listNetworkOfferings`: the offerings the caller may see (everyone). */
export const listNetworkOfferings = defineCommand({
  ...catalogFacts('listNetworkOfferings'),
  kind: 'list',
  objectName: 'networkoffering',
  since: '3.0.0',
  description: 'Lists all available network offerings.',
  params: {
    id: param.uuid('list network offerings by id'),
    name: param.string('list network offerings by name'),
    displaytext: param.string('list network offerings by display text'),
    traffictype: param.oneOf('list by traffic type', ['Guest']),
    guestiptype: param.oneOf('list network offerings by guest type: Shared or Isolated', ['Shared', 'Isolated']),
    state: param.oneOf('list network offerings by state', ['Enabled', 'Disabled']),
    availability: param.oneOf('the availability of network offering. Default value is Required', ['Required', 'Optional']),
    isdefault: param.boolean('true if need to list only default network offerings. Default value is false'),
    specifyvlan: param.boolean('the tags for the network offering.'),
    specifyipranges: param.boolean('true if need to list only network offerings which support specifying ip ranges'),
    forvpc: param.boolean('the network offering can be used only for network creation inside the VPC'),
    sourcenatsupported: param.boolean('true if need to list only netwok offerings where source nat is supported, false otherwise'),
    supportedservices: param.list('list network offerings supporting certain services'),
    zoneid: param.uuid('list netowrk offerings available for network creation in specific zone'),
    tags: param.string('list network offerings by tags', { length: 4096 }),
    istagged: param.boolean('true if offering has tags specified'),
    ...PAGING_PARAMS,
  },
  async execute(context, params) {
    const page = await context.services.networkOfferings.list({
      ...defined({
        id: params.id,
        name: params.name,
        displayText: params.displaytext,
        keyword: params.keyword,
        trafficType: params.traffictype,
        guestIpType: params.guestiptype,
        state: params.state,
        availability: params.availability,
        isDefault: params.isdefault,
        specifyVlan: params.specifyvlan,
        specifyIpRanges: params.specifyipranges,
        forVpc: params.forvpc,
        sourceNatSupported: params.sourcenatsupported,
        supportedServices: params.supportedservices,
        zoneId: params.zoneid,
        tags: params.tags,
        isTagged: params.istagged,
      }),
      ...pagingInput(params),
    });
    const items: ApiObject[] = [];
    for (const offering of page.items) items.push(await networkOfferingView(context, offering));
    return { items, count: page.total };
  },
});

/** The network offering commands. */
export const NETWORK_OFFERING_COMMANDS: readonly CommandDeclaration[] = [createNetworkOffering, updateNetworkOffering, deleteNetworkOffering, listNetworkOfferings];

