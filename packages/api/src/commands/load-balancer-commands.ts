import { invalidParameter, notFound, type LbStickinessPolicy, type LoadBalancerRuleView } from '@cloudstack-sdk/core';
import { param } from '../params/param-types.js';
import type { ApiObject } from '../response/api-value.js';
import { catalogFacts } from './catalog.js';
import { defineCommand, type AsyncPlan, type CommandContext, type CommandDeclaration, type ResponseFieldDoc } from './command.js';
import { defined } from './defined.js';
import { PAGING_PARAMS, SCOPING_PARAMS, pagingInput, scopingInput } from './list-params.js';
import { VM_RESPONSE_FIELDS, unsupportedParameter, vmObject } from './vm-support.js';

const NO_PROJECTS = 'projects are not supported by this cloud yet';

/** The fields of a `loadbalancerrule` / `loadbalancer` reply object, for `listApis`. */
const LOAD_BALANCER_FIELDS: readonly ResponseFieldDoc[] = [
  { name: 'id', description: 'the load balancer rule ID', type: 'string' },
  { name: 'name', description: 'the name of the load balancer', type: 'string' },
  { name: 'description', description: 'the description of the load balancer', type: 'string' },
  { name: 'publicipid', description: 'the public ip address id', type: 'string' },
  { name: 'publicip', description: 'the public ip address', type: 'string' },
  { name: 'publicport', description: 'the public port', type: 'string' },
  { name: 'privateport', description: 'the private port', type: 'string' },
  { name: 'algorithm', description: 'the load balancer algorithm (source, roundrobin, leastconn)', type: 'string' },
  { name: 'cidrlist', description: 'the cidr list to forward traffic from', type: 'string' },
  { name: 'account', description: 'the account of the load balancer rule', type: 'string' },
  { name: 'domainid', description: 'the domain ID of the load balancer rule', type: 'string' },
  { name: 'domain', description: 'the domain of the load balancer rule', type: 'string' },
  { name: 'state', description: 'the state of the rule', type: 'string' },
  { name: 'zoneid', description: 'the id of the zone the rule belongs to', type: 'string' },
];

/**
 * Views of load-balancing rules as 4.1's `LoadBalancerResponse` (reference §5 `loadbalancerrule`):
 * ports as strings, the CIDRs as one comma string, owner names read in one store transaction.
 */
async function loadBalancerViews(context: CommandContext, rules: readonly LoadBalancerRuleView[]): Promise<ApiObject[]> {
  const ids = (values: readonly string[]) => [...new Set(values)];
  const names = await context.cloud.store.transaction(async (tx) => ({
    accounts: new Map((await tx.repo('accounts').find({ where: { id: { in: ids(rules.map((r) => r.accountId)) } } })).items.map((a) => [a.id, a.name])),
    domains: new Map((await tx.repo('domains').find({ where: { id: { in: ids(rules.map((r) => r.domainId)) } } })).items.map((d) => [d.id, d.name])),
  }));
  return rules.map((rule) => ({
    id: rule.id,
    name: rule.name,
    description: rule.description,
    publicipid: rule.publicIpId,
    publicip: rule.publicIp,
    publicport: String(rule.publicPort),
    privateport: String(rule.privatePort),
    algorithm: rule.algorithm,
    cidrlist: rule.cidrs.join(','),
    account: names.accounts.get(rule.accountId),
    domainid: rule.domainId,
    domain: names.domains.get(rule.domainId),
    state: rule.state,
    zoneid: rule.zoneId,
  }));
}

async function loadBalancerObject(context: CommandContext, rule: LoadBalancerRuleView): Promise<ApiObject> {
  const [object] = await loadBalancerViews(context, [rule]);
  if (object === undefined) throw new Error(`no view of load balancer rule ${rule.id}`);
  return object;
}

/** The plan of a job acting on a load-balancing rule resolved at accept (431 otherwise): a `FirewallRule` job. */
async function ruleJob(context: CommandContext, id: string, work: AsyncPlan['work']): Promise<AsyncPlan> {
  await context.services.loadBalancers.get({ id });
  return { instanceType: 'FirewallRule', instanceId: id, work };
}

/**
 * The rule's public IP must be in `zoneid` and belong to `account` in `domainid` when the caller
 * names them (the rule's owner is the address's owner); 431 naming the parameter otherwise.
 */
async function assertAddressOf(context: CommandContext, publicIpId: string, params: { readonly zoneid?: string; readonly account?: string; readonly domainid?: string }): Promise<void> {
  if (params.zoneid === undefined && params.account === undefined && params.domainid === undefined) return;
  const ip = await context.services.publicIps.get({ id: publicIpId });
  if (params.zoneid !== undefined && params.zoneid !== ip.zoneId) throw invalidParameter('zoneid', `public IP ${ip.address} is not in zone ${params.zoneid}`);
  if (params.domainid !== undefined && params.domainid !== ip.domainId) throw invalidParameter('domainid', `public IP ${ip.address} does not belong to domain ${params.domainid}`);
  if (params.account !== undefined) {
    const owner = await context.cloud.store.transaction((tx) => tx.repo('accounts').get(ip.accountId));
    if (owner?.name !== params.account) throw invalidParameter('account', `public IP ${ip.address} does not belong to account ${params.account}`);
  }
}

/**
 * `createLoadBalancerRule` (async-create, everyone; Libcloud's `create_balancer`, which calls it
 * without waiting and lists the rule at once): a public IP's port balanced with `algorithm`
 * (`roundrobin`, `leastconn`, `source`, as the network's offering supports) onto the members'
 * private port, with a firewall rule for the public port when `openfirewall` (default true).
 * Core checks, stores and applies the rule in one call, so it exists (`Active`) before the accept
 * reply `{id, jobid}`; the job answers `{"loadbalancer":{…}}`. `publicipid` is required here:
 * 4.1 allocates an address without it only for elastic load balancing, which this cloud has not.
 */
export const createLoadBalancerRule = defineCommand({
  ...catalogFacts('createLoadBalancerRule'),
  kind: 'async-create',
  objectName: 'loadbalancer',
  description: 'Creates a load balancer rule',
  params: {
    algorithm: param.string('load balancer algorithm (source, roundrobin, leastconn)', { required: true }),
    name: param.string('name of the load balancer rule', { required: true }),
    privateport: param.integer('the private port of the private ip address/virtual machine where the network traffic will be load balanced to', { required: true }),
    publicport: param.integer('the public port from where the network traffic will be load balanced from', { required: true }),
    description: param.string('the description of the load balancer rule', { length: 4096 }),
    publicipid: param.uuid('public ip address id from where the network traffic will be load balanced from'),
    zoneid: param.uuid('zone where the load balancer is going to be created. This parameter is required when LB service provider is ElasticLoadBalancerVm'),
    account: param.string('the account associated with the load balancer. Must be used with the domainId parameter.'),
    domainid: param.uuid('the domain ID associated with the load balancer'),
    cidrlist: param.list('the cidr list to forward traffic from'),
    openfirewall: param.boolean('if true, firewall rule for source/end pubic port is automatically created; if false - firewall rule has to be created explicitely. Has value true by default'),
    networkid: param.uuid('The guest network this rule will be created for'),
  },
  response: LOAD_BALANCER_FIELDS,
  related: ['listLoadBalancerRules', 'assignToLoadBalancerRule', 'deleteLoadBalancerRule'],
  async start(context, params) {
    if (params.publicipid === undefined) throw unsupportedParameter('publicipid', 'a rule without a public IP needs elastic load balancing, which this cloud does not have; acquire an address first');
    await assertAddressOf(context, params.publicipid, params);
    const rule = await context.services.loadBalancers.create({
      publicIpId: params.publicipid,
      name: params.name,
      algorithm: params.algorithm,
      publicPort: params.publicport,
      privatePort: params.privateport,
      ...defined({ description: params.description, cidrList: params.cidrlist, openFirewall: params.openfirewall, networkId: params.networkid }),
    });
    return {
      instanceType: 'FirewallRule',
      instanceId: rule.id,
      async work() {
        return { type: 'object', object: await loadBalancerObject(context, await context.services.loadBalancers.get({ id: rule.id })) };
      },
    };
  },
});

/**
 * `deleteLoadBalancerRule` (async, everyone; Libcloud's `destroy_balancer`): the rule, its
 * stickiness policy and the firewall rule it opened leave the router; `{"success":true}`.
 */
export const deleteLoadBalancerRule = defineCommand({
  ...catalogFacts('deleteLoadBalancerRule'),
  kind: 'async',
  description: 'Deletes a load balancer rule.',
  params: { id: param.uuid('the ID of the load balancer rule', { required: true }) },
  async start(context, params) {
    return ruleJob(context, params.id, async () => {
      await context.services.loadBalancers.delete({ id: params.id });
      return { type: 'success' };
    });
  },
});

/** `updateLoadBalancerRule` (async, everyone): name, description and algorithm; the job answers the `loadbalancer`. */
export const updateLoadBalancerRule = defineCommand({
  ...catalogFacts('updateLoadBalancerRule'),
  kind: 'async',
  objectName: 'loadbalancer',
  description: 'Updates load balancer',
  params: {
    id: param.uuid('the id of the load balancer rule to update', { required: true }),
    name: param.string('the name of the load balancer rule'),
    description: param.string('the description of the load balancer rule', { length: 4096 }),
    algorithm: param.string('load balancer algorithm (source, roundrobin, leastconn)'),
  },
  response: LOAD_BALANCER_FIELDS,
  async start(context, params) {
    return ruleJob(context, params.id, async () => ({
      type: 'object',
      object: await loadBalancerObject(context, await context.services.loadBalancers.update({ id: params.id, ...defined({ name: params.name, description: params.description, algorithm: params.algorithm }) })),
    }));
  },
});

/**
 * `listLoadBalancerRules` (list, everyone; Libcloud's `list_balancers`): the rules the caller may
 * see, by `id`, `name`, `publicipid`, `virtualmachineid` (rules it is a member of), `zoneid` and
 * `keyword`.
 */
export const listLoadBalancerRules = defineCommand({
  ...catalogFacts('listLoadBalancerRules'),
  kind: 'list',
  objectName: 'loadbalancerrule',
  description: 'Lists load balancer rules.',
  params: {
    id: param.uuid('the ID of the load balancer rule'),
    name: param.string('the name of the load balancer rule'),
    publicipid: param.uuid('the public IP address id of the load balancer rule '),
    virtualmachineid: param.uuid('the ID of the virtual machine of the load balancer rule'),
    zoneid: param.uuid('the availability zone ID'),
    projectid: param.uuid('list objects by project'),
    ...SCOPING_PARAMS,
    ...PAGING_PARAMS,
  },
  response: LOAD_BALANCER_FIELDS,
  async execute(context, params) {
    if (params.projectid !== undefined) throw unsupportedParameter('projectid', NO_PROJECTS);
    const page = await context.services.loadBalancers.list({
      ...defined({ id: params.id, name: params.name, publicIpId: params.publicipid, virtualMachineId: params.virtualmachineid, zoneId: params.zoneid, keyword: params.keyword === '' ? undefined : params.keyword }),
      ...scopingInput(params),
      ...pagingInput(params),
    });
    return { items: await loadBalancerViews(context, page.items), count: page.total };
  },
});

const MEMBERS_PARAMS = {
  id: param.uuid('the ID of the load balancer rule', { required: true }),
  virtualmachineids: param.list('the list of IDs of the virtual machine that are being assigned to the load balancer rule(i.e. virtualMachineIds=1,2,3)', { required: true }),
} as const;

/**
 * `assignToLoadBalancerRule` (async, everyone; Libcloud's `balancer_attach_member`): VMs of the
 * rule's owner on its network become members; the router balances onto their guest addresses.
 */
export const assignToLoadBalancerRule = defineCommand({
  ...catalogFacts('assignToLoadBalancerRule'),
  kind: 'async',
  description: 'Assigns virtual machine or a list of virtual machines to a load balancer rule.',
  params: MEMBERS_PARAMS,
  async start(context, params) {
    if (params.virtualmachineids.length === 0) throw invalidParameter('virtualmachineids', 'name at least one virtual machine');
    return ruleJob(context, params.id, async () => {
      await context.services.loadBalancers.assign({ id: params.id, virtualMachineIds: params.virtualmachineids });
      return { type: 'success' };
    });
  },
});

/** `removeFromLoadBalancerRule` (async, everyone; Libcloud's `balancer_detach_member`): members leave the rule. */
export const removeFromLoadBalancerRule = defineCommand({
  ...catalogFacts('removeFromLoadBalancerRule'),
  kind: 'async',
  description: 'Removes a virtual machine or a list of virtual machines from a load balancer rule.',
  params: { ...MEMBERS_PARAMS, virtualmachineids: param.list('the list of IDs of the virtual machines that are being removed from the load balancer rule (i.e. virtualMachineIds=1,2,3)', { required: true }) },
  async start(context, params) {
    if (params.virtualmachineids.length === 0) throw invalidParameter('virtualmachineids', 'name at least one virtual machine');
    return ruleJob(context, params.id, async () => {
      await context.services.loadBalancers.remove({ id: params.id, virtualMachineIds: params.virtualmachineids });
      return { type: 'success' };
    });
  },
});

/**
 * `listLoadBalancerRuleInstances` (list, everyone; Libcloud's `balancer_list_members`): the
 * rule's member VMs (`applied=true`, the default) or the VMs that could join it (`applied=false`),
 * as `loadbalancerruleinstance` objects — 4.1's user VM view.
 */
export const listLoadBalancerRuleInstances = defineCommand({
  ...catalogFacts('listLoadBalancerRuleInstances'),
  kind: 'list',
  objectName: 'loadbalancerruleinstance',
  description: 'List all virtual machine instances that are assigned to a load balancer rule.',
  params: {
    id: param.uuid('the ID of the load balancer rule', { required: true }),
    applied: param.boolean('true if listing all virtual machines currently applied to the load balancer rule; default is true'),
    ...PAGING_PARAMS,
  },
  response: VM_RESPONSE_FIELDS,
  async execute(context, params) {
    const page = await context.services.loadBalancers.listInstances({ id: params.id, ...defined({ applied: params.applied }), ...pagingInput(params) });
    const items: ApiObject[] = [];
    for (const vm of page.items) items.push(await vmObject(context, vm));
    return { items, count: page.total };
  },
});

/** The fields of a `stickinesspolicies` reply object, for `listApis`. */
const STICKINESS_FIELDS: readonly ResponseFieldDoc[] = [
  { name: 'lbruleid', description: 'the LB rule ID', type: 'string' },
  { name: 'name', description: 'the name of the Stickiness policy', type: 'string' },
  { name: 'description', description: 'the description of the Stickiness policy', type: 'string' },
  { name: 'account', description: 'the account of the Stickiness policy', type: 'string' },
  { name: 'domainid', description: 'the domain ID of the Stickiness policy', type: 'string' },
  { name: 'domain', description: 'the domain of the Stickiness policy', type: 'string' },
  { name: 'zoneid', description: 'the id of the zone the Stickiness policy belongs to', type: 'string' },
  { name: 'state', description: 'the state of the policy', type: 'string' },
  { name: 'stickinesspolicy', description: 'the list of stickinesspolicies', type: 'list' },
];

/**
 * A rule's stickiness as 4.1's `LBStickinessResponse` (object and list item `stickinesspolicies`):
 * the rule's id, owner and zone, and its policies (none or one here) each with `id`, `name`,
 * `methodname`, `description`, `state` and `params` (a map of the method's parameters). 4.1
 * reports the rule's state only for an `Active` rule... and so does this view.
 */
async function stickinessView(context: CommandContext, rule: LoadBalancerRuleView, policies: readonly LbStickinessPolicy[]): Promise<ApiObject> {
  const names = await context.cloud.store.transaction(async (tx) => ({ account: (await tx.repo('accounts').get(rule.accountId))?.name, domain: (await tx.repo('domains').get(rule.domainId))?.name }));
  return {
    lbruleid: rule.id,
    name: policies[0]?.name,
    description: policies[0]?.description,
    account: names.account,
    domainid: rule.domainId,
    domain: names.domain,
    zoneid: rule.zoneId,
    state: rule.state,
    stickinesspolicy: policies.map((p) => ({ id: p.id, name: p.name, methodname: p.method, description: p.description, state: p.state, params: { ...p.params } })),
  };
}

/** The `param[i].name` / `param[i].value` entries of `createLBStickinessPolicy` as a map (431 naming `param` for an incomplete entry). */
function stickinessParams(entries: readonly Readonly<Record<string, string>>[] | undefined): Record<string, string> {
  const params: Record<string, string> = {};
  (entries ?? []).forEach((entry, index) => {
    const field = (name: string) => Object.entries(entry).find(([k]) => k.toLowerCase() === name)?.[1];
    const name = field('name');
    const value = field('value');
    if (name === undefined || name.trim() === '' || value === undefined) throw invalidParameter('param', `entry ${index} needs both name and value`);
    params[name] = value;
  });
  return params;
}

/**
 * `createLBStickinessPolicy` (async-create, everyone; response name `createLBStickinessPolicy`,
 * 4.1's own): a rule's stickiness — `LbCookie`, `AppCookie` or `SourceBased` with that method's
 * `param[i].name`/`param[i].value` — applied to the router with the rule before the accept reply
 * `{id, jobid}`; the job answers `{"stickinesspolicies":{…}}`.
 */
export const createLBStickinessPolicy = defineCommand({
  ...catalogFacts('createLBStickinessPolicy'),
  kind: 'async-create',
  objectName: 'stickinesspolicies',
  description: 'Creates a Load Balancer stickiness policy ',
  since: '3.0.0',
  params: {
    lbruleid: param.uuid('the ID of the load balancer rule', { required: true }),
    methodname: param.string('name of the LB Stickiness policy method, possible values can be obtained from ListNetworks API ', { required: true }),
    name: param.string('name of the LB Stickiness policy', { required: true }),
    description: param.string('the description of the LB Stickiness policy', { length: 4096 }),
    param: param.map('param list. Example: param[0].name=cookiename&param[0].value=LBCookie '),
  },
  response: STICKINESS_FIELDS,
  async start(context, params) {
    const policy = await context.services.lbStickinessPolicies.create({ lbRuleId: params.lbruleid, methodName: params.methodname, name: params.name, params: stickinessParams(params.param), ...defined({ description: params.description }) });
    return {
      instanceType: 'FirewallRule',
      instanceId: policy.id,
      async work() {
        const rule = await context.services.loadBalancers.get({ id: params.lbruleid });
        const current = (await context.services.lbStickinessPolicies.list({ lbRuleId: params.lbruleid })).items.filter((p) => p.id === policy.id);
        return { type: 'object', object: await stickinessView(context, rule, current) };
      },
    };
  },
});

/** `deleteLBStickinessPolicy` (async, everyone; 4.1's response name `deleteLBstickinessrruleresponse`): the rule applied without it. */
export const deleteLBStickinessPolicy = defineCommand({
  ...catalogFacts('deleteLBStickinessPolicy'),
  kind: 'async',
  description: 'Deletes a LB stickiness policy.',
  since: '3.0.0',
  params: { id: param.uuid('the ID of the LB stickiness policy', { required: true }) },
  async start(context, params) {
    // 4.1 resolves the id before queuing: an unknown policy, or one of a rule the caller cannot see, is 431.
    const policy = await context.cloud.store.transaction((tx) => tx.repo('lbStickinessPolicies').get(params.id));
    if (policy === undefined || policy.state === 'Revoke') throw notFound('stickiness policy', 'id', params.id);
    await context.services.loadBalancers.get({ id: policy.ruleId }).catch(() => {
      throw notFound('stickiness policy', 'id', params.id);
    });
    return {
      instanceType: 'FirewallRule',
      instanceId: params.id,
      async work() {
        await context.services.lbStickinessPolicies.delete({ id: params.id });
        return { type: 'success' };
      },
    };
  },
});

/** `listLBStickinessPolicies` (list, everyone): the rule's stickiness as one `stickinesspolicies` item. */
export const listLBStickinessPolicies = defineCommand({
  ...catalogFacts('listLBStickinessPolicies'),
  kind: 'list',
  objectName: 'stickinesspolicies',
  description: 'Lists LBStickiness policies.',
  since: '3.0.0',
  params: { lbruleid: param.uuid('the ID of the load balancer rule', { required: true }), ...PAGING_PARAMS },
  response: STICKINESS_FIELDS,
  async execute(context, params) {
    const rule = await context.services.loadBalancers.get({ id: params.lbruleid });
    const policies = await context.services.lbStickinessPolicies.list({ lbRuleId: params.lbruleid, ...pagingInput(params) });
    return { items: [await stickinessView(context, rule, policies.items)], count: 1 };
  },
});

/** The load-balancing commands: rules, their members and their stickiness policies. */
export const LOAD_BALANCER_COMMANDS: readonly CommandDeclaration[] = [
  createLoadBalancerRule,
  deleteLoadBalancerRule,
  updateLoadBalancerRule,
  listLoadBalancerRules,
  assignToLoadBalancerRule,
  removeFromLoadBalancerRule,
  listLoadBalancerRuleInstances,
  createLBStickinessPolicy,
  deleteLBStickinessPolicy,
  listLBStickinessPolicies,
];
