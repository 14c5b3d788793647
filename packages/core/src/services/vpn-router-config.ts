import type { RouterVpn } from '../contracts/router-configurator.js';
import type { Transaction } from '../contracts/store.js';
import type { Network } from '../model/network.js';
import type { RemoteAccessVpn } from '../model/remote-access-vpn.js';
import type { VpnUser } from '../model/vpn-user.js';
import type { SecretBox } from '../security/secret-box.js';

/** VPN states a router's rule set carries: being added or running (a VPN being removed is not). */
const LIVE_VPN_STATES = new Set<RemoteAccessVpn['state']>(['Added', 'Running']);

/** VPN user states a router's rule set carries: being added or active (a revoked one is not). */
const LIVE_USER_STATES = new Set<VpnUser['state']>(['Add', 'Active']);

/**
 * The remote-access VPN part of a network's router configuration, or undefined when the network
 * has no live VPN: the server's public and local addresses, the client range, the pre-shared key
 * and every live VPN user of the owning account (users are shared by all the account's VPNs),
 * by username. The key and the passwords are opened here, only to hand them to the router.
 */
export async function routerVpnOf(tx: Transaction, network: Network, secrets: SecretBox): Promise<RouterVpn | undefined> {
  const vpn = await tx.repo('remoteAccessVpns').findOne({ networkId: network.id });
  if (vpn === undefined || !LIVE_VPN_STATES.has(vpn.state)) return undefined;
  const users = (await tx.repo('vpnUsers').find({ where: { accountId: vpn.accountId }, orderBy: [{ field: 'username' }, { field: 'id' }] })).items.filter((u) => LIVE_USER_STATES.has(u.state));
  return {
    publicIp: vpn.publicIp,
    localIp: vpn.localIp,
    ipRange: vpn.ipRange,
    presharedKey: secrets.open(vpn.presharedKeySealed),
    users: users.map((u) => ({ username: u.username, password: secrets.open(u.passwordSealed) })),
  };
}
