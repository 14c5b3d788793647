import { invalidParameter } from '@cloudstack-sdk/core';
import { param } from '../params/param-types.js';
import type { ApiObject } from '../response/api-value.js';
import { roleMayRun } from '../commands/permission.js';
import { catalogFacts } from './catalog.js';
import { defineCommand, type CommandDeclaration } from './command.js';

function apiView(command: CommandDeclaration): ApiObject {
  return {
    name: command.name,
    description: command.description,
    since: command.since,
    isasync: command.kind === 'async' || command.kind === 'async-create',
    related: command.related === undefined || command.related.length === 0 ? undefined : command.related.join(','),
    params: Object.entries(command.params).map(([name, definition]) => ({
      name,
      description: definition.description,
      type: definition.type,
      length: definition.length,
      required: definition.required,
      since: definition.since,
    })),
    response: (command.response ?? []).map((field) => ({ name: field.name, description: field.description, type: field.type })),
  };
}

/**
 * `listApis` (the api-discovery plugin): the commands this server implements that the caller's
 * role may run, generated from their declarations, with parameters and reply fields.
 */
export const listApis = defineCommand({
  ...catalogFacts('listApis'),
  kind: 'sync',
  objectName: 'api',
  description: 'lists all available apis on the server, provided by the Api Discovery plugin',
  since: '4.1.0',
  params: { name: param.string('API name') },
  response: [
    { name: 'name', description: 'the name of the api command', type: 'string' },
    { name: 'description', description: 'description of the api', type: 'string' },
    { name: 'since', description: 'version of CloudStack the api was introduced in', type: 'string' },
    { name: 'isasync', description: 'true if api is asynchronous', type: 'boolean' },
    { name: 'related', description: 'comma separated related apis', type: 'string' },
    { name: 'params', description: 'the list params the api accepts', type: 'list' },
    { name: 'response', description: 'api response fields', type: 'list' },
  ],
  async execute(context, params) {
    const visible = context.commands().filter((command) => roleMayRun(context.caller.role, command.permission));
    const selected = params.name === undefined ? visible : visible.filter((command) => command.name === params.name);
    if (params.name !== undefined && selected.length === 0) {
      throw invalidParameter('name', `Api Discovery plugin was unable to find an api by that name or process any apis`);
    }
    return { type: 'list', items: selected.map(apiView), count: selected.length };
  },
});
