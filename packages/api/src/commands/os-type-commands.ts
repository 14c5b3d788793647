import { param } from '../params/param-types.js';
import { osTypeView } from '../response/template-views.js';
import { catalogFacts } from './catalog.js';
import { defineCommand, type CommandDeclaration } from './command.js';
import { defined } from './defined.js';
import { PAGING_PARAMS } from './list-params.js';
import { pageOf } from './list-page.js';

/**
 * `listOsTypes`: the guest OS types (everyone). Core keeps categories as names without ids, so
 * `oscategoryid` is neither a filter nor a field, and `listOsCategories` is not declared.
 */
export const listOsTypes = defineCommand({
  ...catalogFacts('listOsTypes'),
  kind: 'list',
  objectName: 'ostype',
  description: 'Lists all supported OS types for this cloud.',
  params: {
    id: param.uuid('list by Os type Id'),
    description: param.string('list os by description'),
    ...PAGING_PARAMS,
  },
  async execute(context, params) {
    const types = await context.services.osTypes.list(defined({ id: params.id, description: params.description }));
    return pageOf(context, params, types, (t) => [t.description], osTypeView);
  },
});

/** The guest OS commands. */
export const OS_TYPE_COMMANDS: readonly CommandDeclaration[] = [listOsTypes];
