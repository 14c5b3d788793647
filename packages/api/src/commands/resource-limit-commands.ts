import { RESOURCE_TYPE_NUMBERS, invalidParameter, type ResourceType } from '@cloudstack-sdk/core';
import { param } from '../params/param-types.js';
import { resourceLimitView } from '../response/account-views.js';
import { NameLookup } from '../response/name-lookup.js';
import { catalogFacts } from './catalog.js';
import { defineCommand } from './command.js';
import { defined } from './defined.js';
import { PAGING_PARAMS } from './list-params.js';
import { pageOf } from './list-page.js';

const TYPE_OF_NUMBER = new Map(Object.entries(RESOURCE_TYPE_NUMBERS).map(([type, n]) => [n, type as ResourceType]));

function resourceTypeOf(value: number | undefined, param = 'resourcetype'): ResourceType | undefined {
  if (value === undefined) return undefined;
  const type = TYPE_OF_NUMBER.get(value);
  if (type === undefined) throw invalidParameter(param, `${value} is not a resource type (0 VMs, 1 public IPs, 2 volumes, 3 snapshots, 4 templates, 5 projects, 6 networks, 7 VPCs)`);
  return type;
}

const RESOURCE_TYPE_DOC = 'Type of resource: 0 - Instance, 1 - IP, 2 - Volume, 3 - Snapshot, 4 - Template, 5 - Project, 6 - Network, 7 - VPC';

/** `listResourceLimits`: an account's limits — the caller's by default — or a domain's (everyone). */
export const listResourceLimits = defineCommand({
  ...catalogFacts('listResourceLimits'),
  kind: 'list',
  objectName: 'resourcelimit',
  description: 'Lists resource limits.',
  params: {
    id: param.long('Lists resource limits by ID.'),
    resourcetype: param.integer(RESOURCE_TYPE_DOC),
    account: param.string('List resources by account. Must be used with the domainId parameter.'),
    domainid: param.uuid('list only resources belonging to the domain specified'),
    ...PAGING_PARAMS,
  },
  async execute(context, params) {
    const resourceType = resourceTypeOf(params.resourcetype ?? params.id, params.resourcetype === undefined ? 'id' : 'resourcetype');
    const limits = await context.services.resourceLimits.list(defined({ resourceType, account: params.account, domainId: params.domainid }));
    const names = new NameLookup(context.cloud.system);
    return pageOf(context, params, limits, (l) => [l.resourceType], (l) => resourceLimitView(l, names));
  },
});

/** `updateResourceLimit`: sets an account's or a domain's limit of one type (admins). */
export const updateResourceLimit = defineCommand({
  ...catalogFacts('updateResourceLimit'),
  kind: 'sync',
  objectName: 'resourcelimit',
  description: 'Updates resource limits for an account or domain.',
  params: {
    resourcetype: param.integer(RESOURCE_TYPE_DOC, { required: true }),
    max: param.long('Maximum resource limit.'),
    account: param.string('Update resource for a specified account. Must be used with the domainId parameter.'),
    domainid: param.uuid('Update resource limits for all accounts in specified domain. If used with the account parameter, updates resource limits for a specified account in specified domain.'),
  },
  async execute(context, params) {
    const resourceType = resourceTypeOf(params.resourcetype) as ResourceType;
    const limit = await context.services.resourceLimits.update({ resourceType, max: params.max ?? -1, ...defined({ account: params.account, domainId: params.domainid }) });
    return { type: 'object', object: await resourceLimitView(limit, new NameLookup(context.cloud.system)) };
  },
});
