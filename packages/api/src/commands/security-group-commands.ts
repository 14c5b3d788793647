import { notFound, normaliseCidrs, normaliseTraffic, type AuthorizeSecurityGroupRuleInput, type SecurityGroupView } from '@cloudstack-sdk/core';
import { param } from '../params/param-types.js';
import { catalogFacts } from './catalog.js';
import { defineCommand, type AsyncPlan, type CommandContext, type CommandDeclaration } from './command.js';
import { defined } from './defined.js';
import { PAGING_PARAMS, SCOPING_PARAMS, pagingInput, scopingInput } from './list-params.js';
import { SECURITY_GROUP_RESPONSE_FIELDS, securityGroupObject } from './security-group-views.js';
import { unsupportedParameter } from './vm-support.js';

const NO_PROJECTS = 'projects are not supported by this cloud yet';

const OWNER_PARAMS = {
  account: param.string('an optional account for the security group. Must be used with domainId.'),
  domainid: param.uuid('an optional domainId for the security group. If the account parameter is used, domainId must also be used.'),
  projectid: param.uuid('the project of the security group'),
} as const;

/** `createSecurityGroup` (sync, everyone): a group in the caller's account, or one an admin names. */
export const createSecurityGroup = defineCommand({
  ...catalogFacts('createSecurityGroup'),
  kind: 'sync',
  objectName: 'securitygroup',
  description: 'Creates a security group',
  params: {
    name: param.string('name of the security group', { required: true }),
    description: param.string('the description of the security group'),
    ...OWNER_PARAMS,
  },
  response: SECURITY_GROUP_RESPONSE_FIELDS,
  async execute(context, params) {
    if (params.projectid !== undefined) throw unsupportedParameter('projectid', NO_PROJECTS);
    const group = await context.services.securityGroups.create({ name: params.name, ...defined({ description: params.description, account: params.account, domainId: params.domainid }) });
    return { type: 'object', object: securityGroupObject(group) };
  },
});

/** `deleteSecurityGroup` (sync, everyone): by `id` or `name`; not `default`, not while in use (536). */
export const deleteSecurityGroup = defineCommand({
  ...catalogFacts('deleteSecurityGroup'),
  kind: 'sync',
  description: 'Deletes security group',
  params: {
    id: param.uuid('The ID of the security group. Mutually exclusive with name parameter'),
    name: param.string('The name of the security group. Mutually exclusive with id parameter'),
    ...OWNER_PARAMS,
  },
  async execute(context, params) {
    if (params.projectid !== undefined) throw unsupportedParameter('projectid', NO_PROJECTS);
    await context.services.securityGroups.delete(defined({ id: params.id, name: params.name, account: params.account, domainId: params.domainid }));
    return { type: 'success' };
  },
});

/** `listSecurityGroups` (list, everyone): the groups the caller may see, with their rules. */
export const listSecurityGroups = defineCommand({
  ...catalogFacts('listSecurityGroups'),
  kind: 'list',
  objectName: 'securitygroup',
  description: 'Lists security groups',
  params: {
    id: param.uuid('list the security group by the id provided'),
    securitygroupname: param.string('lists security groups by name'),
    virtualmachineid: param.uuid('lists security groups by virtual machine id'),
    projectid: param.uuid('list objects by project'),
    ...SCOPING_PARAMS,
    ...PAGING_PARAMS,
  },
  response: SECURITY_GROUP_RESPONSE_FIELDS,
  async execute(context, params) {
    if (params.projectid !== undefined) throw unsupportedParameter('projectid', NO_PROJECTS);
    const page = await context.services.securityGroups.list({
      ...defined({ id: params.id, securityGroupName: params.securitygroupname, virtualMachineId: params.virtualmachineid, keyword: params.keyword === '' ? undefined : params.keyword }),
      ...scopingInput(params),
      ...pagingInput(params),
    });
    return { items: page.items.map(securityGroupObject), count: page.total };
  },
});

const AUTHORIZE_PARAMS = {
  securitygroupid: param.uuid('The ID of the security group. Mutually exclusive with securityGroupName parameter'),
  securitygroupname: param.string('The name of the security group. Mutually exclusive with securityGroupId parameter'),
  protocol: param.string('the protocol: tcp, udp, icmp or all, in any case (all when absent)'),
  startport: param.integer('start port for this rule'),
  endport: param.integer('end port for this rule'),
  icmptype: param.integer('type of the icmp message being sent'),
  icmpcode: param.integer('error code for this icmp message'),
  cidrlist: param.list('the cidr list associated'),
  usersecuritygrouplist: param.map('user to security group mapping'),
  ...OWNER_PARAMS,
} as const;

type AuthorizeParams = {
  readonly securitygroupid?: string;
  readonly securitygroupname?: string;
  readonly protocol?: string;
  readonly startport?: number;
  readonly endport?: number;
  readonly icmptype?: number;
  readonly icmpcode?: number;
  readonly cidrlist?: string[];
  readonly usersecuritygrouplist?: Record<string, string>[];
  readonly account?: string;
  readonly domainid?: string;
  readonly projectid?: string;
};

/** The `(account, group)` pairs of `usersecuritygrouplist[i].account` / `.group`, field names in any case. */
function accountGroupPairs(entries: readonly Record<string, string>[] | undefined): { account?: string; group?: string }[] | undefined {
  return entries?.map((entry) => {
    const fields = new Map(Object.entries(entry).map(([k, v]) => [k.toLowerCase(), v]));
    return defined({ account: fields.get('account'), group: fields.get('group') });
  });
}

/**
 * The plan of an authorise command: the traffic and CIDRs are checked and the group resolved
 * (by id, or by name in the caller's or the named account) at accept, so bad input is a 431
 * before any job exists; the job adds the rules, pushes the members' new rule sets and answers
 * the whole group.
 */
async function authorizePlan(context: CommandContext, params: AuthorizeParams, authorize: (input: AuthorizeSecurityGroupRuleInput) => Promise<{ group: SecurityGroupView }>): Promise<AsyncPlan> {
  if (params.projectid !== undefined) throw unsupportedParameter('projectid', NO_PROJECTS);
  normaliseTraffic(defined({ protocol: params.protocol, startPort: params.startport, endPort: params.endport, icmpType: params.icmptype, icmpCode: params.icmpcode }));
  normaliseCidrs(params.cidrlist);
  const group = await resolveGroup(context, params);
  const input: AuthorizeSecurityGroupRuleInput = {
    securityGroupId: group.id,
    ...defined({
      protocol: params.protocol,
      startPort: params.startport,
      endPort: params.endport,
      icmpType: params.icmptype,
      icmpCode: params.icmpcode,
      cidrList: params.cidrlist,
      userSecurityGroupList: accountGroupPairs(params.usersecuritygrouplist),
    }),
  };
  return {
    instanceType: 'SecurityGroup',
    instanceId: group.id,
    async work() {
      const change = await authorize(input);
      return { type: 'object', object: securityGroupObject(change.group) };
    },
  };
}

async function resolveGroup(context: CommandContext, params: AuthorizeParams): Promise<SecurityGroupView> {
  return context.services.securityGroups.resolve(
    defined({ id: params.securitygroupid, name: params.securitygroupname, account: params.account, domainId: params.domainid }),
    { id: 'securitygroupid', name: 'securitygroupname' },
  );
}

/** The plan of a revoke command: the rule must exist in that direction in a group the caller may see (431 `id` at accept). */
async function revokePlan(context: CommandContext, id: string, trafficType: 'Ingress' | 'Egress', revoke: () => Promise<unknown>): Promise<AsyncPlan> {
  const rule = await context.services.securityGroupRules.get({ id });
  if (rule.trafficType !== trafficType) throw notFound(`security group ${trafficType.toLowerCase()} rule`, 'id', id);
  return {
    instanceType: 'SecurityGroup',
    instanceId: rule.securityGroupId,
    async work() {
      await revoke();
      return { type: 'success' };
    },
  };
}

/** `authorizeSecurityGroupIngress` (async, everyone): ingress rules by CIDR or `(account, group)`; the job answers the group. */
export const authorizeSecurityGroupIngress = defineCommand({
  ...catalogFacts('authorizeSecurityGroupIngress'),
  kind: 'async',
  objectName: 'securitygroup',
  description: 'Authorizes a particular ingress rule for this security group',
  params: AUTHORIZE_PARAMS,
  response: SECURITY_GROUP_RESPONSE_FIELDS,
  start: (context, params) => authorizePlan(context, params, (input) => context.services.securityGroupRules.authorizeIngress(input)),
});

/** `authorizeSecurityGroupEgress` (async, everyone): egress rules by CIDR or `(account, group)`; the job answers the group. */
export const authorizeSecurityGroupEgress = defineCommand({
  ...catalogFacts('authorizeSecurityGroupEgress'),
  kind: 'async',
  objectName: 'securitygroup',
  description: 'Authorizes a particular egress rule for this security group',
  params: AUTHORIZE_PARAMS,
  response: SECURITY_GROUP_RESPONSE_FIELDS,
  start: (context, params) => authorizePlan(context, params, (input) => context.services.securityGroupRules.authorizeEgress(input)),
});

/** `revokeSecurityGroupIngress` (async, everyone): an ingress rule by id; the job answers success, as 4.1's `SuccessResponse`. */
export const revokeSecurityGroupIngress = defineCommand({
  ...catalogFacts('revokeSecurityGroupIngress'),
  kind: 'async',
  description: 'Deletes a particular ingress rule from this security group',
  params: { id: param.uuid('The ID of the ingress rule', { required: true }) },
  start: (context, params) => revokePlan(context, params.id, 'Ingress', () => context.services.securityGroupRules.revokeIngress({ id: params.id })),
});

/** `revokeSecurityGroupEgress` (async, everyone): an egress rule by id; the job answers success. */
export const revokeSecurityGroupEgress = defineCommand({
  ...catalogFacts('revokeSecurityGroupEgress'),
  kind: 'async',
  description: 'Deletes a particular egress rule from this security group',
  params: { id: param.uuid('The ID of the egress rule', { required: true }) },
  start: (context, params) => revokePlan(context, params.id, 'Egress', () => context.services.securityGroupRules.revokeEgress({ id: params.id })),
});

/** The security group commands, registered with the guest-network area's. */
export const SECURITY_GROUP_COMMANDS: CommandDeclaration[] = [
  createSecurityGroup,
  deleteSecurityGroup,
  listSecurityGroups,
  authorizeSecurityGroupIngress,
  authorizeSecurityGroupEgress,
  revokeSecurityGroupIngress,
  revokeSecurityGroupEgress,
];
