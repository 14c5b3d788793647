import { notFound } from '@cloudstack-sdk/core';
import { param } from '../params/param-types.js';
import { NameLookup } from '../response/name-lookup.js';
import { storageNetworkIpRangeView, vlanIpRangeView } from '../response/zone-views.js';
import { catalogFacts } from './catalog.js';
import { defineCommand } from './command.js';
import { defined } from './defined.js';
import { PAGING_PARAMS } from './list-params.js';
import { pageOf } from './list-page.js';

/** `createVlanIpRange`: a public range (optionally dedicated to an account), or a direct guest range of a basic zone's pod (root admin). */
export const createVlanIpRange = defineCommand({
  ...catalogFacts('createVlanIpRange'),
  kind: 'sync',
  objectName: 'vlan',
  description: 'Creates a VLAN IP range.',
  params: {
    zoneid: param.uuid('the Zone ID of the VLAN IP range', { required: true }),
    podid: param.uuid('optional parameter. Have to be specified for Direct Untagged vlan only.'),
    forvirtualnetwork: param.boolean('true if VLAN is of Virtual type, false if Direct'),
    physicalnetworkid: param.uuid('the physical network id'),
    vlan: param.string('the ID or VID of the VLAN. If not specified, will be defaulted to the vlan of the network or if vlan of the network is null - to Untagged'),
    gateway: param.string('the gateway of the VLAN IP range', { required: true }),
    netmask: param.string('the netmask of the VLAN IP range', { required: true }),
    startip: param.string('the beginning IP address in the VLAN IP range', { required: true }),
    endip: param.string('the ending IP address in the VLAN IP range'),
    account: param.string('account who will own the VLAN. If VLAN is Zone wide, this parameter should be omitted'),
    domainid: param.uuid('domain ID of the account owning a VLAN'),
  },
  async execute(context, params) {
    const range = await context.services.ipRanges.createVlanIpRange({
      zoneId: params.zoneid,
      gateway: params.gateway,
      netmask: params.netmask,
      startIp: params.startip,
      ...defined({ podId: params.podid, forVirtualNetwork: params.forvirtualnetwork, physicalNetworkId: params.physicalnetworkid, vlan: params.vlan, endIp: params.endip, account: params.account, domainId: params.domainid }),
    });
    return { type: 'object', object: await vlanIpRangeView(range, new NameLookup(context.cloud.system)) };
  },
});

/** `deleteVlanIpRange`: deletes a range none of whose addresses is in use (root admin). */
export const deleteVlanIpRange = defineCommand({
  ...catalogFacts('deleteVlanIpRange'),
  kind: 'sync',
  description: 'Creates a VLAN IP range.',
  params: { id: param.uuid('the id of the VLAN IP range', { required: true }) },
  async execute(context, params) {
    await context.services.ipRanges.deleteVlanIpRange({ id: params.id });
    return { type: 'success' };
  },
});

/** `listVlanIpRanges`: public and direct guest ranges (root admin). */
export const listVlanIpRanges = defineCommand({
  ...catalogFacts('listVlanIpRanges'),
  kind: 'list',
  objectName: 'vlaniprange',
  description: 'Lists all VLAN IP ranges.',
  params: {
    id: param.uuid('the ID of the VLAN IP range'),
    zoneid: param.uuid('the Zone ID of the VLAN IP range'),
    podid: param.uuid('the Pod ID of the VLAN IP range'),
    vlan: param.string('the ID or VID of the VLAN. Default is an "untagged" VLAN.'),
    forvirtualnetwork: param.boolean('true if VLAN is of Virtual type, false if Direct'),
    physicalnetworkid: param.uuid('physical network id of the VLAN IP range'),
    ...PAGING_PARAMS,
  },
  async execute(context, params) {
    const purpose = params.forvirtualnetwork === undefined ? undefined : params.forvirtualnetwork ? 'Public' : 'DirectGuest';
    const ranges = (await context.services.ipRanges.list(defined({ zoneId: params.zoneid, podId: params.podid, physicalNetworkId: params.physicalnetworkid, purpose }))).filter(
      (r) => r.purpose !== 'Storage' && (params.id === undefined || r.id === params.id) && (params.vlan === undefined || r.vlan === params.vlan),
    );
    const names = new NameLookup(context.cloud.system);
    return pageOf(context, params, ranges, (r) => [r.vlan, r.startIp, r.endIp], (r) => vlanIpRangeView(r, names));
  },
});

/** `createStorageNetworkIpRange`: a pod's storage network range, as a job (root admin). */
export const createStorageNetworkIpRange = defineCommand({
  ...catalogFacts('createStorageNetworkIpRange'),
  kind: 'async',
  objectName: 'storagenetworkiprange',
  description: 'Creates a Storage network IP range.',
  since: '3.0.0',
  params: {
    podid: param.uuid('UUID of pod where the ip range belongs to', { required: true }),
    gateway: param.string('the gateway for storage network', { required: true }),
    netmask: param.string('the netmask for storage network', { required: true }),
    startip: param.string('the beginning IP address', { required: true }),
    endip: param.string('the ending IP address'),
    vlan: param.integer('Optional. The vlan the ip range sits on, default to Null when it is not specificed which means you network is not on any Vlan.'),
  },
  async start(context, params) {
    return {
      instanceType: 'None',
      async work() {
        const range = await context.services.ipRanges.createStorageNetworkIpRange({
          podId: params.podid,
          gateway: params.gateway,
          netmask: params.netmask,
          startIp: params.startip,
          ...defined({ endIp: params.endip, vlan: params.vlan }),
        });
        return { type: 'object', object: storageNetworkIpRangeView(range) };
      },
    };
  },
});

/** `deleteStorageNetworkIpRange`: deletes a storage network range, as a job (root admin). */
export const deleteStorageNetworkIpRange = defineCommand({
  ...catalogFacts('deleteStorageNetworkIpRange'),
  kind: 'async',
  description: 'Deletes a storage network IP Range.',
  since: '3.0.0',
  params: { id: param.uuid('the uuid of the storage network ip range', { required: true }) },
  async start(context, params) {
    const ranges = await context.services.ipRanges.list({ purpose: 'Storage' });
    if (!ranges.some((r) => r.id === params.id)) throw notFound('storage network IP range', 'id', params.id);
    return {
      instanceType: 'None',
      async work() {
        await context.services.ipRanges.deleteVlanIpRange({ id: params.id });
        return { type: 'success' };
      },
    };
  },
});

/** `listStorageNetworkIpRange`: storage network ranges (root admin). */
export const listStorageNetworkIpRange = defineCommand({
  ...catalogFacts('listStorageNetworkIpRange'),
  kind: 'list',
  objectName: 'storagenetworkiprange',
  description: 'List a storage network IP range.',
  since: '3.0.0',
  params: {
    id: param.uuid('optional parameter. Storaget network IP range uuid, if specicied, using it to search the range.'),
    podid: param.uuid('optional parameter. Pod uuid, if specicied and range uuid is absent, using it to search the range.'),
    zoneid: param.uuid('optional parameter. Zone uuid, if specicied and both pod uuid and range uuid are absent, using it to search the range.'),
    ...PAGING_PARAMS,
  },
  async execute(context, params) {
    const ranges = (await context.services.ipRanges.list(defined({ purpose: 'Storage' as const, zoneId: params.zoneid, podId: params.podid }))).filter((r) => params.id === undefined || r.id === params.id);
    return pageOf(context, params, ranges, (r) => [r.startIp, r.endIp], storageNetworkIpRangeView);
  },
});
