import type { SecurityGroupRuleSet, SecurityGroupTrafficRule } from '../contracts/security-group-rules.js';
import type { Transaction } from '../contracts/store.js';
import type { SecurityGroupRule } from '../model/security-group-rule.js';

/** Traffic a VM may always send, whatever its egress rules (guide 13.7.5): DNS and DHCP queries. */
export const SECURITY_GROUP_ALWAYS_ALLOWED_EGRESS: readonly SecurityGroupTrafficRule[] = [
  { protocol: 'udp', startPort: 53, endPort: 53, cidrs: ['0.0.0.0/0'] },
  { protocol: 'tcp', startPort: 53, endPort: 53, cidrs: ['0.0.0.0/0'] },
  { protocol: 'udp', startPort: 67, endPort: 67, cidrs: ['0.0.0.0/0'] },
];

/** The groups a VM belongs to, by id, sorted. */
export async function securityGroupIdsOfVm(tx: Transaction, vmId: string): Promise<string[]> {
  return (await tx.repo('securityGroupMembers').find({ where: { vmId } })).items.map((m) => m.groupId).sort();
}

/**
 * The current addresses of a group's VMs: the default NIC's guest address of every member that
 * is `Running` (a basic zone's VM holds an address only while it runs, and CloudStack's rule
 * sets name running members only), as `/32` blocks, sorted.
 */
export async function securityGroupMemberAddresses(tx: Transaction, groupId: string): Promise<string[]> {
  const vmIds = (await tx.repo('securityGroupMembers').find({ where: { groupId } })).items.map((m) => m.vmId);
  if (vmIds.length === 0) return [];
  const running = (await tx.repo('vms').find({ where: { id: { in: vmIds }, state: 'Running' } })).items.map((v) => v.id);
  if (running.length === 0) return [];
  const nics = (await tx.repo('nics').find({ where: { vmId: { in: running }, isDefault: true } })).items;
  const addresses = nics.map((n) => n.ipAddress).filter((ip): ip is string => ip !== undefined && ip !== '');
  return [...new Set(addresses)].sort().map((ip) => `${ip}/32`);
}

function trafficKey(rule: SecurityGroupRule): string {
  return JSON.stringify([rule.protocol, rule.startPort ?? null, rule.endPort ?? null, rule.icmpType ?? null, rule.icmpCode ?? null]);
}

/**
 * Builds a VM's complete rule set (rule 3's intent, computed in the transaction that records
 * it): the rules of every group the VM belongs to, rules of one traffic merged into one entry
 * with the union of their sources, rules by account and group expanded to the group's running
 * members' addresses (an entry that expands to no address is left out: it allows nothing).
 * Egress is `allow` while none of the groups has an egress rule — even one that expands to no
 * address — and `deny` plus DNS/DHCP once one does. Entries are sorted so that equal sets
 * compare equal.
 */
export async function buildSecurityGroupRuleSet(tx: Transaction, vmId: string, seq: number): Promise<SecurityGroupRuleSet> {
  const groupIds = await securityGroupIdsOfVm(tx, vmId);
  const rules = groupIds.length === 0 ? [] : (await tx.repo('securityGroupRules').find({ where: { securityGroupId: { in: groupIds } } })).items;
  const addresses = new Map<string, Promise<string[]>>();
  const addressesOf = (groupId: string): Promise<string[]> => {
    let found = addresses.get(groupId);
    if (found === undefined) {
      found = securityGroupMemberAddresses(tx, groupId);
      addresses.set(groupId, found);
    }
    return found;
  };
  const merge = async (trafficType: SecurityGroupRule['trafficType']): Promise<SecurityGroupTrafficRule[]> => {
    const entries = new Map<string, { rule: SecurityGroupRule; cidrs: Set<string> }>();
    for (const rule of rules.filter((r) => r.trafficType === trafficType)) {
      const key = trafficKey(rule);
      const entry = entries.get(key) ?? { rule, cidrs: new Set<string>() };
      entries.set(key, entry);
      if (rule.cidr !== undefined) entry.cidrs.add(rule.cidr);
      if (rule.allowedGroupId !== undefined) for (const cidr of await addressesOf(rule.allowedGroupId)) entry.cidrs.add(cidr);
    }
    return [...entries.entries()]
      .filter(([, entry]) => entry.cidrs.size > 0)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([, { rule, cidrs }]) => ({
        protocol: rule.protocol,
        ...(rule.startPort === undefined ? {} : { startPort: rule.startPort }),
        ...(rule.endPort === undefined ? {} : { endPort: rule.endPort }),
        ...(rule.icmpType === undefined ? {} : { icmpType: rule.icmpType }),
        ...(rule.icmpCode === undefined ? {} : { icmpCode: rule.icmpCode }),
        cidrs: [...cidrs].sort(),
      }));
  };
  const egressRestricted = rules.some((r) => r.trafficType === 'Egress');
  return {
    vmId,
    seq,
    groupIds,
    ingress: { policy: 'deny', rules: await merge('Ingress') },
    egress: egressRestricted ? { policy: 'deny', rules: await merge('Egress'), alwaysAllowed: SECURITY_GROUP_ALWAYS_ALLOWED_EGRESS } : { policy: 'allow', rules: [], alwaysAllowed: SECURITY_GROUP_ALWAYS_ALLOWED_EGRESS },
    allowReplies: true,
  };
}

/**
 * The VMs whose rule sets name a group's members: members of every group with a rule (ingress
 * or egress) by account and group naming one of `groupIds`. They need a new set when a member
 * of those groups starts, stops, joins or leaves.
 */
export async function vmsReferencingSecurityGroups(tx: Transaction, groupIds: readonly string[]): Promise<string[]> {
  if (groupIds.length === 0) return [];
  const referencing = new Set((await tx.repo('securityGroupRules').find({ where: { allowedGroupId: { in: [...groupIds] } } })).items.map((r) => r.securityGroupId));
  return securityGroupMembersOf(tx, [...referencing]);
}

/** The VMs that belong to any of `groupIds`, sorted. */
export async function securityGroupMembersOf(tx: Transaction, groupIds: readonly string[]): Promise<string[]> {
  if (groupIds.length === 0) return [];
  const members = (await tx.repo('securityGroupMembers').find({ where: { groupId: { in: [...groupIds] } } })).items;
  return [...new Set(members.map((m) => m.vmId))].sort();
}
