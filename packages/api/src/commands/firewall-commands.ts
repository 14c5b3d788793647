import { notFound, type FirewallRuleView } from '@cloudstack-sdk/core';
import { param } from '../params/param-types.js';
import type { ApiObject } from '../response/api-value.js';
import { catalogFacts } from './catalog.js';
import { defineCommand, type AsyncPlan, type CommandContext, type CommandDeclaration, type ResponseFieldDoc } from './command.js';
import { defined } from './defined.js';
import { PAGING_PARAMS, SCOPING_PARAMS, pagingInput, scopingInput } from './list-params.js';
import { unsupportedParameter } from './vm-support.js';

/** The fields of a `firewallrule` reply object, for `listApis`. */
const FIREWALL_RULE_FIELDS: readonly ResponseFieldDoc[] = [
  { name: 'id', description: 'the ID of the firewall rule', type: 'string' },
  { name: 'protocol', description: 'the protocol of the firewall rule', type: 'string' },
  { name: 'startport', description: 'the starting port of firewall rule\'s port range', type: 'string' },
  { name: 'endport', description: 'the ending port of firewall rule\'s port range', type: 'string' },
  { name: 'ipaddressid', description: 'the public ip address id for the firewall rule', type: 'long' },
  { name: 'networkid', description: 'the network id of the firewall rule', type: 'long' },
  { name: 'ipaddress', description: 'the public ip address for the firewall rule', type: 'string' },
  { name: 'state', description: 'the state of the rule', type: 'string' },
  { name: 'cidrlist', description: 'the cidr list to forward traffic from', type: 'string' },
  { name: 'icmptype', description: 'type of the icmp message being sent', type: 'integer' },
  { name: 'icmpcode', description: 'error code for this icmp message', type: 'integer' },
];

/**
 * A firewall or egress rule as 4.1's `FirewallResponse` (reference §5 `firewallrule`): ports as
 * strings (absent for ICMP and `all`), the CIDRs as one comma string, ICMP type and code for
 * ICMP; an ingress rule names its public IP (`ipaddressid`, `ipaddress`), an egress rule its
 * network (`networkid`), as 4.1 does.
 */
export function firewallRuleView(rule: FirewallRuleView): ApiObject {
  const ingress = rule.trafficType === 'Ingress';
  return {
    id: rule.id,
    protocol: rule.protocol,
    startport: rule.startPort === undefined ? undefined : String(rule.startPort),
    endport: rule.endPort === undefined ? undefined : String(rule.endPort),
    ipaddressid: ingress ? rule.ipAddressId : undefined,
    networkid: ingress ? undefined : rule.networkId,
    ipaddress: ingress ? rule.ipAddress : undefined,
    state: rule.state,
    cidrlist: rule.cidrs.join(','),
    icmptype: rule.icmpType,
    icmpcode: rule.icmpCode,
  };
}

/** The traffic parameters of `createFirewallRule` and `createEgressFirewallRule`. */
const TRAFFIC_PARAMS = {
  protocol: param.string('the protocol for the firewall rule. Valid values are TCP/UDP/ICMP.', { required: true }),
  startport: param.integer('the starting port of firewall rule'),
  endport: param.integer('the ending port of firewall rule'),
  cidrlist: param.list('the cidr list to forward traffic from'),
  icmptype: param.integer('type of the icmp message being sent'),
  icmpcode: param.integer('error code for this icmp message'),
  type: param.oneOf('type of firewallrule: system/user', ['user', 'system']),
} as const;

/** The traffic of a create command as core's input. */
function trafficInput(params: { readonly protocol: string; readonly startport?: number; readonly endport?: number; readonly cidrlist?: string[]; readonly icmptype?: number; readonly icmpcode?: number; readonly type?: string }) {
  if (params.type === 'system') throw unsupportedParameter('type', 'system firewall rules are made by the cloud itself, not through the API');
  return { protocol: params.protocol, ...defined({ startPort: params.startport, endPort: params.endport, cidrList: params.cidrlist, icmpType: params.icmptype, icmpCode: params.icmpcode }) };
}

/** The job of a rule created at accept: it answers the rule as stored when it runs. */
function createdRuleJob(context: CommandContext, rule: FirewallRuleView, reread: () => Promise<FirewallRuleView | undefined>): AsyncPlan {
  return {
    instanceType: 'FirewallRule',
    instanceId: rule.id,
    async work() {
      return { type: 'object', object: firewallRuleView((await reread()) ?? rule) };
    },
  };
}

/**
 * `createFirewallRule` (async-create, everyone; Libcloud's `ex_create_firewall_rule`): opens a
 * protocol and port range (or ICMP type and code, or all traffic) to a public IP from a CIDR list
 * (any by default). Core checks, stores and applies the rule to the network's providers in one
 * call, so the rule is `Active` before the accept reply `{id, jobid}` and the job answers
 * `{"firewallrule":{…}}`; refusals answer the request (431 naming the parameter, 537 for the same
 * rule again, 534 when the router refuses — the rule is then gone).
 */
export const createFirewallRule = defineCommand({
  ...catalogFacts('createFirewallRule'),
  kind: 'async-create',
  objectName: 'firewallrule',
  description: 'Creates a firewall rule for a given ip address',
  params: { ipaddressid: param.uuid('the IP address id of the port forwarding rule', { required: true }), ...TRAFFIC_PARAMS },
  response: FIREWALL_RULE_FIELDS,
  related: ['listFirewallRules', 'deleteFirewallRule'],
  async start(context, params) {
    const rule = await context.services.firewallRules.create({ ipAddressId: params.ipaddressid, ...trafficInput(params) });
    return createdRuleJob(context, rule, async () => (await context.services.firewallRules.list({ id: rule.id, listAll: true })).items[0]);
  },
});

/**
 * `deleteFirewallRule` (async, everyone): the rule is resolved at accept (431); the job removes
 * it from the providers (failing with core's reason when they refuse: the rule stays `Active`)
 * and answers `{"success":true}`.
 */
export const deleteFirewallRule = defineCommand({
  ...catalogFacts('deleteFirewallRule'),
  kind: 'async',
  description: 'Deletes a firewall rule',
  params: { id: param.uuid('the ID of the firewall rule', { required: true }) },
  async start(context, params) {
    const [rule] = (await context.services.firewallRules.list({ id: params.id, listAll: true })).items;
    if (rule === undefined) throw notFound('firewall rule', 'id', params.id);
    return {
      instanceType: 'FirewallRule',
      instanceId: params.id,
      async work() {
        await context.services.firewallRules.delete({ id: params.id });
        return { type: 'success' };
      },
    };
  },
});

/** `listFirewallRules` (list, everyone; Libcloud's `ex_list_firewall_rules`): ingress rules the caller may see, by `id` and `ipaddressid`. */
export const listFirewallRules = defineCommand({
  ...catalogFacts('listFirewallRules'),
  kind: 'list',
  objectName: 'firewallrule',
  description: 'Lists all firewall rules for an IP address.',
  params: {
    id: param.uuid('Lists rule with the specified ID.'),
    ipaddressid: param.uuid('the id of IP address of the firwall services'),
    projectid: param.uuid('list objects by project'),
    ...SCOPING_PARAMS,
    ...PAGING_PARAMS,
  },
  response: FIREWALL_RULE_FIELDS,
  async execute(context, params) {
    if (params.projectid !== undefined) throw unsupportedParameter('projectid', 'projects are not supported by this cloud yet');
    const page = await context.services.firewallRules.list({ ...defined({ id: params.id, ipAddressId: params.ipaddressid }), ...scopingInput(params), ...pagingInput(params) });
    return { items: page.items.map(firewallRuleView), count: page.total };
  },
});

/**
 * `createEgressFirewallRule` (async-create, everyone; Libcloud's `ex_create_egress_firewall_rule`):
 * allows a protocol and port range (or ICMP, or all) out of an isolated network to a list of
 * destination CIDRs (any by default). As `createFirewallRule`, core applies it before the accept
 * reply; the job answers `{"firewallrule":{…}}`.
 */
export const createEgressFirewallRule = defineCommand({
  ...catalogFacts('createEgressFirewallRule'),
  kind: 'async-create',
  objectName: 'firewallrule',
  description: 'Creates a egress firewall rule for a given network ',
  params: { networkid: param.uuid('the network id of the port forwarding rule', { required: true }), ...TRAFFIC_PARAMS },
  response: FIREWALL_RULE_FIELDS,
  related: ['listEgressFirewallRules', 'deleteEgressFirewallRule'],
  async start(context, params) {
    const rule = await context.services.egressRules.create({ networkId: params.networkid, ...trafficInput(params) });
    return createdRuleJob(context, rule, async () => (await context.services.egressRules.list({ id: rule.id, listAll: true })).items[0]);
  },
});

/** `deleteEgressFirewallRule` (async, everyone): as `deleteFirewallRule`, for an egress rule. */
export const deleteEgressFirewallRule = defineCommand({
  ...catalogFacts('deleteEgressFirewallRule'),
  kind: 'async',
  description: 'Deletes an ggress firewall rule',
  params: { id: param.uuid('the ID of the firewall rule', { required: true }) },
  async start(context, params) {
    const [rule] = (await context.services.egressRules.list({ id: params.id, listAll: true })).items;
    if (rule === undefined) throw notFound('egress firewall rule', 'id', params.id);
    return {
      instanceType: 'FirewallRule',
      instanceId: params.id,
      async work() {
        await context.services.egressRules.delete({ id: params.id });
        return { type: 'success' };
      },
    };
  },
});

/** `listEgressFirewallRules` (list, everyone; Libcloud's `ex_list_egress_firewall_rules`): egress rules the caller may see, by `id` and `networkid`. */
export const listEgressFirewallRules = defineCommand({
  ...catalogFacts('listEgressFirewallRules'),
  kind: 'list',
  objectName: 'firewallrule',
  description: 'Lists all egress firewall rules for network id.',
  params: {
    id: param.uuid('Lists rule with the specified ID.'),
    networkid: param.uuid('the id network network for the egress firwall services'),
    projectid: param.uuid('list objects by project'),
    ...SCOPING_PARAMS,
    ...PAGING_PARAMS,
  },
  response: FIREWALL_RULE_FIELDS,
  async execute(context, params) {
    if (params.projectid !== undefined) throw unsupportedParameter('projectid', 'projects are not supported by this cloud yet');
    const page = await context.services.egressRules.list({ ...defined({ id: params.id, networkId: params.networkid }), ...scopingInput(params), ...pagingInput(params) });
    return { items: page.items.map(firewallRuleView), count: page.total };
  },
});

/** The firewall commands: ingress rules on public IPs and egress rules of networks. */
export const FIREWALL_COMMANDS: readonly CommandDeclaration[] = [createFirewallRule, deleteFirewallRule, listFirewallRules, createEgressFirewallRule, deleteEgressFirewallRule, listEgressFirewallRules];
