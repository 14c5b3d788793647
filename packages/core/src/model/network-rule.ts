import { z } from 'zod';
import { LB_ALGORITHMS } from './network-offering.js';

/** What a rule does (CloudStack's `firewall_rules.purpose`). */
export const RulePurpose = z.enum(['Firewall', 'PortForwarding', 'Lb']);
/** One of the rule purposes. */
export type RulePurpose = z.infer<typeof RulePurpose>;

/**
 * A rule's state (CloudStack's `FirewallRule.State`): `Staged` when recorded for a network not
 * implemented yet (applied when it is), `Add` while being applied to the provider, `Active` once
 * applied, `Revoke` while being removed. A rule whose apply failed is gone; a rule whose removal
 * failed is `Active` again.
 */
export const RuleState = z.enum(['Staged', 'Add', 'Active', 'Revoke']);
/** One of the rule states. */
export type RuleState = z.infer<typeof RuleState>;

/** Protocols of rules: `all` only for firewall and egress rules. */
export const RuleProtocol = z.enum(['tcp', 'udp', 'icmp', 'all']);
/** One of the rule protocols. */
export type RuleProtocol = z.infer<typeof RuleProtocol>;

/**
 * A network rule (CloudStack's `firewall_rules` with `port_forwarding_rules` and
 * `load_balancing_rules`): a firewall rule (ingress on a public IP, or egress of a network), a
 * port forwarding rule (public port range → a VM NIC's private port range), or a load-balancing
 * rule (public port → private port on member VMs, with an algorithm).
 */
export const NetworkRuleSchema = z.object({
  id: z.string(),
  version: z.number().int().positive(),
  purpose: RulePurpose,
  trafficType: z.enum(['Ingress', 'Egress']),
  networkId: z.string(),
  /** The public IP of an ingress rule; absent for egress rules. */
  ipAddressId: z.string().optional(),
  accountId: z.string(),
  domainId: z.string(),
  protocol: RuleProtocol,
  /** Public (or egress destination) port range; absent for `icmp` and `all`. */
  startPort: z.number().int().min(1).max(65535).optional(),
  endPort: z.number().int().min(1).max(65535).optional(),
  icmpType: z.number().int().min(-1).max(255).optional(),
  icmpCode: z.number().int().min(-1).max(255).optional(),
  /** Source CIDRs (ingress) or destination CIDRs (egress); `0.0.0.0/0` for any. */
  cidrs: z.array(z.string()),
  state: RuleState,
  /** Port forwarding: the VM, its NIC and guest address, and the private port range. */
  vmId: z.string().optional(),
  nicId: z.string().optional(),
  vmGuestIp: z.string().optional(),
  privateStartPort: z.number().int().min(1).max(65535).optional(),
  privateEndPort: z.number().int().min(1).max(65535).optional(),
  /** Load balancing: name, description, algorithm and the member VMs. */
  name: z.string().max(255).optional(),
  description: z.string().max(4096).optional(),
  algorithm: z.enum(LB_ALGORITHMS).optional(),
  memberVmIds: z.array(z.string()).optional(),
  createdAt: z.string(),
});

/** A network rule as stored. */
export type NetworkRule = z.infer<typeof NetworkRuleSchema>;

/**
 * A stickiness policy of a load-balancing rule (guide 13.14.4.1): `LbCookie`, `AppCookie` or
 * `SourceBased` with that method's parameters (`cookie-name`, `mode`, `holdtime`, `tablesize`,
 * `expire`, ...). One per rule.
 */
export const LbStickinessPolicySchema = z.object({
  id: z.string(),
  version: z.number().int().positive(),
  ruleId: z.string(),
  accountId: z.string(),
  name: z.string().min(1).max(255),
  description: z.string().max(4096).optional(),
  method: z.enum(['LbCookie', 'AppCookie', 'SourceBased']),
  params: z.record(z.string(), z.string()),
  state: RuleState,
  createdAt: z.string(),
});

/** A stickiness policy as stored. */
export type LbStickinessPolicy = z.infer<typeof LbStickinessPolicySchema>;
