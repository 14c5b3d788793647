import { z } from 'zod';
import { RuleProtocol } from './network-rule.js';

/** Which way a security group rule lets traffic through. */
export const SecurityGroupTrafficType = z.enum(['Ingress', 'Egress']);
/** `Ingress` or `Egress`. */
export type SecurityGroupTrafficType = z.infer<typeof SecurityGroupTrafficType>;

/**
 * One rule of a security group (CloudStack's `security_ingress_rule` / `security_egress_rule`):
 * traffic of a protocol and port range (or ICMP type and code) allowed in from — or out to —
 * either one CIDR or the VMs of one security group (`allowedGroupId`, possibly another
 * account's, named by account and group name when authorised). An authorisation naming several
 * CIDRs or groups stores one rule per source, as CloudStack does. Rules have no state of their
 * own: what a host enforces is tracked per VM ({@link SecurityGroupVmSync}).
 */
export const SecurityGroupRuleSchema = z.object({
  id: z.string(),
  version: z.number().int().positive(),
  securityGroupId: z.string(),
  /** The group's owner, copied for account cleanup and listing. */
  accountId: z.string(),
  domainId: z.string(),
  trafficType: SecurityGroupTrafficType,
  protocol: RuleProtocol,
  /** Port range of `tcp` and `udp` rules. */
  startPort: z.number().int().min(0).max(65535).optional(),
  endPort: z.number().int().min(0).max(65535).optional(),
  /** ICMP type and code of `icmp` rules; -1 for any. */
  icmpType: z.number().int().min(-1).max(255).optional(),
  icmpCode: z.number().int().min(-1).max(255).optional(),
  /** The source (ingress) or destination (egress) block, when the rule is by CIDR. */
  cidr: z.string().optional(),
  /** The group whose VMs are the source or destination, when the rule is by account and group. */
  allowedGroupId: z.string().optional(),
  createdAt: z.string(),
});

/** A security group rule as stored. */
export type SecurityGroupRule = z.infer<typeof SecurityGroupRuleSchema>;
