import { ruleConflict } from '../errors.js';
import type { NetworkRule } from '../model/network-rule.js';
import type { RuleTrafficSpec } from './firewall-inputs.js';

/** Ports a rule without a range covers: all of them. */
const ALL_PORTS = { start: 1, end: 65535 } as const;

/**
 * 537 when a new firewall (or egress) rule repeats one of `existing` — the rules of the same
 * direction on the same address (ingress) or network (egress): the same protocol and the same
 * CIDR set, with overlapping ports (TCP, UDP; no range means all ports), a matching ICMP type
 * and code (-1 matches any), or protocol `all`. Rules with other CIDRs or protocols may
 * overlap: each opens traffic for its own sources.
 */
export function assertNoFirewallConflict(existing: readonly NetworkRule[], spec: RuleTrafficSpec, where: string): void {
  for (const rule of existing) {
    if (rule.purpose !== 'Firewall' || rule.protocol !== spec.protocol || !sameCidrs(rule.cidrs, spec.cidrs)) continue;
    if (overlaps(rule, spec)) {
      throw ruleConflict(`the new ${spec.protocol} firewall rule on ${where} conflicts with rule ${rule.id} (${describe(rule)}, CIDRs ${rule.cidrs.join(',')})`, { ruleId: rule.id });
    }
  }
}

function overlaps(rule: NetworkRule, spec: RuleTrafficSpec): boolean {
  if (spec.protocol === 'all') return true;
  if (spec.protocol === 'icmp') return matches(rule.icmpType ?? -1, spec.icmpType ?? -1) && matches(rule.icmpCode ?? -1, spec.icmpCode ?? -1);
  const a = rule.startPort === undefined ? ALL_PORTS : { start: rule.startPort, end: rule.endPort ?? rule.startPort };
  const b = spec.startPort === undefined ? ALL_PORTS : { start: spec.startPort, end: spec.endPort ?? spec.startPort };
  return a.start <= b.end && b.start <= a.end;
}

function matches(a: number, b: number): boolean {
  return a === -1 || b === -1 || a === b;
}

function sameCidrs(a: readonly string[], b: readonly string[]): boolean {
  const left = new Set(a);
  const right = new Set(b);
  return left.size === right.size && [...left].every((c) => right.has(c));
}

function describe(rule: NetworkRule): string {
  if (rule.protocol === 'icmp') return `ICMP type ${rule.icmpType ?? -1} code ${rule.icmpCode ?? -1}`;
  if (rule.protocol === 'all') return 'all protocols';
  return rule.startPort === undefined ? 'all ports' : `ports ${rule.startPort}-${rule.endPort ?? rule.startPort}`;
}
