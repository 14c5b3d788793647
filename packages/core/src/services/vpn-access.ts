import { inject, injectable } from 'tsyringe';
import type { CallContext } from '../context/call-context.js';
import type { Transaction } from '../contracts/store.js';
import { invalidParameter } from '../errors.js';
import type { RemoteAccessVpn } from '../model/remote-access-vpn.js';
import { openedFirewallRuleId } from './port-forwarding-firewall.js';
import { PublicIpAccess } from './public-ip-access.js';

/** The UDP ports a remote-access VPN listens on: IKE, L2TP and IPsec NAT traversal. */
export const VPN_UDP_PORTS = [500, 1701, 4500] as const;

/**
 * The id of the firewall rule that `openfirewall` adds for one of a VPN's ports: name-based on
 * the VPN's id and the port, so disabling the VPN finds the rules it opened.
 */
export function vpnFirewallRuleId(vpnId: string, port: number): string {
  return openedFirewallRuleId(`remote-access-vpn:${vpnId}:udp:${port}`);
}

/** Looks remote-access VPNs up for callers under the visibility rule of their public IPs. */
@injectable()
export class VpnAccess {
  constructor(@inject(PublicIpAccess) private readonly ips: PublicIpAccess) {}

  /**
   * The VPN on `publicIpId` if `caller` may see the address; 431 naming `param` when the address
   * is not visible or has no VPN.
   */
  async onIp(tx: Transaction, caller: CallContext, publicIpId: string, param = 'publicipid'): Promise<RemoteAccessVpn> {
    const ip = await this.ips.visible(tx, caller, publicIpId, param);
    const vpn = await tx.repo('remoteAccessVpns').findOne({ publicIpId: ip.id });
    if (vpn === undefined) throw invalidParameter(param, `public IP ${ip.address} has no remote access VPN`);
    return vpn;
  }

  /** The networks whose VPN belongs to `accountId` (any state), oldest VPN first. */
  async networkIdsOf(tx: Transaction, accountId: string): Promise<string[]> {
    const vpns = (await tx.repo('remoteAccessVpns').find({ where: { accountId }, orderBy: [{ field: 'createdAt' }, { field: 'id' }] })).items;
    return vpns.map((v) => v.networkId);
  }
}
