import { createHash } from 'node:crypto';
import type { Transaction } from '../contracts/store.js';
import type { NetworkRule } from '../model/network-rule.js';

/** The source CIDR of a rule that names none: every source. */
export const ANY_SOURCE = '0.0.0.0/0';

/**
 * The id of the firewall rule that `openfirewall` adds for a port forwarding or load-balancing
 * rule: a name-based (version 5 style) UUID of the rule's id, so the pair stays linked without a
 * column of its own (CloudStack keeps the link in `firewall_rules.related`) and the rule's
 * removal finds the firewall rule it opened.
 */
export function openedFirewallRuleId(ruleId: string): string {
  const hash = createHash('sha1').update(`openfirewall:${ruleId}`).digest();
  hash[6] = ((hash[6] ?? 0) & 0x0f) | 0x50;
  hash[8] = ((hash[8] ?? 0) & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/**
 * Inserts, in state `Add`, the ingress firewall rule that opens `rule`'s public ports to its
 * source CIDRs on its public IP (what `openfirewall=true` asks). Returns it.
 */
export async function insertOpenedFirewallRule(tx: Transaction, rule: NetworkRule): Promise<NetworkRule> {
  return tx.repo('networkRules').insert({
    id: openedFirewallRuleId(rule.id),
    purpose: 'Firewall',
    trafficType: 'Ingress',
    networkId: rule.networkId,
    ...(rule.ipAddressId === undefined ? {} : { ipAddressId: rule.ipAddressId }),
    accountId: rule.accountId,
    domainId: rule.domainId,
    protocol: rule.protocol,
    ...(rule.startPort === undefined ? {} : { startPort: rule.startPort }),
    ...(rule.endPort === undefined ? {} : { endPort: rule.endPort }),
    cidrs: rule.cidrs,
    state: 'Add',
    createdAt: rule.createdAt,
  });
}

/**
 * Stages a rule's removal in `tx`: an applied one becomes `Revoke` and its id is returned (the
 * engine removes it once the providers took the set without it); a `Staged` one never reached a
 * provider and goes at once (nothing returned); one already `Revoke` is left to its removal.
 */
export async function stageRemoval(tx: Transaction, rule: NetworkRule): Promise<string[]> {
  if (rule.state === 'Revoke') return [];
  if (rule.state === 'Staged') {
    await tx.repo('networkRules').delete(rule.id);
    return [];
  }
  await tx.repo('networkRules').update({ ...rule, state: 'Revoke' });
  return [rule.id];
}

/**
 * Stages the removal of `rule` and of the firewall rule it opened (if that one still exists), in
 * `tx`; returns the ids the engine is to remove once the providers took the set without them.
 */
export async function stageRemovalWithOpening(tx: Transaction, rule: NetworkRule): Promise<string[]> {
  const opened = await tx.repo('networkRules').get(openedFirewallRuleId(rule.id));
  const revoked = await stageRemoval(tx, rule);
  if (opened !== undefined && opened.purpose === 'Firewall') revoked.push(...(await stageRemoval(tx, opened)));
  return revoked;
}
