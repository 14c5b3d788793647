import { pageWindow, type PublicIpView } from '@cloudstack-sdk/core';
import { param } from '../params/param-types.js';
import type { ApiObject } from '../response/api-value.js';
import { catalogFacts } from './catalog.js';
import { defineCommand, type CommandDeclaration, type ResponseFieldDoc } from './command.js';
import { defined } from './defined.js';
import { PAGING_PARAMS, SCOPING_PARAMS, pagingInput, scopingInput } from './list-params.js';
import { unsupportedParameter } from './vm-support.js';

/**
 * `enableStaticNat` (sync, everyone): maps a public IP one-to-one to a VM's guest address on its
 * default NIC on the address's network (guide 13.12). Answers `"success":"true"` once the router
 * enforces it; refusals (431 naming the parameter: source NAT address, port forwarding or load
 * balancing on the address, not the VM's default network, ...; 534 router refusal) change nothing.
 */
export const enableStaticNat = defineCommand({
  ...catalogFacts('enableStaticNat'),
  kind: 'sync',
  description: 'Enables static nat for given ip address',
  params: {
    ipaddressid: param.uuid('the public IP address id for which static nat feature is being enabled', { required: true }),
    virtualmachineid: param.uuid('the ID of the virtual machine for enabling static nat feature', { required: true }),
    networkid: param.uuid('The network of the vm the static nat will be enabled for. Required when public Ip address is not associated with any Guest network yet (VPC case)'),
  },
  async execute(context, params) {
    await context.services.staticNat.enable({ ipAddressId: params.ipaddressid, virtualMachineId: params.virtualmachineid, ...defined({ networkId: params.networkid }) });
    return { type: 'success' };
  },
});

/**
 * `disableStaticNat` (async, everyone): removes an address's static NAT. The address is resolved
 * at accept (431); the job fails with core's reason when it has none or the router refuses, and
 * otherwise answers `{"success":true}`.
 */
export const disableStaticNat = defineCommand({
  ...catalogFacts('disableStaticNat'),
  kind: 'async',
  description: 'Disables static rule for given ip address',
  params: { ipaddressid: param.uuid('the public IP address id for which static nat feature is being disableed', { required: true }) },
  async start(context, params) {
    await context.services.publicIps.get({ id: params.ipaddressid });
    return {
      instanceType: 'IpAddress',
      instanceId: params.ipaddressid,
      async work() {
        await context.services.staticNat.disable({ ipAddressId: params.ipaddressid });
        return { type: 'success' };
      },
    };
  },
});

/** The fields of an `ipforwardingrule` reply object, for `listApis`. */
const IP_FORWARDING_RULE_FIELDS: readonly ResponseFieldDoc[] = [
  { name: 'id', description: 'the ID of the port forwarding rule', type: 'string' },
  { name: 'protocol', description: 'the protocol of the port forwarding rule', type: 'string' },
  { name: 'virtualmachineid', description: 'the VM ID for the port forwarding rule', type: 'string' },
  { name: 'virtualmachinename', description: 'the VM name for the port forwarding rule', type: 'string' },
  { name: 'virtualmachinedisplayname', description: 'the VM display name for the port forwarding rule', type: 'string' },
  { name: 'ipaddressid', description: 'the public ip address id for the port forwarding rule', type: 'long' },
  { name: 'ipaddress', description: 'the public ip address for the port forwarding rule', type: 'string' },
  { name: 'startport', description: 'the start port of the rule', type: 'integer' },
  { name: 'endport', description: 'the end port of the rule', type: 'integer' },
  { name: 'state', description: 'the state of the rule', type: 'string' },
];

/**
 * A static NAT mapping as 4.1's `ipforwardingrule`. Core keeps static NAT on the address (one
 * mapping per address, no rule row), so the mapping is named by the address's id and shown as
 * what it forwards: every protocol (`all`) on every port (1–65535) to the VM; `Active` once
 * enforced.
 */
function ipForwardingRuleView(ip: PublicIpView): ApiObject {
  return {
    id: ip.id,
    protocol: 'all',
    virtualmachineid: ip.staticNatVmId,
    virtualmachinename: ip.virtualMachineName,
    virtualmachinedisplayname: ip.virtualMachineDisplayName,
    ipaddressid: ip.id,
    ipaddress: ip.address,
    startport: 1,
    endport: 65535,
    state: 'Active',
  };
}

/**
 * `listIpForwardingRules` (list, everyone; Libcloud's `list_nodes`): the static NAT mappings
 * the caller may see, as `ipforwardingrule` objects (see {@link ipForwardingRuleView}),
 * filtered by `id`, `ipaddressid`, `virtualmachineid` and `keyword` (part of the address).
 */
export const listIpForwardingRules = defineCommand({
  ...catalogFacts('listIpForwardingRules'),
  kind: 'list',
  objectName: 'ipforwardingrule',
  description: 'List the ip forwarding rules',
  params: {
    id: param.uuid('Lists rule with the specified ID.'),
    ipaddressid: param.uuid('list the rule belonging to this public ip address'),
    virtualmachineid: param.uuid('Lists all rules applied to the specified Vm.'),
    projectid: param.uuid('list objects by project'),
    ...SCOPING_PARAMS,
    ...PAGING_PARAMS,
  },
  response: IP_FORWARDING_RULE_FIELDS,
  async execute(context, params) {
    if (params.projectid !== undefined) throw unsupportedParameter('projectid', 'projects are not supported by this cloud yet');
    if (params.id !== undefined && params.ipaddressid !== undefined && params.id !== params.ipaddressid) return { items: [], count: 0 };
    const all = await context.services.publicIps.list({ isStaticNat: true, ...defined({ id: params.id ?? params.ipaddressid, keyword: params.keyword === '' ? undefined : params.keyword }), ...scopingInput(params), pageSize: -1 });
    const matches = all.items.filter((ip) => params.virtualmachineid === undefined || ip.staticNatVmId === params.virtualmachineid);
    const window = pageWindow(pagingInput(params), await context.config.number('default.page.size'));
    const page = matches.slice(window.offset, window.limit === undefined ? undefined : window.offset + window.limit);
    return { items: page.map(ipForwardingRuleView), count: matches.length };
  },
});

/** The static NAT commands: enable, disable, and the mappings as IP forwarding rules. */
export const STATIC_NAT_COMMANDS: readonly CommandDeclaration[] = [enableStaticNat, disableStaticNat, listIpForwardingRules];
