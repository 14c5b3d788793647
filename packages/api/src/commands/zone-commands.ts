import { param } from '../params/param-types.js';
import { NameLookup } from '../response/name-lookup.js';
import { zoneView } from '../response/zone-views.js';
import { catalogFacts } from './catalog.js';
import { defineCommand } from './command.js';
import { defined } from './defined.js';
import { PAGING_PARAMS } from './list-params.js';
import { pageOf } from './list-page.js';

const ALLOCATION_STATES = ['Enabled', 'Disabled'] as const;

/** `listZones`: the zones the caller may see (everyone). */
export const listZones = defineCommand({
  ...catalogFacts('listZones'),
  kind: 'list',
  objectName: 'zone',
  description: 'Lists zones',
  params: {
    id: param.uuid('the ID of the zone'),
    available: param.boolean('true if you want to retrieve all available Zones. False if you only want to return the Zones from which you have at least one VM. Default is false.'),
    domainid: param.uuid('the ID of the domain associated with the zone'),
    ...PAGING_PARAMS,
  },
  async execute(context, params) {
    const zones = await context.services.zones.list(defined({ id: params.id, domainId: params.domainid }));
    const names = new NameLookup(context.cloud.system);
    return pageOf(context, params, zones, (z) => [z.name, z.description], (z) => zoneView(z, names));
  },
});

/** `createZone`: creates a zone, disabled until set up (root admin). */
export const createZone = defineCommand({
  ...catalogFacts('createZone'),
  kind: 'sync',
  objectName: 'zone',
  description: 'Creates a Zone.',
  params: {
    name: param.string('the name of the Zone', { required: true }),
    networktype: param.oneOf('network type of the zone, can be Basic or Advanced', ['Basic', 'Advanced'], { required: true }),
    dns1: param.string('the first DNS for the Zone', { required: true }),
    dns2: param.string('the second DNS for the Zone'),
    internaldns1: param.string('the first internal DNS for the Zone', { required: true }),
    internaldns2: param.string('the second internal DNS for the Zone'),
    guestcidraddress: param.string('the guest CIDR address for the Zone'),
    domain: param.string('Network domain name for the networks in the zone'),
    domainid: param.uuid('the ID of the containing domain, null for public zones'),
    allocationstate: param.oneOf('Allocation state of this Zone for allocation of new resources', ALLOCATION_STATES),
    securitygroupenabled: param.boolean('true if network is security group enabled, false otherwise'),
    localstorageenabled: param.boolean('true if local storage offering enabled, false otherwise'),
  },
  async execute(context, params) {
    const zone = await context.services.zones.create({
      name: params.name,
      networkType: params.networktype,
      dns1: params.dns1,
      internalDns1: params.internaldns1,
      ...defined({
        dns2: params.dns2,
        internalDns2: params.internaldns2,
        guestCidrAddress: params.guestcidraddress,
        networkDomain: params.domain,
        domainId: params.domainid,
        allocationState: params.allocationstate,
        securityGroupEnabled: params.securitygroupenabled,
        localStorageEnabled: params.localstorageenabled,
      }),
    });
    return { type: 'object', object: await zoneView(zone, new NameLookup(context.cloud.system)) };
  },
});

/** `updateZone`: changes a zone's settings or allocation state (root admin). */
export const updateZone = defineCommand({
  ...catalogFacts('updateZone'),
  kind: 'sync',
  objectName: 'zone',
  description: 'Updates a Zone.',
  params: {
    id: param.uuid('the ID of the Zone', { required: true }),
    name: param.string('the name of the Zone'),
    dns1: param.string('the first DNS for the Zone'),
    dns2: param.string('the second DNS for the Zone'),
    internaldns1: param.string('the first internal DNS for the Zone'),
    internaldns2: param.string('the second internal DNS for the Zone'),
    guestcidraddress: param.string('the guest CIDR address for the Zone'),
    domain: param.string('Network domain name for the networks in the zone'),
    allocationstate: param.oneOf('Allocation state of this cluster for allocation of new resources', ALLOCATION_STATES),
    localstorageenabled: param.boolean('true if local storage offering enabled, false otherwise'),
    ispublic: param.boolean('updates a private zone to public if set, but not vice-versa'),
  },
  async execute(context, params) {
    const zone = await context.services.zones.update({
      id: params.id,
      ...defined({
        name: params.name,
        dns1: params.dns1,
        dns2: params.dns2,
        internalDns1: params.internaldns1,
        internalDns2: params.internaldns2,
        guestCidrAddress: params.guestcidraddress,
        networkDomain: params.domain,
        allocationState: params.allocationstate,
        localStorageEnabled: params.localstorageenabled,
        isPublic: params.ispublic,
      }),
    });
    return { type: 'object', object: await zoneView(zone, new NameLookup(context.cloud.system)) };
  },
});

/** `deleteZone`: deletes an empty zone (root admin). */
export const deleteZone = defineCommand({
  ...catalogFacts('deleteZone'),
  kind: 'sync',
  description: 'Deletes a Zone.',
  params: { id: param.uuid('the ID of the Zone', { required: true }) },
  async execute(context, params) {
    await context.services.zones.delete({ id: params.id });
    return { type: 'success' };
  },
});
