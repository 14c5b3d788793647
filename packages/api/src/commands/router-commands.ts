import { RouterState, notFound, type Router } from '@cloudstack-sdk/core';
import { param } from '../params/param-types.js';
import { catalogFacts } from './catalog.js';
import { defineCommand, type AsyncPlan, type CommandContext, type CommandDeclaration } from './command.js';
import { defined } from './defined.js';
import { PAGING_PARAMS, SCOPING_PARAMS, pagingInput, scopingInput } from './list-params.js';
import { ROUTER_RESPONSE_FIELDS, routerObject, routerViews } from './router-views.js';
import { unsupportedParameter } from './vm-support.js';

const ROUTER_ID_PARAMS = { id: param.uuid('the ID of the router', { required: true }) } as const;

const STATES = new Map(RouterState.options.map((s) => [s.toLowerCase(), s]));

/**
 * `listRouters` (list, admins; Libcloud's `ex_list_routers`): the virtual routers of the admin's
 * domain subtree (root admins: all), filtered by `id`, `name`, `state` (any case; a VM state a
 * router never has matches nothing), `zoneid`, `podid`, `hostid`, `networkid` and `keyword`.
 * `vpcid` is refused naming it (no VPCs yet); `forvpc=true` matches nothing.
 */
export const listRouters = defineCommand({
  ...catalogFacts('listRouters'),
  kind: 'list',
  objectName: 'router',
  description: 'List routers.',
  params: {
    id: param.uuid('the ID of the disk router'),
    name: param.string('the name of the router'),
    state: param.string('the state of the router'),
    zoneid: param.uuid('the Zone ID of the router'),
    podid: param.uuid('the Pod ID of the router'),
    hostid: param.uuid('the host ID of the router'),
    networkid: param.uuid('list by network id'),
    vpcid: param.uuid('List networks by VPC'),
    forvpc: param.boolean('if true is passed for this parameter, list only VPC routers'),
    ...SCOPING_PARAMS,
    ...PAGING_PARAMS,
  },
  response: ROUTER_RESPONSE_FIELDS,
  async execute(context, params) {
    if (params.vpcid !== undefined) throw unsupportedParameter('vpcid', 'VPCs are not supported by this cloud yet');
    const state = params.state === undefined ? undefined : STATES.get(params.state.toLowerCase());
    if ((params.state !== undefined && state === undefined) || params.forvpc === true) return { items: [], count: 0 };
    const page = await context.services.routers.list({
      ...defined({
        id: params.id,
        name: params.name,
        state,
        zoneId: params.zoneid,
        podId: params.podid,
        hostId: params.hostid,
        networkId: params.networkid,
        keyword: params.keyword === '' ? undefined : params.keyword,
      }),
      ...scopingInput(params),
      ...pagingInput(params),
    });
    return { items: await routerViews(context, page.items), count: page.total };
  },
});

/**
 * The plan of an async router command: the router is resolved at accept (431 when unknown or
 * outside the admin's domain, 432 for users by the permission bits) and is the job's
 * `DomainRouter` instance; the job runs `step` and answers the router it returns.
 */
async function routerJob(context: CommandContext, id: string, step: (before: Router) => Promise<{ router: Router; state?: string }>): Promise<AsyncPlan> {
  const [before] = (await context.services.routers.list({ id, listAll: true })).items;
  if (before === undefined) throw notFound('router', 'id', id);
  return {
    instanceType: 'DomainRouter',
    instanceId: id,
    async work() {
      const outcome = await step(before);
      return { type: 'object', object: await routerObject(context, outcome.router, outcome.state) };
    },
  };
}

/** `stopRouter` (async, admins): a running router stopped (`forced` pulls the plug); its host capacity goes back. */
export const stopRouter = defineCommand({
  ...catalogFacts('stopRouter'),
  kind: 'async',
  objectName: 'domainrouter',
  description: 'Stops a router.',
  params: { ...ROUTER_ID_PARAMS, forced: param.boolean('Force stop the VM. The caller knows the VM is stopped.') },
  response: ROUTER_RESPONSE_FIELDS,
  async start(context, params) {
    return routerJob(context, params.id, async () => ({ router: await context.services.routers.stop({ id: params.id, forced: params.forced ?? false }) }));
  },
});

/** `startRouter` (async, admins): a stopped router started and handed its network's whole rule set. */
export const startRouter = defineCommand({
  ...catalogFacts('startRouter'),
  kind: 'async',
  objectName: 'domainrouter',
  description: 'Starts a router.',
  params: ROUTER_ID_PARAMS,
  response: ROUTER_RESPONSE_FIELDS,
  async start(context, params) {
    return routerJob(context, params.id, async () => ({ router: await context.services.routers.start({ id: params.id }) }));
  },
});

/** `rebootRouter` (async, admins): a running router restarted on its host and configured again. */
export const rebootRouter = defineCommand({
  ...catalogFacts('rebootRouter'),
  kind: 'async',
  objectName: 'domainrouter',
  description: 'Reboots a router.',
  params: ROUTER_ID_PARAMS,
  response: ROUTER_RESPONSE_FIELDS,
  async start(context, params) {
    return routerJob(context, params.id, async () => ({ router: await context.services.routers.reboot({ id: params.id }) }));
  },
});

/**
 * `destroyRouter` (async, admins): the router stopped and removed; its network gets a new one at
 * the next `restartNetwork` or VM start. Answers the router's last view, `Destroyed` and off its
 * host, as 4.1 answers the destroyed router.
 */
export const destroyRouter = defineCommand({
  ...catalogFacts('destroyRouter'),
  kind: 'async',
  objectName: 'domainrouter',
  description: 'Destroys a router.',
  params: ROUTER_ID_PARAMS,
  response: ROUTER_RESPONSE_FIELDS,
  async start(context, params) {
    return routerJob(context, params.id, async (before) => {
      const [latest] = (await context.services.routers.list({ id: params.id, listAll: true })).items;
      await context.services.routers.destroy({ id: params.id });
      return { router: latest ?? before, state: 'Destroyed' };
    });
  },
});

/** The virtual router commands: list, stop, start, reboot and destroy. */
export const ROUTER_COMMANDS: readonly CommandDeclaration[] = [listRouters, stopRouter, startRouter, rebootRouter, destroyRouter];
