import type { PortForwardingRuleView } from '@cloudstack-sdk/core';
import { param } from '../params/param-types.js';
import type { ApiObject } from '../response/api-value.js';
import { catalogFacts } from './catalog.js';
import { defineCommand, type CommandDeclaration, type ResponseFieldDoc } from './command.js';
import { defined } from './defined.js';
import { PAGING_PARAMS, SCOPING_PARAMS, pagingInput, scopingInput } from './list-params.js';
import { unsupportedParameter } from './vm-support.js';

/** The fields of a `portforwardingrule` reply object, for `listApis`. */
const PORT_FORWARDING_RULE_FIELDS: readonly ResponseFieldDoc[] = [
  { name: 'id', description: 'the ID of the port forwarding rule', type: 'string' },
  { name: 'privateport', description: 'the starting port of port forwarding rule\'s private port range', type: 'string' },
  { name: 'privateendport', description: 'the ending port of port forwarding rule\'s private port range', type: 'string' },
  { name: 'protocol', description: 'the protocol of the port forwarding rule', type: 'string' },
  { name: 'publicport', description: 'the starting port of port forwarding rule\'s public port range', type: 'string' },
  { name: 'publicendport', description: 'the ending port of port forwarding rule\'s private port range', type: 'string' },
  { name: 'virtualmachineid', description: 'the VM ID for the port forwarding rule', type: 'string' },
  { name: 'virtualmachinename', description: 'the VM name for the port forwarding rule', type: 'string' },
  { name: 'virtualmachinedisplayname', description: 'the VM display name for the port forwarding rule', type: 'string' },
  { name: 'ipaddressid', description: 'the public ip address id for the port forwarding rule', type: 'string' },
  { name: 'ipaddress', description: 'the public ip address for the port forwarding rule', type: 'string' },
  { name: 'state', description: 'the state of the rule', type: 'string' },
  { name: 'cidrlist', description: 'the cidr list to forward traffic from', type: 'string' },
];

/**
 * A port forwarding rule as 4.1's `FirewallRuleResponse` (reference §5 `portforwardingrule`):
 * all four ports as strings, always present (Libcloud indexes them), the CIDRs as one comma
 * string (empty for every source, as 4.1 stores none then).
 */
export function portForwardingRuleView(rule: PortForwardingRuleView): ApiObject {
  return {
    id: rule.id,
    privateport: String(rule.privatePort),
    privateendport: String(rule.privateEndPort),
    protocol: rule.protocol,
    publicport: String(rule.publicPort),
    publicendport: String(rule.publicEndPort),
    virtualmachineid: rule.virtualMachineId,
    virtualmachinename: rule.virtualMachineName,
    virtualmachinedisplayname: rule.virtualMachineDisplayName,
    ipaddressid: rule.ipAddressId,
    ipaddress: rule.ipAddress,
    state: rule.state,
    cidrlist: rule.cidrs.join(','),
  };
}

/**
 * `createPortForwardingRule` (async-create, everyone; Libcloud's `ex_create_port_forwarding_rule`,
 * which sends `openfirewall=True`): a public IP's port range forwarded to the same-length private
 * range of a VM on the IP's network (its default NIC), with a firewall rule for the public ports
 * when `openfirewall` (4.1's default: true). Core checks, stores and applies the rule (and the
 * firewall rule) in one call, so it is `Active` before the accept reply `{id, jobid}`; the job
 * answers `{"portforwardingrule":{…}}`. Refusals answer the request: 431 naming the parameter,
 * 537 for a public port already forwarded, 534 when the router refuses (nothing is kept).
 */
export const createPortForwardingRule = defineCommand({
  ...catalogFacts('createPortForwardingRule'),
  kind: 'async-create',
  objectName: 'portforwardingrule',
  description: 'Creates a port forwarding rule',
  params: {
    ipaddressid: param.uuid('the IP address id of the port forwarding rule', { required: true }),
    privateport: param.integer('the starting port of port forwarding rule\'s private port range', { required: true }),
    privateendport: param.integer('the ending port of port forwarding rule\'s private port range'),
    protocol: param.string('the protocol for the port fowarding rule. Valid values are TCP or UDP.', { required: true }),
    publicport: param.integer('the starting port of port forwarding rule\'s public port range', { required: true }),
    publicendport: param.integer('the ending port of port forwarding rule\'s private port range'),
    virtualmachineid: param.uuid('the ID of the virtual machine for the port forwarding rule', { required: true }),
    cidrlist: param.list('the cidr list to forward traffic from'),
    openfirewall: param.boolean('if true, firewall rule for source/end pubic port is automatically created; if false - firewall rule has to be created explicitely. Has value true by default'),
    networkid: param.uuid('The network of the vm the Port Forwarding rule will be created for. Required when public Ip address is not associated with any Guest network yet (VPC case)'),
  },
  response: PORT_FORWARDING_RULE_FIELDS,
  related: ['listPortForwardingRules', 'deletePortForwardingRule'],
  async start(context, params) {
    const rule = await context.services.portForwarding.create({
      ipAddressId: params.ipaddressid,
      protocol: params.protocol,
      publicPort: params.publicport,
      privatePort: params.privateport,
      virtualMachineId: params.virtualmachineid,
      ...defined({ publicEndPort: params.publicendport, privateEndPort: params.privateendport, cidrList: params.cidrlist, openFirewall: params.openfirewall, networkId: params.networkid }),
    });
    return {
      instanceType: 'FirewallRule',
      instanceId: rule.id,
      async work() {
        return { type: 'object', object: portForwardingRuleView(await context.services.portForwarding.get({ id: rule.id })) };
      },
    };
  },
});

/**
 * `deletePortForwardingRule` (async, everyone; Libcloud's `ex_delete_port_forwarding_rule`): the
 * rule is resolved at accept (431); the job removes it (and the firewall rule it opened) from the
 * router and answers `{"success":true}`, or fails with core's reason (the rule stays `Active`).
 */
export const deletePortForwardingRule = defineCommand({
  ...catalogFacts('deletePortForwardingRule'),
  kind: 'async',
  description: 'Deletes a port forwarding rule',
  params: { id: param.uuid('the ID of the port forwarding rule', { required: true }) },
  async start(context, params) {
    await context.services.portForwarding.get({ id: params.id });
    return {
      instanceType: 'FirewallRule',
      instanceId: params.id,
      async work() {
        await context.services.portForwarding.delete({ id: params.id });
        return { type: 'success' };
      },
    };
  },
});

/**
 * `listPortForwardingRules` (list, everyone; Libcloud's `list_nodes` and
 * `ex_list_port_forwarding_rules`): the rules the caller may see, oldest first, by `id` and
 * `ipaddressid` (an address the caller cannot see is 431).
 */
export const listPortForwardingRules = defineCommand({
  ...catalogFacts('listPortForwardingRules'),
  kind: 'list',
  objectName: 'portforwardingrule',
  description: 'Lists all port forwarding rules for an IP address.',
  params: {
    id: param.uuid('Lists rule with the specified ID.'),
    ipaddressid: param.uuid('the id of IP address of the port forwarding services'),
    projectid: param.uuid('list objects by project'),
    ...SCOPING_PARAMS,
    ...PAGING_PARAMS,
  },
  response: PORT_FORWARDING_RULE_FIELDS,
  async execute(context, params) {
    if (params.projectid !== undefined) throw unsupportedParameter('projectid', 'projects are not supported by this cloud yet');
    const page = await context.services.portForwarding.list({ ...defined({ id: params.id, ipAddressId: params.ipaddressid }), ...scopingInput(params), ...pagingInput(params) });
    return { items: page.items.map(portForwardingRuleView), count: page.total };
  },
});

/** The port forwarding commands: create, delete and list. */
export const PORT_FORWARDING_COMMANDS: readonly CommandDeclaration[] = [createPortForwardingRule, deletePortForwardingRule, listPortForwardingRules];
