import { inject, injectable } from 'tsyringe';
import { ConfigReader } from '../config/config-reader.js';
import { requireAdmin } from '../context/authorize.js';
import type { CallContext } from '../context/call-context.js';
import { isoNow, type Clock } from '../contracts/clock.js';
import type { Filter, Page, Store, Transaction } from '../contracts/store.js';
import { invalidParameter, notFound } from '../errors.js';
import type { Router } from '../model/router.js';
import { TOKENS } from '../tokens.js';
import { EventRecorder } from './event-recorder.js';
import { NetworkImplementer } from './network-implementer.js';
import { NetworkRuleSync } from './network-rule-sync.js';
import { pageWindow } from './paging.js';
import { ListRoutersInput, RouterIdInput, StopRouterInput } from './router-inputs.js';
import { validate } from './validate.js';
import { VirtualRouters } from './virtual-routers.js';
import { Visibility } from './visibility.js';

/**
 * Virtual routers as admins manage them (`listRouters`, `stopRouter`, `startRouter`,
 * `rebootRouter`, `destroyRouter`): a stopped router gives its host capacity back and its
 * network's rules cannot be applied until it runs again; starting (or rebooting) it hands it
 * the network's whole rule set again; destroying it removes it, and the next `restartNetwork`
 * (or VM start) provisions a new one.
 */
@injectable()
export class RouterService {
  constructor(
    @inject(TOKENS.Store) private readonly store: Store,
    @inject(TOKENS.Clock) private readonly clock: Clock,
    @inject(ConfigReader) private readonly config: ConfigReader,
    @inject(Visibility) private readonly visibility: Visibility,
    @inject(VirtualRouters) private readonly routers: VirtualRouters,
    @inject(NetworkImplementer) private readonly implementer: NetworkImplementer,
    @inject(NetworkRuleSync) private readonly ruleSync: NetworkRuleSync,
    @inject(EventRecorder) private readonly events: EventRecorder,
  ) {}

  /** Lists routers (admins: their domain subtree; root admins all). */
  async list(caller: CallContext, input: ListRoutersInput = {}): Promise<Page<Router>> {
    requireAdmin(caller, 'list virtual routers');
    const query = validate(ListRoutersInput, input);
    return this.store.transaction(async (tx) => {
      const scope = await this.visibility.scope(tx, caller, { ...query, listAll: query.listAll ?? true });
      const where: Filter<Router> = {
        ...this.visibility.ownerFilter(scope),
        ...(query.id === undefined ? {} : { id: query.id }),
        ...(query.name === undefined ? {} : { name: query.name }),
        ...(query.zoneId === undefined ? {} : { zoneId: query.zoneId }),
        ...(query.podId === undefined ? {} : { podId: query.podId }),
        ...(query.hostId === undefined ? {} : { hostId: query.hostId }),
        ...(query.networkId === undefined ? {} : { networkId: query.networkId }),
        ...(query.state === undefined ? {} : { state: query.state }),
        ...(query.keyword === undefined ? {} : { name: { like: query.keyword } }),
      };
      const window = pageWindow(query, await this.config.number('default.page.size', {}, tx));
      return tx.repo('routers').find({ where, orderBy: [{ field: 'createdAt' }, { field: 'id' }], ...window });
    });
  }

  /** Stops a running router; its host capacity goes back. */
  async stop(caller: CallContext, input: StopRouterInput): Promise<Router> {
    const request = validate(StopRouterInput, input);
    const prepared = await this.ruleSync.serialised(await this.networkOf(caller, request.id), () =>
      this.store.transaction(async (tx) => {
        const router = await this.visible(tx, caller, request.id);
        if (router.state !== 'Running') throw invalidParameter('id', `router ${router.name} is ${router.state}, not Running`);
        const call = await this.routers.prepareOnHost(tx, router, 'vm.destroy');
        await tx.repo('routers').update({ ...router, state: 'Stopping', updatedAt: isoNow(this.clock) });
        return { router, call };
      }),
    );
    try {
      if (prepared.call !== undefined) await this.routers.stop(prepared.call, request.forced);
    } catch (error) {
      await this.store.transaction(async (tx) => {
        const current = await tx.repo('routers').get(prepared.router.id);
        if (current !== undefined) await tx.repo('routers').update({ ...current, state: 'Running' });
      });
      throw error;
    }
    return this.store.transaction(async (tx) => {
      const current = await tx.repo('routers').get(prepared.router.id);
      if (current === undefined) throw notFound('router', 'id', prepared.router.id);
      const stopped = await this.routers.releaseHost(tx, current);
      await this.events.record(tx, caller, { accountId: stopped.accountId, domainId: stopped.domainId, type: 'ROUTER.STOP', resourceType: 'DomainRouter', resourceId: stopped.id, description: `Stopped virtual router ${stopped.name}` });
      return stopped;
    });
  }

  /** Starts a stopped router and hands it its network's rule set. */
  async start(caller: CallContext, input: RouterIdInput): Promise<Router> {
    const { id } = validate(RouterIdInput, input);
    const router = await this.store.transaction((tx) => this.visible(tx, caller, id));
    if (router.state === 'Running') throw invalidParameter('id', `router ${router.name} is already Running`);
    await this.implementer.implement(router.networkId);
    return this.store.transaction(async (tx) => {
      const started = await tx.repo('routers').findOne({ networkId: router.networkId });
      if (started === undefined) throw notFound('router', 'id', id);
      await this.events.record(tx, caller, { accountId: started.accountId, domainId: started.domainId, type: 'ROUTER.START', resourceType: 'DomainRouter', resourceId: started.id, description: `Started virtual router ${started.name}` });
      return started;
    });
  }

  /** Reboots a running router: it restarts on its host and gets its rule set again. */
  async reboot(caller: CallContext, input: RouterIdInput): Promise<Router> {
    const { id } = validate(RouterIdInput, input);
    const prepared = await this.store.transaction(async (tx) => {
      const router = await this.visible(tx, caller, id);
      if (router.state !== 'Running') throw invalidParameter('id', `router ${router.name} is ${router.state}, not Running`);
      return this.routers.prepareOnHost(tx, router, 'vm.reboot');
    });
    if (prepared !== undefined) {
      await this.ruleSync.serialised(prepared.router.networkId, () => this.routers.reboot(prepared));
    }
    await this.ruleSync.sync((prepared?.router ?? (await this.store.transaction((tx) => this.visible(tx, caller, id)))).networkId);
    return this.store.transaction(async (tx) => {
      const router = await this.visible(tx, caller, id);
      await this.events.record(tx, caller, { accountId: router.accountId, domainId: router.domainId, type: 'ROUTER.REBOOT', resourceType: 'DomainRouter', resourceId: router.id, description: `Rebooted virtual router ${router.name}` });
      return router;
    });
  }

  /** Destroys a router (stopped first); its network gets a new one at its next restart or VM start. */
  async destroy(caller: CallContext, input: RouterIdInput): Promise<void> {
    const { id } = validate(RouterIdInput, input);
    const networkId = await this.networkOf(caller, id);
    await this.ruleSync.serialised(networkId, async () => {
      const prepared = await this.store.transaction(async (tx) => {
        const router = await this.visible(tx, caller, id);
        return { router, call: await this.routers.prepareOnHost(tx, router, 'vm.destroy') };
      });
      if (prepared.call !== undefined) await this.routers.stopAndDestroy(prepared.call);
      await this.store.transaction(async (tx) => {
        const router = await tx.repo('routers').get(id);
        if (router === undefined) return;
        await this.routers.remove(tx, router);
        await this.events.record(tx, caller, { accountId: router.accountId, domainId: router.domainId, type: 'ROUTER.DESTROY', resourceType: 'DomainRouter', resourceId: router.id, description: `Destroyed virtual router ${router.name}` });
      });
    });
  }

  private async networkOf(caller: CallContext, id: string): Promise<string> {
    return (await this.store.transaction((tx) => this.visible(tx, caller, id))).networkId;
  }

  /** A router an admin may see; 431 otherwise. */
  private async visible(tx: Transaction, caller: CallContext, id: string): Promise<Router> {
    requireAdmin(caller, 'manage virtual routers');
    const router = await tx.repo('routers').get(id);
    if (router === undefined) throw notFound('router', 'id', id);
    await this.visibility.assertCanAccess(tx, caller, router, 'router', 'id', id);
    return router;
  }
}
