import { inject, injectable } from 'tsyringe';
import { GuestVlanAllocator } from '../alloc/guest-vlan-allocator.js';
import { ConfigReader } from '../config/config-reader.js';
import { SYSTEM } from '../context/call-context.js';
import { isoNow, type Clock } from '../contracts/clock.js';
import type { NetworkElement } from '../contracts/network-element.js';
import type { Store, Transaction } from '../contracts/store.js';
import { notFound } from '../errors.js';
import type { Network } from '../model/network.js';
import type { NetworkOffering } from '../model/network-offering.js';
import { providerOf } from '../model/network-offering.js';
import { TOKENS, type Logger } from '../tokens.js';
import { callDriver } from './driver-call.js';
import { EventRecorder } from './event-recorder.js';
import { NetworkRuleSetBuilder } from './network-rule-set.js';
import { NetworkRuleSync } from './network-rule-sync.js';
import { externalElementsOf } from './network-providers.js';
import { PublicIpRecords } from './public-ip-records.js';
import { VirtualRouters, type PreparedRouterCall, type PreparedRouterStart } from './virtual-routers.js';

/** VM states that keep a network in use (the garbage collector leaves it alone). */
const ACTIVE_VM_STATES = new Set(['Starting', 'Running', 'Stopping', 'Migrating']);

/** What an implementation claimed in its first transaction, to give back if it fails. */
interface ImplementIntent {
  readonly network: Network;
  readonly offering: NetworkOffering;
  readonly previousState: Network['state'];
  readonly claimedVlan: boolean;
  readonly claimedSourceNatId?: string;
  readonly router?: PreparedRouterStart;
  readonly elements: readonly NetworkElement[];
  readonly timeoutMs: number;
}

/**
 * Implements and shuts down guest networks (CloudStack's `implementNetwork` /
 * `shutdownNetwork`), by rule 3. Implementing claims an isolated network's VLAN from its
 * physical network and its source NAT address, starts its virtual router and prepares the
 * external elements of its offering, then hands the providers the network's whole rule set
 * (rules recorded while it was not implemented are applied then). A failed implementation gives
 * back what it claimed and leaves the network as it was. Shutting down stops and removes the
 * router, clears the network from external elements and gives the VLAN back; the network goes
 * back to `Allocated` and keeps its addresses and rules for the next implementation. The garbage
 * collector shuts down non-persistent networks without active VMs for `network.gc.wait` seconds.
 */
@injectable()
export class NetworkImplementer {
  constructor(
    @inject(TOKENS.Store) private readonly store: Store,
    @inject(TOKENS.Clock) private readonly clock: Clock,
    @inject(TOKENS.Logger) private readonly logger: Logger,
    @inject(TOKENS.NetworkElements) private readonly elements: ReadonlyMap<string, NetworkElement>,
    @inject(ConfigReader) private readonly config: ConfigReader,
    @inject(GuestVlanAllocator) private readonly vlans: GuestVlanAllocator,
    @inject(PublicIpRecords) private readonly publicIps: PublicIpRecords,
    @inject(VirtualRouters) private readonly routers: VirtualRouters,
    @inject(NetworkRuleSetBuilder) private readonly builder: NetworkRuleSetBuilder,
    @inject(NetworkRuleSync) private readonly sync: NetworkRuleSync,
    @inject(EventRecorder) private readonly events: EventRecorder,
  ) {}

  /**
   * Implements the network if it is not (idempotent), then applies its rule set. Rejects with
   * 533 when no VLAN, public address or router host is free, 534 when a device refuses.
   */
  async implement(networkId: string): Promise<Network> {
    const done = await this.sync.serialised(networkId, async () => {
      const intent = await this.store.transaction((tx) => this.prepare(tx, networkId));
      if (intent === undefined) return { network: await this.store.transaction(async (tx) => this.require(tx, networkId)), applied: true };
      try {
        if (intent.router !== undefined) await this.routers.start(intent.router);
        const to = await this.store.transaction((tx) => this.builder.networkTO(tx, intent.network));
        for (const element of intent.elements) {
          await callDriver({ operation: `implement network ${intent.network.name} on ${element.provider}`, timeoutMs: intent.timeoutMs, param: 'networkid' }, () => element.implementNetwork(to));
        }
      } catch (error) {
        await this.store.transaction((tx) => this.giveBack(tx, intent));
        throw error;
      }
      const network = await this.store.transaction(async (tx) => {
        if (intent.router !== undefined) await this.routers.started(tx, intent.router.router.id);
        const current = await this.require(tx, networkId);
        const { idleSince: _idle, ...rest } = current;
        const implemented = await tx.repo('networks').update({ ...rest, state: 'Implemented', updatedAt: isoNow(this.clock) });
        await this.events.record(tx, SYSTEM, { accountId: current.accountId ?? SYSTEM.accountId, domainId: current.domainId, type: 'NETWORK.IMPLEMENT', resourceType: 'Network', resourceId: current.id, description: `Implemented network ${current.name}${current.vlan === undefined ? '' : ` on VLAN ${current.vlan}`}` });
        return implemented;
      });
      return { network, applied: false };
    });
    if (!done.applied) await this.sync.sync(networkId);
    return this.store.transaction(async (tx) => this.require(tx, done.network.id));
  }

  /**
   * Gets the router of `podId` on a basic zone's network running (starting it there when it is
   * not), then hands every pod router its part of the rule set. Rejects with 533 when the pod
   * has no host or address for it, 534 when the host refuses.
   */
  async ensurePodRouter(networkId: string, podId: string): Promise<void> {
    const started = await this.sync.serialised(networkId, async () => {
      const prepared = await this.store.transaction(async (tx) => {
        const network = await this.require(tx, networkId);
        const offering = await tx.repo('networkOfferings').get(network.networkOfferingId);
        if (offering === undefined) throw notFound('network offering', 'networkofferingid', network.networkOfferingId);
        if (!offering.services.some((s) => s.provider === 'VirtualRouter')) return undefined;
        if ((await this.routers.ofPod(tx, networkId, podId))?.state === 'Running') return undefined;
        return this.routers.prepareStart(tx, network, offering, podId);
      });
      if (prepared === undefined) return false;
      try {
        await this.routers.start(prepared);
      } catch (error) {
        await this.store.transaction((tx) => this.routers.startFailed(tx, prepared.router.id));
        throw error;
      }
      await this.store.transaction(async (tx) => {
        await this.routers.started(tx, prepared.router.id);
        const network = await this.require(tx, networkId);
        if (network.state !== 'Implemented') await tx.repo('networks').update({ ...network, state: 'Implemented', updatedAt: isoNow(this.clock) });
      });
      return true;
    });
    if (started) await this.sync.sync(networkId);
  }

  /** Whether the router of `podId` on a basic zone's network is running. */
  async podRouterRunning(tx: Transaction, networkId: string, podId: string): Promise<boolean> {
    return (await this.routers.ofPod(tx, networkId, podId))?.state === 'Running';
  }

  /** Shuts an implemented network down (idempotent for one that is not). */
  async shutdown(networkId: string): Promise<void> {
    await this.sync.serialised(networkId, async () => {
      const intent = await this.store.transaction(async (tx) => {
        const network = await this.require(tx, networkId);
        if (network.state !== 'Implemented') return undefined;
        await tx.repo('networks').update({ ...network, state: 'Shutdown', updatedAt: isoNow(this.clock) });
        return this.teardownIntent(tx, network);
      });
      if (intent === undefined) return;
      try {
        await this.teardown(intent);
      } catch (error) {
        await this.store.transaction(async (tx) => {
          const network = await this.require(tx, networkId);
          await tx.repo('networks').update({ ...network, state: 'Implemented', updatedAt: isoNow(this.clock) });
        });
        throw error;
      }
      await this.store.transaction(async (tx) => {
        await this.released(tx, intent);
        const network = await this.require(tx, networkId);
        const { idleSince: _idle, ...rest } = network;
        await tx.repo('networks').update({ ...rest, state: 'Allocated', updatedAt: isoNow(this.clock) });
        await this.events.record(tx, SYSTEM, { accountId: network.accountId ?? SYSTEM.accountId, domainId: network.domainId, type: 'NETWORK.SHUTDOWN', resourceType: 'Network', resourceId: network.id, description: `Shut down network ${network.name}` });
      });
    });
  }

  /**
   * The garbage collector's pass (`network.gc.interval`): marks implemented, non-persistent
   * networks without active VMs idle, and shuts down those idle for `network.gc.wait` seconds.
   * Returns how many it shut down.
   */
  async collectGarbage(): Promise<number> {
    const waitMs = (await this.store.transaction((tx) => this.config.number('network.gc.wait', {}, tx))) * 1000;
    const due = await this.store.transaction(async (tx) => {
      const ids: string[] = [];
      const now = this.clock.now();
      for (const network of (await tx.repo('networks').find({ where: { state: 'Implemented' } })).items) {
        if (network.isPersistent || network.guestType !== 'Isolated') continue;
        if (await this.hasActiveVms(tx, network.id)) {
          if (network.idleSince !== undefined) {
            const { idleSince: _idle, ...rest } = network;
            await tx.repo('networks').update(rest);
          }
          continue;
        }
        if (network.idleSince === undefined) await tx.repo('networks').update({ ...network, idleSince: isoNow(this.clock) });
        else if (now - Date.parse(network.idleSince) >= waitMs) ids.push(network.id);
      }
      return ids;
    });
    let count = 0;
    for (const id of due) {
      try {
        await this.shutdown(id);
        count += 1;
      } catch (error) {
        this.logger.warn(`network garbage collector could not shut down network ${id}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    return count;
  }

  /** Whether a VM with a NIC on the network is starting, running, stopping or migrating. */
  async hasActiveVms(tx: Transaction, networkId: string): Promise<boolean> {
    const vmIds = [...new Set((await tx.repo('nics').find({ where: { networkId } })).items.map((n) => n.vmId))];
    if (vmIds.length === 0) return false;
    return (await tx.repo('vms').find({ where: { id: { in: vmIds } } })).items.some((vm) => ACTIVE_VM_STATES.has(vm.state));
  }

  /** What stopping the network's router and clearing its elements needs, read in `tx`. */
  async teardownIntent(tx: Transaction, network: Network): Promise<{ network: Network; router?: PreparedRouterCall; elements: readonly NetworkElement[]; timeoutMs: number }> {
    const offering = await tx.repo('networkOfferings').get(network.networkOfferingId);
    const router = await this.routers.of(tx, network.id);
    const prepared = router === undefined ? undefined : await this.routers.prepareOnHost(tx, router, 'vm.stop').catch(() => undefined);
    return { network, ...(prepared === undefined ? {} : { router: prepared }), elements: offering === undefined ? [] : this.externalElements(offering), timeoutMs: (await this.config.number('wait', {}, tx)) * 1000 };
  }

  /** Stops and removes the router and clears the network from its elements (outside any transaction). */
  async teardown(intent: { network: Network; router?: PreparedRouterCall; elements: readonly NetworkElement[]; timeoutMs: number }): Promise<void> {
    if (intent.router !== undefined) await this.routers.stopAndDestroy(intent.router);
    if (intent.elements.length === 0) return;
    const to = await this.store.transaction((tx) => this.builder.networkTO(tx, intent.network));
    for (const element of intent.elements) {
      await callDriver({ operation: `shut down network ${intent.network.name} on ${element.provider}`, timeoutMs: intent.timeoutMs, param: 'id' }, () => element.shutdownNetwork(to));
    }
  }

  /** After a teardown, in `tx`: the router's row and capacity go and a claimed VLAN goes back. */
  async released(tx: Transaction, intent: { network: Network }): Promise<void> {
    const router = await this.routers.of(tx, intent.network.id);
    if (router !== undefined) await this.routers.remove(tx, router);
    const network = await this.require(tx, intent.network.id);
    if (network.vlanClaimed === true && network.vlan !== undefined) {
      await this.vlans.release(tx, { vlan: Number(network.vlan), physicalNetworkId: network.physicalNetworkId, zoneId: network.zoneId }, network.id);
      const { vlan: _vlan, vlanClaimed: _claimed, ...rest } = network;
      await tx.repo('networks').update(rest);
    }
  }

  /**
   * The external elements of an offering's providers (all but those core provides itself: the
   * virtual routers and the security group provider); 534 when one has no element registered.
   */
  externalElements(offering: NetworkOffering): NetworkElement[] {
    return externalElementsOf(offering, this.elements);
  }

  private async prepare(tx: Transaction, networkId: string): Promise<ImplementIntent | undefined> {
    const network = await this.require(tx, networkId);
    const offering = await tx.repo('networkOfferings').get(network.networkOfferingId);
    if (offering === undefined) throw notFound('network offering', 'networkofferingid', network.networkOfferingId);
    if (network.podAddressing === true) {
      // A basic zone's network has no VLAN or source NAT; its pod routers start with their pods' guests.
      if (network.state !== 'Implemented') await tx.repo('networks').update({ ...network, state: 'Implemented', updatedAt: isoNow(this.clock) });
      return undefined;
    }
    const usesRouter = offering.services.some((s) => s.provider === 'VirtualRouter');
    const router = await this.routers.of(tx, network.id);
    if (network.state === 'Implemented' && (!usesRouter || router?.state === 'Running')) return undefined;
    let vlan = network.vlan;
    let claimedVlan = false;
    if (network.guestType === 'Isolated' && vlan === undefined) {
      vlan = String((await this.vlans.allocate(tx, network.physicalNetworkId, network.id)).vlan);
      claimedVlan = true;
    }
    let claimedSourceNatId: string | undefined;
    if (providerOf(offering, 'SourceNat') !== undefined && network.accountId !== undefined && (await tx.repo('publicIps').findOne({ networkId: network.id, isSourceNat: true })) === undefined) {
      claimedSourceNatId = (await this.publicIps.acquire(tx, { zoneId: network.zoneId, accountId: network.accountId, domainId: network.domainId, networkId: network.id, isSourceNat: true })).id;
    }
    const implementing = await tx.repo('networks').update({
      ...network,
      state: 'Implementing',
      ...(vlan === undefined ? {} : { vlan }),
      ...(claimedVlan ? { vlanClaimed: true } : {}),
      updatedAt: isoNow(this.clock),
    });
    const prepared = usesRouter && router?.state !== 'Running' ? await this.routers.prepareStart(tx, implementing, offering) : undefined;
    return {
      network: implementing,
      offering,
      previousState: network.state,
      claimedVlan,
      ...(claimedSourceNatId === undefined ? {} : { claimedSourceNatId }),
      ...(prepared === undefined ? {} : { router: prepared }),
      elements: this.externalElements(offering),
      timeoutMs: (await this.config.number('wait', {}, tx)) * 1000,
    };
  }

  /** A failed implementation gives back what it claimed: router capacity, VLAN, source NAT address. */
  private async giveBack(tx: Transaction, intent: ImplementIntent): Promise<void> {
    if (intent.router !== undefined) await this.routers.startFailed(tx, intent.router.router.id);
    const network = await this.require(tx, intent.network.id);
    let rest: Network = network;
    if (intent.claimedVlan && network.vlan !== undefined) {
      await this.vlans.release(tx, { vlan: Number(network.vlan), physicalNetworkId: network.physicalNetworkId, zoneId: network.zoneId }, network.id);
      const { vlan: _vlan, vlanClaimed: _claimed, ...withoutVlan } = network;
      rest = withoutVlan as Network;
    }
    if (intent.claimedSourceNatId !== undefined) {
      const ip = await tx.repo('publicIps').get(intent.claimedSourceNatId);
      if (ip !== undefined) await this.publicIps.release(tx, ip);
    }
    await tx.repo('networks').update({ ...rest, state: intent.previousState === 'Implemented' ? 'Implemented' : 'Allocated', updatedAt: isoNow(this.clock) });
  }

  private async require(tx: Transaction, id: string): Promise<Network> {
    const network = await tx.repo('networks').get(id);
    if (network === undefined) throw notFound('network', 'id', id);
    return network;
  }
}

