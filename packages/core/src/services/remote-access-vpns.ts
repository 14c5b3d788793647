import { inject, injectable } from 'tsyringe';
import { ConfigReader } from '../config/config-reader.js';
import type { CallContext } from '../context/call-context.js';
import { isoNow, type Clock } from '../contracts/clock.js';
import type { RandomSource } from '../contracts/random.js';
import type { Page, Store, Transaction } from '../contracts/store.js';
import { internalError, invalidParameter } from '../errors.js';
import type { Network } from '../model/network.js';
import { providerOf, type NetworkOffering } from '../model/network-offering.js';
import type { PublicIp } from '../model/public-ip.js';
import type { RemoteAccessVpn } from '../model/remote-access-vpn.js';
import type { SecretBox } from '../security/secret-box.js';
import { TOKENS } from '../tokens.js';
import { EventRecorder } from './event-recorder.js';
import { assertNoPortConflict } from './ip-rule-conflicts.js';
import { NetworkRuleSync } from './network-rule-sync.js';
import { pageWindow } from './paging.js';
import { ANY_SOURCE, stageRemoval } from './port-forwarding-firewall.js';
import { PublicIpAccess } from './public-ip-access.js';
import { validate } from './validate.js';
import { Visibility } from './visibility.js';
import { VPN_UDP_PORTS, VpnAccess, vpnFirewallRuleId } from './vpn-access.js';
import { vpnClientRange } from './vpn-client-range.js';
import { CreateRemoteAccessVpnInput, ListRemoteAccessVpnsInput, RemoteAccessVpnRefInput } from './vpn-inputs.js';
import { presharedKey } from './vpn-preshared-key.js';
import { VpnViews, type RemoteAccessVpnView } from './vpn-views.js';

/**
 * Remote-access VPN (install guide 13.17, 13.17.1): an account enables an L2TP-over-IPsec VPN
 * on the source NAT address of one of its isolated networks whose offering provides Vpn
 * through the virtual router (not on VPC tiers). The router is the VPN server: the first address
 * of the client range (`iprange`, or `remote.access.vpn.client.ip.range`) is its own, clients
 * get the rest; the range may not overlap the guest network. The IPsec pre-shared key has
 * `remote.access.vpn.psk.length` random characters and rests sealed with the cloud's key. One
 * VPN per address (and so per network). With `openFirewall` (the default) the VPN's UDP ports
 * 500, 1701 and 4500 are opened on the address's firewall, and closed again with the VPN. Every
 * change goes through the network rule engine: the VPN is `Added` while the router is told,
 * `Running` once it enforces it; a router that refuses leaves nothing behind.
 */
@injectable()
export class RemoteAccessVpnService {
  constructor(
    @inject(TOKENS.Store) private readonly store: Store,
    @inject(TOKENS.Clock) private readonly clock: Clock,
    @inject(TOKENS.Random) private readonly random: RandomSource,
    @inject(TOKENS.SecretBox) private readonly secrets: SecretBox,
    @inject(ConfigReader) private readonly config: ConfigReader,
    @inject(Visibility) private readonly visibility: Visibility,
    @inject(PublicIpAccess) private readonly ips: PublicIpAccess,
    @inject(VpnAccess) private readonly access: VpnAccess,
    @inject(NetworkRuleSync) private readonly ruleSync: NetworkRuleSync,
    @inject(EventRecorder) private readonly events: EventRecorder,
  ) {}

  /**
   * Enables a VPN on `publicIpId` (`createRemoteAccessVpn`) and applies it. 431 naming the
   * parameter at fault: the address is not visible, not `Allocated`, not the source NAT address
   * of a network, the network is a VPC tier or its offering has no Vpn by the virtual router, the
   * address has a VPN already, the named account is not the address's owner, the range is
   * malformed, has one address or overlaps the guest network. 537 when a port forwarding or
   * load-balancing rule holds one of the VPN's UDP ports. 534 when the router refuses (nothing
   * is kept).
   */
  async create(caller: CallContext, input: CreateRemoteAccessVpnInput): Promise<RemoteAccessVpnView> {
    const spec = validate(CreateRemoteAccessVpnInput, input);
    const networkId = await this.store.transaction(async (tx) => (await this.ips.forRules(tx, caller, spec.publicIpId, 'publicipid')).network.id);
    const vpnId = await this.ruleSync.change(networkId, async (tx, network) => {
      const { ip, offering } = await this.ips.forRules(tx, caller, spec.publicIpId, 'publicipid');
      if (ip.networkId !== network.id) throw invalidParameter('publicipid', `public IP ${ip.address} is no longer associated with network ${network.name}`);
      await this.assertOwner(tx, caller, ip, spec);
      assertVpnCapable(ip, network, offering);
      if ((await tx.repo('remoteAccessVpns').findOne({ publicIpId: ip.id })) !== undefined) throw invalidParameter('publicipid', `a remote access VPN already exists on public IP ${ip.address}`);
      if ((await tx.repo('remoteAccessVpns').findOne({ networkId: network.id })) !== undefined) throw invalidParameter('publicipid', `network ${network.name} already has a remote access VPN`);
      const rangeText = spec.ipRange ?? (await this.config.string('remote.access.vpn.client.ip.range', { accountId: ip.accountId }, tx));
      if (rangeText === undefined) throw invalidParameter('iprange', 'no range given and remote.access.vpn.client.ip.range is not set');
      const range = vpnClientRange(rangeText, network.cidr);
      for (const port of VPN_UDP_PORTS) await assertNoPortConflict(tx, ip, 'udp', port, port);
      const now = isoNow(this.clock);
      const vpn = await tx.repo('remoteAccessVpns').insert({
        id: this.random.uuid(),
        publicIpId: ip.id,
        publicIp: ip.address,
        networkId: network.id,
        accountId: ip.accountId,
        domainId: ip.domainId,
        localIp: range.localIp,
        ipRange: range.clientRange,
        presharedKeySealed: this.secrets.seal(presharedKey(this.random, await this.config.number('remote.access.vpn.psk.length', {}, tx))),
        state: 'Added',
        createdAt: now,
        updatedAt: now,
      });
      const opened = spec.openFirewall && providerOf(offering, 'Firewall') !== undefined ? await this.openPorts(tx, vpn) : [];
      return {
        value: vpn.id,
        addedRuleIds: opened,
        commit: async (done: Transaction) => {
          await this.setState(done, vpn.id, 'Running');
          await this.events.record(done, caller, { accountId: vpn.accountId, domainId: vpn.domainId, type: 'VPN.REMOTE.ACCESS.CREATE', resourceType: 'RemoteAccessVpn', resourceId: vpn.id, description: `Enabled remote access VPN on ${ip.address} (network ${network.name}, clients ${range.clientRange})` });
        },
        undo: async (done: Transaction) => {
          if ((await done.repo('remoteAccessVpns').get(vpn.id)) !== undefined) await done.repo('remoteAccessVpns').delete(vpn.id);
        },
      };
    });
    return this.store.transaction(async (tx) => {
      const vpn = await tx.repo('remoteAccessVpns').get(vpnId);
      if (vpn === undefined) throw internalError(`remote access VPN ${vpnId} vanished after it was enabled`);
      return new VpnViews(tx, caller, this.secrets).vpn(vpn);
    });
  }

  /**
   * Disables the VPN on `publicIpId` (`deleteRemoteAccessVpn`): the router is given the rule set
   * without it (and without the firewall rules it opened), then the VPN goes. 431 naming
   * `publicipid` when the address is not visible, has no VPN or its VPN is already being
   * removed; 534 when the router refuses (the VPN then stays `Running`).
   */
  async delete(caller: CallContext, input: RemoteAccessVpnRefInput): Promise<void> {
    const { publicIpId } = validate(RemoteAccessVpnRefInput, input);
    const networkId = await this.store.transaction(async (tx) => (await this.access.onIp(tx, caller, publicIpId)).networkId);
    await this.ruleSync.change(networkId, async (tx) => {
      const vpn = await this.access.onIp(tx, caller, publicIpId);
      if (vpn.state === 'Removing') throw invalidParameter('publicipid', `the remote access VPN on ${vpn.publicIp} is being removed`);
      await this.setState(tx, vpn.id, 'Removing');
      const revoked: string[] = [];
      for (const port of VPN_UDP_PORTS) {
        const rule = await tx.repo('networkRules').get(vpnFirewallRuleId(vpn.id, port));
        if (rule !== undefined) revoked.push(...(await stageRemoval(tx, rule)));
      }
      return {
        value: undefined,
        revokedRuleIds: revoked,
        commit: async (done: Transaction) => {
          if ((await done.repo('remoteAccessVpns').get(vpn.id)) !== undefined) await done.repo('remoteAccessVpns').delete(vpn.id);
          await this.events.record(done, caller, { accountId: vpn.accountId, domainId: vpn.domainId, type: 'VPN.REMOTE.ACCESS.DESTROY', resourceType: 'RemoteAccessVpn', resourceId: vpn.id, description: `Disabled remote access VPN on ${vpn.publicIp}` });
        },
        undo: (done: Transaction) => this.setState(done, vpn.id, vpn.state),
      };
    });
  }

  /** The VPN on `publicIpId` (431 naming `publicipid` when the address is not visible or has none). */
  async get(caller: CallContext, input: RemoteAccessVpnRefInput): Promise<RemoteAccessVpnView> {
    const { publicIpId } = validate(RemoteAccessVpnRefInput, input);
    return this.store.transaction(async (tx) => new VpnViews(tx, caller, this.secrets).vpn(await this.access.onIp(tx, caller, publicIpId)));
  }

  /**
   * The VPNs the caller may see (`listRemoteAccessVpns`), oldest first, by `id`, `publicIpId`
   * (an address the caller cannot see is 431) and `networkId`.
   */
  async list(caller: CallContext, input: ListRemoteAccessVpnsInput = {}): Promise<Page<RemoteAccessVpnView>> {
    const query = validate(ListRemoteAccessVpnsInput, input);
    return this.store.transaction(async (tx) => {
      if (query.publicIpId !== undefined) await this.ips.visible(tx, caller, query.publicIpId, 'publicipid');
      const scope = await this.visibility.scope(tx, caller, query);
      const window = pageWindow(query, await this.config.number('default.page.size', {}, tx));
      const page = await tx.repo('remoteAccessVpns').find({
        where: {
          ...this.visibility.ownerFilter(scope),
          ...(query.id === undefined ? {} : { id: query.id }),
          ...(query.publicIpId === undefined ? {} : { publicIpId: query.publicIpId }),
          ...(query.networkId === undefined ? {} : { networkId: query.networkId }),
        },
        orderBy: [{ field: 'createdAt' }, { field: 'id' }],
        offset: window.offset,
        ...(window.limit === undefined ? {} : { limit: window.limit }),
      });
      const views = new VpnViews(tx, caller, this.secrets);
      const items: RemoteAccessVpnView[] = [];
      for (const vpn of page.items) items.push(await views.vpn(vpn));
      return { items, total: page.total };
    });
  }

  /** With `account`/`domainId` given, the named account must be the address's owner (431 naming `account`). */
  private async assertOwner(tx: Transaction, caller: CallContext, ip: PublicIp, spec: { readonly account?: string | undefined; readonly domainId?: string | undefined }): Promise<void> {
    if (spec.account === undefined && spec.domainId === undefined) return;
    const owner = await this.visibility.targetAccount(tx, caller, { ...(spec.account === undefined ? {} : { account: spec.account }), ...(spec.domainId === undefined ? {} : { domainId: spec.domainId }) });
    if (spec.account !== undefined && owner.id !== ip.accountId) throw invalidParameter('account', `public IP ${ip.address} does not belong to account ${owner.name}`);
    if (spec.account === undefined && spec.domainId !== ip.domainId) throw invalidParameter('domainid', `public IP ${ip.address} does not belong to domain ${spec.domainId ?? ''}`);
  }

  /** Inserts, in state `Add`, the firewall rules opening the VPN's UDP ports to every source; their ids. */
  private async openPorts(tx: Transaction, vpn: RemoteAccessVpn): Promise<string[]> {
    const ids: string[] = [];
    for (const port of VPN_UDP_PORTS) {
      const rule = await tx.repo('networkRules').insert({
        id: vpnFirewallRuleId(vpn.id, port),
        purpose: 'Firewall',
        trafficType: 'Ingress',
        networkId: vpn.networkId,
        ipAddressId: vpn.publicIpId,
        accountId: vpn.accountId,
        domainId: vpn.domainId,
        protocol: 'udp',
        startPort: port,
        endPort: port,
        cidrs: [ANY_SOURCE],
        state: 'Add',
        createdAt: vpn.createdAt,
      });
      ids.push(rule.id);
    }
    return ids;
  }

  private async setState(tx: Transaction, id: string, state: RemoteAccessVpn['state']): Promise<void> {
    const vpn = await tx.repo('remoteAccessVpns').get(id);
    if (vpn !== undefined && vpn.state !== state) await tx.repo('remoteAccessVpns').update({ ...vpn, state, updatedAt: isoNow(this.clock) });
  }
}

/**
 * 431 naming `publicipid` unless a VPN can go on `ip`: the source NAT address of a network that
 * is not a VPC tier, whose offering provides Vpn through the virtual router.
 */
function assertVpnCapable(ip: PublicIp, network: Network, offering: NetworkOffering): void {
  if (network.vpcId !== undefined || ip.vpcId !== undefined) throw invalidParameter('publicipid', `network ${network.name} is a VPC tier; remote access VPN is not available in VPC networks`);
  const provider = providerOf(offering, 'Vpn');
  if (provider === undefined) throw invalidParameter('publicipid', `network ${network.name} (offering ${offering.name}) does not provide the Vpn service`);
  if (provider !== 'VirtualRouter') throw invalidParameter('publicipid', `network ${network.name} gets Vpn from ${provider}; remote access VPN is provided by the virtual router`);
  if (!ip.isSourceNat) throw invalidParameter('publicipid', `public IP ${ip.address} is not the source NAT address of network ${network.name}; remote access VPN is enabled on the source NAT address`);
}

