import type { Transaction } from '../contracts/store.js';
import type { NetworkRule, RuleState } from '../model/network-rule.js';

/** A port forwarding rule as `listPortForwardingRules` shows it (`portforwardingrule`). */
export interface PortForwardingRuleView {
  readonly id: string;
  /** The public IP and its address. */
  readonly ipAddressId: string;
  readonly ipAddress: string;
  readonly protocol: 'tcp' | 'udp';
  readonly publicPort: number;
  readonly publicEndPort: number;
  readonly privatePort: number;
  readonly privateEndPort: number;
  /** The VM traffic goes to, its names, and the guest address on the rule's network. */
  readonly virtualMachineId: string;
  readonly virtualMachineName: string;
  readonly virtualMachineDisplayName: string;
  readonly vmGuestIp: string;
  /** Sources allowed. */
  readonly cidrs: readonly string[];
  /** `Staged` (network not implemented yet), `Add`, `Active` or `Revoke`. */
  readonly state: RuleState;
  readonly networkId: string;
  readonly accountId: string;
  readonly domainId: string;
  readonly createdAt: string;
}

/** The view of a stored port forwarding rule, with its IP's address and its VM's names read in `tx`. */
export async function portForwardingViewOf(tx: Transaction, rule: NetworkRule): Promise<PortForwardingRuleView> {
  const ip = rule.ipAddressId === undefined ? undefined : await tx.repo('publicIps').get(rule.ipAddressId);
  const vm = rule.vmId === undefined ? undefined : await tx.repo('vms').get(rule.vmId);
  const publicPort = rule.startPort ?? 0;
  const privatePort = rule.privateStartPort ?? publicPort;
  return {
    id: rule.id,
    ipAddressId: rule.ipAddressId ?? '',
    ipAddress: ip?.address ?? '',
    protocol: rule.protocol === 'udp' ? 'udp' : 'tcp',
    publicPort,
    publicEndPort: rule.endPort ?? publicPort,
    privatePort,
    privateEndPort: rule.privateEndPort ?? privatePort,
    virtualMachineId: rule.vmId ?? '',
    virtualMachineName: vm?.name ?? '',
    virtualMachineDisplayName: vm?.displayName ?? vm?.name ?? '',
    vmGuestIp: rule.vmGuestIp ?? '',
    cidrs: rule.cidrs,
    state: rule.state,
    networkId: rule.networkId,
    accountId: rule.accountId,
    domainId: rule.domainId,
    createdAt: rule.createdAt,
  };
}
