import type { AggregateSpec } from './aggregates.js';
import type { Network } from './network.js';
import type { NetworkOffering } from './network-offering.js';
import type { LbStickinessPolicy, NetworkRule } from './network-rule.js';
import type { PublicIp } from './public-ip.js';
import type { Router } from './router.js';

/** The aggregates of the guest-network area. Merged into the store's list by `aggregates.ts`. */
export interface NetworkAggregates {
  /** Network offerings. */
  networkOfferings: NetworkOffering;
  /** Guest networks. */
  networks: Network;
  /** Public IP addresses held by accounts. */
  publicIps: PublicIp;
  /** Firewall, egress, port forwarding and load-balancing rules. */
  networkRules: NetworkRule;
  /** Stickiness policies of load-balancing rules. */
  lbStickinessPolicies: LbStickinessPolicy;
  /** Virtual routers. */
  routers: Router;
}

/** Index and uniqueness facts of the guest-network area's aggregates. */
export const NETWORK_AGGREGATE_SPECS: { readonly [K in keyof NetworkAggregates]: AggregateSpec<NetworkAggregates[K]> } = {
  networkOfferings: { unique: [['name']], indexed: ['guestIpType', 'state'] },
  networks: { indexed: ['zoneId', 'accountId', 'domainId', 'state', 'networkOfferingId', 'physicalNetworkId', 'vpcId'] },
  publicIps: { unique: [['zoneId', 'address']], indexed: ['accountId', 'domainId', 'networkId', 'state', 'staticNatVmId'] },
  networkRules: { indexed: ['networkId', 'ipAddressId', 'accountId', 'purpose', 'vmId', 'state'] },
  lbStickinessPolicies: { unique: [['ruleId']], indexed: ['accountId'] },
  routers: { unique: [['name']], indexed: ['networkId', 'zoneId', 'hostId', 'state', 'accountId'] },
};
