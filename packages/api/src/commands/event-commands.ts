import type { CloudEvent } from '@cloudstack-sdk/core';
import { param } from '../params/param-types.js';
import type { ApiObject } from '../response/api-value.js';
import { catalogFacts } from './catalog.js';
import { defineCommand, type CommandContext } from './command.js';
import { PAGING_PARAMS, SCOPING_PARAMS, pagingInput, scopingInput } from './list-params.js';

const LEVELS = ['INFO', 'WARN', 'ERROR'] as const;

function eventView(event: CloudEvent, context: CommandContext): ApiObject {
  return {
    id: event.id,
    type: event.type,
    level: event.level,
    description: event.description,
    domainid: event.domainId,
    created: context.formatDate(event.createdAt),
    state: event.state,
    parentid: event.startId,
  };
}

/** `listEvents`: the events the caller may see, newest first. */
export const listEvents = defineCommand({
  ...catalogFacts('listEvents'),
  kind: 'list',
  objectName: 'event',
  description: 'A command to list events.',
  params: {
    id: param.uuid('the ID of the event'),
    type: param.string('the event type (see event types)'),
    level: param.oneOf('the event level (INFO, WARN, ERROR)', LEVELS),
    ...SCOPING_PARAMS,
    ...PAGING_PARAMS,
  },
  response: [
    { name: 'id', description: 'the ID of the event', type: 'string' },
    { name: 'type', description: 'the type of the event (see event types)', type: 'string' },
    { name: 'level', description: 'the event level (INFO, WARN, ERROR)', type: 'string' },
    { name: 'description', description: 'a brief description of the event', type: 'string' },
    { name: 'domainid', description: 'the id of the account\'s domain', type: 'string' },
    { name: 'created', description: 'the date the event was created', type: 'date' },
    { name: 'state', description: 'the state of the event', type: 'state' },
    { name: 'parentid', description: 'whether the event is parented', type: 'string' },
  ],
  related: ['listEventTypes'],
  async execute(context, params) {
    const page = await context.services.events.list({
      ...scopingInput(params),
      ...(params.id === undefined ? {} : { id: params.id }),
      ...(params.type === undefined ? {} : { type: params.type }),
      ...(params.level === undefined ? {} : { level: params.level }),
      ...(params.keyword === undefined ? {} : { keyword: params.keyword }),
      ...pagingInput(params),
    });
    return { items: page.items.map((event) => eventView(event, context)), count: page.total };
  },
});
