import { param } from '../params/param-types.js';
import { osCategoryView, osTypeView } from '../response/template-views.js';
import { catalogFacts } from './catalog.js';
import { defineCommand, type CommandDeclaration } from './command.js';
import { defined } from './defined.js';
import { PAGING_PARAMS } from './list-params.js';
import { pageOf } from './list-page.js';

/** `listOsTypes`: the guest OS types (everyone), by id, category id or description; `oscategoryid` on each. */
export const listOsTypes = defineCommand({
  ...catalogFacts('listOsTypes'),
  kind: 'list',
  objectName: 'ostype',
  description: 'Lists all supported OS types for this cloud.',
  params: {
    id: param.uuid('list by Os type Id'),
    oscategoryid: param.uuid('list by Os Category id'),
    description: param.string('list os by description'),
    ...PAGING_PARAMS,
  },
  response: [
    { name: 'id', description: 'the ID of the OS type', type: 'string' },
    { name: 'oscategoryid', description: 'the ID of the OS category', type: 'string' },
    { name: 'description', description: 'the name/description of the OS type', type: 'string' },
  ],
  related: ['listOsCategories'],
  async execute(context, params) {
    const types = await context.services.osTypes.list(defined({ id: params.id, categoryId: params.oscategoryid, description: params.description }));
    return pageOf(context, params, types, (t) => [t.description], osTypeView);
  },
});

/**
 * `listOsCategories`: the guest OS categories (everyone), by id or name. Core derives them from
 * the OS types: each category an OS type names, with an id that is a name-based UUID of it.
 */
export const listOsCategories = defineCommand({
  ...catalogFacts('listOsCategories'),
  kind: 'list',
  objectName: 'oscategory',
  description: 'Lists all supported OS categories for this cloud.',
  params: {
    id: param.uuid('list Os category by id'),
    name: param.string('list os category by name'),
    ...PAGING_PARAMS,
  },
  response: [
    { name: 'id', description: 'the ID of the OS category', type: 'string' },
    { name: 'name', description: 'the name of the OS category', type: 'string' },
  ],
  related: ['listOsTypes'],
  async execute(context, params) {
    const categories = await context.services.osTypes.listCategories(defined({ id: params.id, name: params.name }));
    return pageOf(context, params, categories, (c) => [c.name], osCategoryView);
  },
});

/** The guest OS commands: OS types and their categories. */
export const OS_TYPE_COMMANDS: readonly CommandDeclaration[] = [listOsTypes, listOsCategories];
