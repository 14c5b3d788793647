import { inject, injectable } from 'tsyringe';
import { ConfigReader } from '../config/config-reader.js';
import type { CallContext } from '../context/call-context.js';
import { isoNow, type Clock } from '../contracts/clock.js';
import type { Filter, Page, Store, Transaction } from '../contracts/store.js';
import { invalidParameter, missingParameter } from '../errors.js';
import type { Account } from '../model/account.js';
import type { Network } from '../model/network.js';
import type { PublicIp } from '../model/public-ip.js';
import { TOKENS } from '../tokens.js';
import { EventRecorder } from './event-recorder.js';
import { rulesOnIp } from './ip-rule-conflicts.js';
import { NetworkAccess } from './network-access.js';
import { NetworkRuleSync } from './network-rule-sync.js';
import { pageWindow } from './paging.js';
import { PublicIpAccess } from './public-ip-access.js';
import { AssociateIpInput, ListPublicIpsInput, PublicIpIdInput } from './public-ip-inputs.js';
import { PublicIpRecords } from './public-ip-records.js';
import { publicIpViewOf, type PublicIpView } from './public-ip-view.js';
import { validate } from './validate.js';
import { Visibility } from './visibility.js';

/**
 * Public IP addresses of isolated guest networks (install guide 13.11–13.12): acquire one for
 * a network (`associateIpAddress`: claimed from the zone's public ranges for the network's
 * owner, counted against its `public_ip` limit, and handed to the network's router with the
 * rest of its rule set), release one no rule uses any more (`disassociateIpAddress`: the source
 * NAT address never; `Releasing` while the router is told, then back to its range), list and
 * get under the visibility rule. Changes go through the network rule engine, so a router that
 * refuses the new set leaves the address as it was.
 */
@injectable()
export class PublicIpService {
  constructor(
    @inject(TOKENS.Store) private readonly store: Store,
    @inject(TOKENS.Clock) private readonly clock: Clock,
    @inject(ConfigReader) private readonly config: ConfigReader,
    @inject(Visibility) private readonly visibility: Visibility,
    @inject(NetworkAccess) private readonly networks: NetworkAccess,
    @inject(PublicIpAccess) private readonly access: PublicIpAccess,
    @inject(PublicIpRecords) private readonly records: PublicIpRecords,
    @inject(NetworkRuleSync) private readonly ruleSync: NetworkRuleSync,
    @inject(EventRecorder) private readonly events: EventRecorder,
  ) {}

  /**
   * Acquires a public IP for an isolated network (`associateIpAddress`), for the network's
   * owner unless `account` names another: 431 when the network is not one the owner may use or
   * not isolated, 532 over the owner's `public_ip` limit, 533
   * when every address of the zone's ranges is taken, 534 when the network's router cannot be
   * told (nothing is then kept).
   */
  async associate(caller: CallContext, input: AssociateIpInput): Promise<PublicIpView> {
    const spec = validate(AssociateIpInput, input);
    const networkId = await this.store.transaction(async (tx) => (await this.target(tx, caller, spec)).network.id);
    const ip = await this.ruleSync.change(networkId, async (tx) => {
      const { network } = await this.target(tx, caller, { ...spec, networkId });
      const acquired = await this.records.acquire(tx, {
        zoneId: network.zoneId,
        accountId: network.accountId as string,
        domainId: network.domainId,
        networkId: network.id,
        isSourceNat: false,
        ...(spec.ipAddress === undefined ? {} : { requestedAddress: spec.ipAddress }),
      });
      return {
        value: acquired,
        commit: async (outcome: Transaction) => {
          await this.events.record(outcome, caller, { accountId: acquired.accountId, domainId: acquired.domainId, type: 'NET.IPASSIGN', resourceType: 'IpAddress', resourceId: acquired.id, description: `Acquired public IP ${acquired.address} for network ${network.name}` });
        },
        undo: async (outcome: Transaction) => {
          const current = await outcome.repo('publicIps').get(acquired.id);
          if (current !== undefined) await this.records.release(outcome, current);
        },
      };
    });
    return this.store.transaction(async (tx) => publicIpViewOf(tx, await this.access.visible(tx, caller, ip.id, 'id')));
  }

  /**
   * Releases a public IP (`disassociateIpAddress`, guide 13.12: once the last rule on it is
   * removed). Refused with 431 naming `id` for the source NAT address, an address with static
   * NAT or any rule, or one not `Allocated`; nothing changes then. The address is `Releasing`
   * while its network's router is told, then goes back to its range and the owner's count.
   */
  async disassociate(caller: CallContext, input: PublicIpIdInput): Promise<void> {
    const { id } = validate(PublicIpIdInput, input);
    const found = await this.store.transaction(async (tx) => this.releasable(tx, caller, id));
    if (found.networkId === undefined) {
      await this.store.transaction(async (tx) => {
        const ip = await this.releasable(tx, caller, id);
        await this.records.release(tx, ip);
        await this.released(tx, caller, ip);
      });
      return;
    }
    const networkId = found.networkId;
    await this.ruleSync.change(networkId, async (tx) => {
      const ip = await this.releasable(tx, caller, id);
      await tx.repo('publicIps').update({ ...ip, state: 'Releasing', updatedAt: isoNow(this.clock) });
      return {
        value: undefined,
        commit: async (outcome: Transaction) => {
          const current = await outcome.repo('publicIps').get(id);
          if (current !== undefined) await this.records.release(outcome, current);
          await this.released(outcome, caller, ip);
        },
        undo: async (outcome: Transaction) => {
          const current = await outcome.repo('publicIps').get(id);
          if (current?.state === 'Releasing') await outcome.repo('publicIps').update({ ...current, state: 'Allocated', updatedAt: isoNow(this.clock) });
        },
      };
    });
  }

  /** The public IPs `caller` may see (`listPublicIpAddresses`). */
  async list(caller: CallContext, input: ListPublicIpsInput = {}): Promise<Page<PublicIpView>> {
    const query = validate(ListPublicIpsInput, input);
    return this.store.transaction(async (tx) => {
      if (query.forVirtualNetwork === false) return { items: [], total: 0 };
      if (query.associatedNetworkId !== undefined && query.networkId !== undefined && query.associatedNetworkId !== query.networkId) return { items: [], total: 0 };
      const networkId = query.associatedNetworkId ?? query.networkId;
      if (networkId !== undefined) await this.networks.visible(tx, caller, networkId, query.associatedNetworkId === undefined ? 'networkid' : 'associatednetworkid');
      const scope = await this.visibility.scope(tx, caller, query);
      const where: Filter<PublicIp> = {
        ...this.visibility.ownerFilter(scope),
        ...(query.id === undefined ? {} : { id: query.id }),
        ...(query.ipAddress === undefined ? {} : { address: query.ipAddress }),
        ...(networkId === undefined ? {} : { networkId }),
        ...(query.isSourceNat === undefined ? {} : { isSourceNat: query.isSourceNat }),
        ...(query.isStaticNat === undefined ? {} : { staticNatVmId: { exists: query.isStaticNat } }),
        ...(query.zoneId === undefined ? {} : { zoneId: query.zoneId }),
        ...(query.vlanId === undefined ? {} : { rangeId: query.vlanId }),
        ...(query.state === undefined ? {} : { state: query.state }),
        ...(query.keyword === undefined ? {} : { address: { like: query.keyword } }),
      };
      const window = pageWindow(query, await this.config.number('default.page.size', {}, tx));
      const page = await tx.repo('publicIps').find({ where, orderBy: [{ field: 'createdAt' }, { field: 'id' }], ...window });
      const items: PublicIpView[] = [];
      for (const ip of page.items) items.push(await publicIpViewOf(tx, ip));
      return { items, total: page.total };
    });
  }

  /** One public IP `caller` may see (431 naming `id` otherwise). */
  async get(caller: CallContext, input: PublicIpIdInput): Promise<PublicIpView> {
    const { id } = validate(PublicIpIdInput, input);
    return this.store.transaction(async (tx) => publicIpViewOf(tx, await this.access.visible(tx, caller, id, 'id')));
  }

  /** The owner and the isolated network an address is acquired for; 431 naming the parameter at fault. */
  private async target(tx: Transaction, caller: CallContext, spec: ReturnType<typeof AssociateIpInput.parse>): Promise<{ owner: Account; network: Network }> {
    const owner = await this.owner(tx, caller, spec);
    const ownerRef = { accountId: owner.id, domainId: owner.domainId };
    let network: Network;
    if (spec.networkId !== undefined) {
      network = await this.networks.usableBy(tx, caller, spec.networkId, ownerRef, 'networkid');
    } else {
      if (spec.zoneId === undefined) throw missingParameter('networkid');
      const candidates = (await tx.repo('networks').find({ where: { zoneId: spec.zoneId, accountId: owner.id, guestType: 'Isolated', aclType: 'Account' } })).items.filter((n) => n.state !== 'Destroy' && n.vpcId === undefined);
      if (candidates.length === 0) throw invalidParameter('networkid', `account ${owner.name} has no isolated network in zone ${spec.zoneId}; name the network`);
      if (candidates.length > 1) throw invalidParameter('networkid', `account ${owner.name} has ${candidates.length} isolated networks in zone ${spec.zoneId}; name the network`);
      network = candidates[0] as Network;
    }
    if (spec.zoneId !== undefined && spec.zoneId !== network.zoneId) throw invalidParameter('zoneid', `network ${network.name} is not in zone ${spec.zoneId}`);
    if (network.guestType !== 'Isolated' || network.accountId === undefined) throw invalidParameter('networkid', `network ${network.name} is a ${network.guestType} network; public IPs are associated with isolated networks`);
    if (network.vpcId !== undefined) throw invalidParameter('networkid', `network ${network.name} is a VPC tier; acquire the address for its VPC`);
    if (network.state === 'Destroy') throw invalidParameter('networkid', `network ${network.name} is being deleted`);
    return { owner, network };
  }

  /**
   * Whom the address is for: `account` in `domainId` when named; else, as CloudStack does, the
   * owner of the named network (when the caller may see it); else the caller's account.
   */
  private async owner(tx: Transaction, caller: CallContext, spec: ReturnType<typeof AssociateIpInput.parse>): Promise<Account> {
    if (spec.account === undefined && spec.domainId === undefined && spec.networkId !== undefined) {
      const network = await this.networks.visible(tx, caller, spec.networkId, 'networkid');
      if (network.aclType === 'Account' && network.accountId !== undefined) return this.visibility.visibleAccount(tx, caller, network.accountId, 'networkid');
    }
    return this.visibility.targetAccount(tx, caller, {
      ...(spec.account === undefined ? {} : { account: spec.account }),
      ...(spec.domainId === undefined ? {} : { domainId: spec.domainId }),
    });
  }

  /** The address if `caller` may release it now: not source NAT, `Allocated`, without static NAT or rules. */
  private async releasable(tx: Transaction, caller: CallContext, id: string): Promise<PublicIp> {
    const ip = await this.access.visible(tx, caller, id, 'id');
    if (ip.isSourceNat) throw invalidParameter('id', `public IP ${ip.address} is the source NAT address of its network; it is released with the network`);
    if (ip.state !== 'Allocated') throw invalidParameter('id', `public IP ${ip.address} is ${ip.state}`);
    if (ip.staticNatVmId !== undefined) throw invalidParameter('id', `public IP ${ip.address} has static NAT enabled; disable it before releasing the address`);
    const rules = await rulesOnIp(tx, ip.id);
    if (rules.length > 0) throw invalidParameter('id', `public IP ${ip.address} is used by ${rules.length} rule(s) (${[...new Set(rules.map((r) => r.purpose))].join(', ')}); delete them before releasing the address`);
    return ip;
  }

  private async released(tx: Transaction, caller: CallContext, ip: PublicIp): Promise<void> {
    await this.events.record(tx, caller, { accountId: ip.accountId, domainId: ip.domainId, type: 'NET.IPRELEASE', resourceType: 'IpAddress', resourceId: ip.id, description: `Released public IP ${ip.address}` });
  }


}
