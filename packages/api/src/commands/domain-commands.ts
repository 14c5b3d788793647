import { param } from '../params/param-types.js';
import { domainView } from '../response/account-views.js';
import { NameLookup } from '../response/name-lookup.js';
import { catalogFacts } from './catalog.js';
import { defineCommand } from './command.js';
import { defined } from './defined.js';
import { PAGING_PARAMS, pagingInput } from './list-params.js';

/** `createDomain`: a domain under ROOT or another domain (root admin). */
export const createDomain = defineCommand({
  ...catalogFacts('createDomain'),
  kind: 'sync',
  objectName: 'domain',
  description: 'Creates a domain',
  params: {
    name: param.string('creates domain with this name', { required: true }),
    parentdomainid: param.uuid('assigns new domain a parent domain by domain ID of the parent.  If no parent domain is specied, the ROOT domain is assumed.'),
    networkdomain: param.string("Network domain for networks in the domain"),
  },
  async execute(context, params) {
    const domain = await context.services.domains.create({ name: params.name, ...defined({ parentDomainId: params.parentdomainid, networkDomain: params.networkdomain }) });
    return { type: 'object', object: await domainView(domain, new NameLookup(context.cloud.system), context.cloud.system) };
  },
});

/** `updateDomain`: renames a domain or changes its network domain (root admin). */
export const updateDomain = defineCommand({
  ...catalogFacts('updateDomain'),
  kind: 'sync',
  objectName: 'domain',
  description: 'Updates a domain with a new name',
  params: {
    id: param.uuid('ID of domain to update', { required: true }),
    name: param.string('updates domain with this name'),
    networkdomain: param.string("Network domain for the domain's networks"),
  },
  async execute(context, params) {
    const domain = await context.services.domains.update({ id: params.id, ...defined({ name: params.name, networkDomain: params.networkdomain }) });
    return { type: 'object', object: await domainView(domain, new NameLookup(context.cloud.system), context.cloud.system) };
  },
});

/** `deleteDomain`: deletes an empty domain, or with `cleanup` everything below it, as a job (root admin). */
export const deleteDomain = defineCommand({
  ...catalogFacts('deleteDomain'),
  kind: 'async',
  description: 'Deletes a specified domain',
  params: {
    id: param.uuid('ID of domain to delete', { required: true }),
    cleanup: param.boolean('true if all domain resources (child domains, accounts) have to be cleaned up, false otherwise'),
  },
  async start(context, params) {
    await context.services.domains.get(params.id);
    return {
      async work() {
        await context.services.domains.delete({ id: params.id, ...defined({ cleanup: params.cleanup }) });
        return { type: 'success' };
      },
    };
  },
});

/** `listDomains`: the caller's domain, or its whole subtree with `listall` (admins). */
export const listDomains = defineCommand({
  ...catalogFacts('listDomains'),
  kind: 'list',
  objectName: 'domain',
  description: 'Lists domains and provides detailed information for listed domains',
  params: {
    id: param.uuid('List domain by domain ID.'),
    name: param.string('List domain by domain name.'),
    level: param.integer('List domains by domain level.'),
    listall: param.boolean('If set to false, list only resources belonging to the command\'s caller; if set to true - list resources that the caller is authorized to see. Default value is false'),
    ...PAGING_PARAMS,
  },
  async execute(context, params) {
    const page = await context.services.domains.list({ ...defined({ id: params.id, name: params.name, level: params.level, keyword: params.keyword, listAll: params.listall }), ...pagingInput(params) });
    const names = new NameLookup(context.cloud.system);
    const items = [];
    for (const domain of page.items) items.push(await domainView(domain, names, context.cloud.system));
    return { items, count: page.total };
  },
});

/** `listDomainChildren`: the domains below one (admins, within their subtree). */
export const listDomainChildren = defineCommand({
  ...catalogFacts('listDomainChildren'),
  kind: 'list',
  objectName: 'domain',
  description: 'Lists all children domains belonging to a specified domain',
  params: {
    id: param.uuid('list children domain by parent domain ID.'),
    name: param.string('list children domains by name'),
    isrecursive: param.boolean('to return the entire tree, use the value "true". To return the first level children, use the value "false".'),
    listall: param.boolean('If set to false, list only resources belonging to the command\'s caller; if set to true - list resources that the caller is authorized to see. Default value is false'),
    ...PAGING_PARAMS,
  },
  async execute(context, params) {
    const page = await context.services.domains.listChildren({ ...defined({ id: params.id, name: params.name, keyword: params.keyword, isRecursive: params.isrecursive }), ...pagingInput(params) });
    const names = new NameLookup(context.cloud.system);
    const items = [];
    for (const domain of page.items) items.push(await domainView(domain, names, context.cloud.system));
    return { items, count: page.total };
  },
});
