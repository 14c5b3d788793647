import type { Transaction } from '../contracts/store.js';
import { invalidParameter } from '../errors.js';
import type { NetworkRule } from '../model/network-rule.js';
import type { RuleTrafficSpec } from './firewall-inputs.js';

/** A firewall or egress rule as services answer it: the stored rule and, for ingress, its public address. */
export type FirewallRuleView = NetworkRule & {
  /** The public IP an ingress rule opens. */
  readonly ipAddress?: string;
};

/** What a new firewall rule row needs besides its traffic. */
export interface FirewallRuleTarget {
  readonly id: string;
  readonly trafficType: 'Ingress' | 'Egress';
  readonly networkId: string;
  readonly ipAddressId?: string;
  readonly accountId: string;
  readonly domainId: string;
  readonly createdAt: string;
}

/** Inserts a firewall rule in state `Add` (the rule engine applies it, or keeps it `Staged`). */
export function insertFirewallRule(tx: Transaction, target: FirewallRuleTarget, spec: RuleTrafficSpec): Promise<NetworkRule> {
  return tx.repo('networkRules').insert({
    id: target.id,
    purpose: 'Firewall',
    trafficType: target.trafficType,
    networkId: target.networkId,
    ...(target.ipAddressId === undefined ? {} : { ipAddressId: target.ipAddressId }),
    accountId: target.accountId,
    domainId: target.domainId,
    protocol: spec.protocol,
    ...(spec.startPort === undefined ? {} : { startPort: spec.startPort }),
    ...(spec.endPort === undefined ? {} : { endPort: spec.endPort }),
    ...(spec.icmpType === undefined ? {} : { icmpType: spec.icmpType }),
    ...(spec.icmpCode === undefined ? {} : { icmpCode: spec.icmpCode }),
    cidrs: [...spec.cidrs],
    state: 'Add',
    createdAt: target.createdAt,
  });
}

/**
 * Stages the removal of a rule in `tx`: an applied rule becomes `Revoke` (returned, for the
 * engine to remove once the providers took the set without it); a `Staged` one never reached a
 * provider and goes at once (nothing returned). 431 naming `id` when it is already being removed.
 */
export async function stageRuleRemoval(tx: Transaction, rule: NetworkRule): Promise<string[]> {
  if (rule.state === 'Revoke') throw invalidParameter('id', `rule ${rule.id} is already being deleted`);
  if (rule.state === 'Staged') {
    await tx.repo('networkRules').delete(rule.id);
    return [];
  }
  await tx.repo('networkRules').update({ ...rule, state: 'Revoke' });
  return [rule.id];
}

/** The views of `rules`, with each ingress rule's public address, read in `tx`. */
export async function firewallRuleViews(tx: Transaction, rules: readonly NetworkRule[]): Promise<FirewallRuleView[]> {
  const addresses = new Map<string, string | undefined>();
  const views: FirewallRuleView[] = [];
  for (const rule of rules) {
    if (rule.ipAddressId === undefined) {
      views.push(rule);
      continue;
    }
    if (!addresses.has(rule.ipAddressId)) addresses.set(rule.ipAddressId, (await tx.repo('publicIps').get(rule.ipAddressId))?.address);
    const address = addresses.get(rule.ipAddressId);
    views.push(address === undefined ? rule : { ...rule, ipAddress: address });
  }
  return views;
}
