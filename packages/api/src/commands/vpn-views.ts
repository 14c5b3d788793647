import type { RemoteAccessVpnView, VpnUserView } from '@cloudstack-sdk/core';
import type { ApiObject } from '../response/api-value.js';
import type { ResponseFieldDoc } from './command.js';

/** The fields of a `remoteaccessvpn` reply object, for `listApis`. */
export const REMOTE_ACCESS_VPN_RESPONSE_FIELDS: readonly ResponseFieldDoc[] = [
  { name: 'publicipid', description: 'the public ip address of the vpn server', type: 'string' },
  { name: 'publicip', description: 'the public ip address of the vpn server', type: 'string' },
  { name: 'iprange', description: 'the range of ips to allocate to the clients', type: 'string' },
  { name: 'presharedkey', description: 'the ipsec preshared key', type: 'string' },
  { name: 'account', description: 'the account of the remote access vpn', type: 'string' },
  { name: 'domainid', description: 'the domain id of the account of the remote access vpn', type: 'string' },
  { name: 'domain', description: 'the domain name of the account of the remote access vpn', type: 'string' },
  { name: 'state', description: 'the state of the rule', type: 'string' },
];

/**
 * A VPN as 4.1's `RemoteAccessVpnResponse` shows it: named by its public IP (4.1's VPN has no id
 * of its own), the clients' range (the server's own first address is not part of it), and the
 * pre-shared key when core shows it to the caller (the owner and admins).
 */
export function remoteAccessVpnObject(vpn: RemoteAccessVpnView): ApiObject {
  return {
    publicipid: vpn.publicIpId,
    publicip: vpn.publicIp,
    iprange: vpn.ipRange,
    presharedkey: vpn.presharedKey,
    account: vpn.accountName,
    domainid: vpn.domainId,
    domain: vpn.domainName,
    state: vpn.state,
  };
}

/** The fields of a `vpnuser` reply object, for `listApis`. */
export const VPN_USER_RESPONSE_FIELDS: readonly ResponseFieldDoc[] = [
  { name: 'id', description: 'the vpn userID', type: 'string' },
  { name: 'username', description: 'the username of the vpn user', type: 'string' },
  { name: 'account', description: 'the account of the remote access vpn', type: 'string' },
  { name: 'domainid', description: 'the domain id of the account of the remote access vpn', type: 'string' },
  { name: 'domain', description: 'the domain name of the account of the remote access vpn', type: 'string' },
];

/** A VPN user as 4.1's `VpnUsersResponse` shows it; the password is never shown. */
export function vpnUserObject(user: VpnUserView): ApiObject {
  return {
    id: user.id,
    username: user.username,
    account: user.accountName,
    domainid: user.domainId,
    domain: user.domainName,
  };
}
