import type { Transaction } from '../contracts/store.js';
import type { LbAlgorithm } from '../model/network-offering.js';
import type { NetworkRule, RuleState } from '../model/network-rule.js';

/** A load-balancing rule as `listLoadBalancerRules` shows it (`loadbalancerrule`). */
export interface LoadBalancerRuleView {
  readonly id: string;
  readonly name: string;
  readonly description?: string;
  /** The public IP and its address. */
  readonly publicIpId: string;
  readonly publicIp: string;
  readonly publicPort: number;
  readonly privatePort: number;
  readonly protocol: 'tcp' | 'udp';
  readonly algorithm: LbAlgorithm;
  /** Sources allowed. */
  readonly cidrs: readonly string[];
  /** `Staged` (network not implemented yet), `Add`, `Active` or `Revoke`. */
  readonly state: RuleState;
  /** The member VMs, in the order they were assigned. */
  readonly memberVmIds: readonly string[];
  readonly networkId: string;
  readonly zoneId: string;
  readonly accountId: string;
  readonly domainId: string;
  readonly createdAt: string;
}

/** The view of a stored load-balancing rule, with its IP's address and zone read in `tx`. */
export async function loadBalancerViewOf(tx: Transaction, rule: NetworkRule): Promise<LoadBalancerRuleView> {
  const ip = rule.ipAddressId === undefined ? undefined : await tx.repo('publicIps').get(rule.ipAddressId);
  const publicPort = rule.startPort ?? 0;
  return {
    id: rule.id,
    name: rule.name ?? rule.id,
    ...(rule.description === undefined ? {} : { description: rule.description }),
    publicIpId: rule.ipAddressId ?? '',
    publicIp: ip?.address ?? '',
    publicPort,
    privatePort: rule.privateStartPort ?? publicPort,
    protocol: rule.protocol === 'udp' ? 'udp' : 'tcp',
    algorithm: rule.algorithm ?? 'roundrobin',
    cidrs: rule.cidrs,
    state: rule.state,
    memberVmIds: rule.memberVmIds ?? [],
    networkId: rule.networkId,
    zoneId: ip?.zoneId ?? (await tx.repo('networks').get(rule.networkId))?.zoneId ?? '',
    accountId: rule.accountId,
    domainId: rule.domainId,
    createdAt: rule.createdAt,
  };
}
