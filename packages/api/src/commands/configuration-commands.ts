import { pageWindow, type ConfigEntry } from '@cloudstack-sdk/core';
import { param } from '../params/param-types.js';
import type { ApiObject } from '../response/api-value.js';
import { catalogFacts } from './catalog.js';
import { defineCommand, type ResponseFieldDoc } from './command.js';
import { PAGING_PARAMS, pagingInput } from './list-params.js';

const SCOPE_PARAMS = {
  zoneid: param.uuid('The zone whose value to read or set (zone scope)', { since: '4.2.0' }),
  clusterid: param.uuid('The cluster whose value to read or set (cluster scope)', { since: '4.2.0' }),
  storageid: param.uuid('The storage pool whose value to read or set (storage pool scope)', { since: '4.2.0' }),
  accountid: param.uuid('The account whose value to read or set (account scope)', { since: '4.2.0' }),
} as const;

type Scope = { scope: 'global' | 'zone' | 'cluster' | 'storagepool' | 'account'; scopeId?: string };

function scopeOf(params: { zoneid?: string; clusterid?: string; storageid?: string; accountid?: string }): Scope {
  if (params.accountid !== undefined) return { scope: 'account', scopeId: params.accountid };
  if (params.storageid !== undefined) return { scope: 'storagepool', scopeId: params.storageid };
  if (params.clusterid !== undefined) return { scope: 'cluster', scopeId: params.clusterid };
  if (params.zoneid !== undefined) return { scope: 'zone', scopeId: params.zoneid };
  return { scope: 'global' };
}

/** The fields of a `configuration` object. */
const CONFIGURATION_FIELDS: readonly ResponseFieldDoc[] = [
  { name: 'category', description: 'the category of the configuration', type: 'string' },
  { name: 'name', description: 'the name of the configuration', type: 'string' },
  { name: 'value', description: 'the value of the configuration', type: 'string' },
  { name: 'description', description: 'the description of the configuration', type: 'string' },
  { name: 'scope', description: 'the scope the value was read at, when a narrower scope was named', type: 'string' },
  { name: 'id', description: 'the id of that scope, when a narrower scope was named', type: 'string' },
];

function configurationView(entry: ConfigEntry, scope: Scope): ApiObject {
  return {
    category: entry.category,
    name: entry.name,
    value: entry.value,
    description: entry.description,
    scope: scope.scope === 'global' ? undefined : scope.scope,
    id: scope.scopeId,
  };
}

/** `listConfigurations`: global configuration parameters with their effective values (root admin). */
export const listConfigurations = defineCommand({
  ...catalogFacts('listConfigurations'),
  kind: 'list',
  objectName: 'configuration',
  description: 'Lists all configurations.',
  params: {
    category: param.string('lists configurations by category'),
    name: param.string('lists configuration by name'),
    ...SCOPE_PARAMS,
    ...PAGING_PARAMS,
  },
  response: CONFIGURATION_FIELDS,
  related: ['updateConfiguration'],
  async execute(context, params) {
    const scope = scopeOf(params);
    const entries = await context.services.config.list({
      ...(params.name === undefined ? {} : { name: params.name }),
      ...(params.category === undefined ? {} : { category: params.category }),
      ...(params.keyword === undefined ? {} : { keyword: params.keyword }),
      ...(scope.scope === 'global' ? {} : scope),
    });
    const window = pageWindow(pagingInput(params), await context.config.number('default.page.size'));
    const page = entries.slice(window.offset, window.limit === undefined ? undefined : window.offset + window.limit);
    return { items: page.map((entry) => configurationView(entry, scope)), count: entries.length };
  },
});

/** `updateConfiguration`: sets a parameter (root admin); an absent value clears one without a default. */
export const updateConfiguration = defineCommand({
  ...catalogFacts('updateConfiguration'),
  kind: 'sync',
  objectName: 'configuration',
  description: 'Updates a configuration.',
  params: {
    name: param.string('the name of the configuration', { required: true }),
    value: param.string('the value of the configuration', { length: 4095 }),
    ...SCOPE_PARAMS,
  },
  response: CONFIGURATION_FIELDS,
  related: ['listConfigurations'],
  async execute(context, params) {
    const scope = scopeOf(params);
    const entry = await context.services.config.update({ name: params.name, value: params.value ?? '', ...scope });
    return { type: 'object', object: configurationView(entry, scope) };
  },
});
