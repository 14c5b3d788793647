import type { AggregateSpec } from './aggregates.js';
import type { RemoteAccessVpn } from './remote-access-vpn.js';
import type { VpnUser } from './vpn-user.js';

/** The aggregates of the remote-access VPN area. Merged into the store's list by `aggregates.ts`. */
export interface VpnAggregates {
  /** Remote-access VPNs, one per public IP and per network. */
  remoteAccessVpns: RemoteAccessVpn;
  /** VPN users of accounts, unique by account and username. */
  vpnUsers: VpnUser;
}

/** Index and uniqueness facts of the remote-access VPN area's aggregates. */
export const VPN_AGGREGATE_SPECS: { readonly [K in keyof VpnAggregates]: AggregateSpec<VpnAggregates[K]> } = {
  remoteAccessVpns: { unique: [['publicIpId'], ['networkId']], indexed: ['accountId', 'domainId', 'state'] },
  vpnUsers: { unique: [['accountId', 'username']], indexed: ['accountId', 'domainId', 'state'] },
};
