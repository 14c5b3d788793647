import { z } from 'zod';
import { invalidParameter } from '../errors.js';
import { RuleProtocol } from '../model/network-rule.js';
import { formatCidr, parseCidr } from '../net/ipv4.js';
import { PagingInput } from './paging.js';
import { VisibilityInput } from './visibility.js';

/** The CIDR that stands for every address. */
export const ANY_CIDR = '0.0.0.0/0';

/** A protocol name in any case (`TCP`, `tcp`). */
const protocol = z
  .string()
  .transform((p) => p.toLowerCase())
  .pipe(RuleProtocol);

/** A port, 1–65535. */
const port = z.number().int().min(1).max(65535);

/**
 * A CIDR list: an array or CloudStack's comma-separated string; each entry must be an IPv4
 * CIDR (`192.168.0.0/22`). Empty means any.
 */
export const CidrList = z.union([z.string(), z.array(z.string())]).transform((value, ctx) => {
  const entries = (typeof value === 'string' ? value.split(',') : value).map((c) => c.trim()).filter((c) => c !== '');
  const cidrs: string[] = [];
  for (const entry of entries) {
    const cidr = parseCidr(entry);
    if (cidr === undefined) {
      ctx.addIssue({ code: 'custom', message: `${entry} is not an IPv4 CIDR` });
      return z.NEVER;
    }
    const text = formatCidr(cidr);
    if (!cidrs.includes(text)) cidrs.push(text);
  }
  return cidrs;
});

/** The traffic a firewall or egress rule lets through, as given. */
const RuleTraffic = z.object({
  protocol,
  startPort: port.optional(),
  endPort: port.optional(),
  /** ICMP type, 0–255, or -1 for any (ICMP only). */
  icmpType: z.number().int().min(-1).max(255).optional(),
  /** ICMP code, 0–15, or -1 for any (ICMP only, with `icmpType`). */
  icmpCode: z.number().int().min(-1).max(15).optional(),
  /** Source CIDRs (ingress) or destination CIDRs (egress); any (`0.0.0.0/0`) when absent or empty. */
  cidrList: CidrList.optional(),
});

/** Input of `createFirewallRule`: an ingress rule on a public IP. */
export const CreateFirewallRuleInput = RuleTraffic.extend({ ipAddressId: z.string().min(1) });
/** Input of `createFirewallRule`. */
export type CreateFirewallRuleInput = z.input<typeof CreateFirewallRuleInput>;

/** Input of `createEgressFirewallRule`: an egress rule of a guest network (destination CIDRs). */
export const CreateEgressRuleInput = RuleTraffic.extend({ networkId: z.string().min(1) });
/** Input of `createEgressFirewallRule`. */
export type CreateEgressRuleInput = z.input<typeof CreateEgressRuleInput>;

/** A firewall or egress rule by id (`deleteFirewallRule`, `deleteEgressFirewallRule`). */
export const FirewallRuleIdInput = z.object({ id: z.string().min(1) });
/** A firewall or egress rule by id. */
export type FirewallRuleIdInput = z.input<typeof FirewallRuleIdInput>;

/** Input of `listFirewallRules`. */
export const ListFirewallRulesInput = PagingInput.merge(VisibilityInput).extend({
  id: z.string().min(1).optional(),
  ipAddressId: z.string().min(1).optional(),
  networkId: z.string().min(1).optional(),
});
/** Input of `listFirewallRules`. */
export type ListFirewallRulesInput = z.input<typeof ListFirewallRulesInput>;

/** Input of `listEgressFirewallRules`. */
export const ListEgressRulesInput = PagingInput.merge(VisibilityInput).extend({
  id: z.string().min(1).optional(),
  networkId: z.string().min(1).optional(),
});
/** Input of `listEgressFirewallRules`. */
export type ListEgressRulesInput = z.input<typeof ListEgressRulesInput>;

/** What a firewall or egress rule matches, checked and completed (CloudStack's defaults filled in). */
export interface RuleTrafficSpec {
  readonly protocol: RuleProtocol;
  readonly startPort?: number;
  readonly endPort?: number;
  readonly icmpType?: number;
  readonly icmpCode?: number;
  readonly cidrs: readonly string[];
}

/**
 * Checks the combination of a rule's fields as CloudStack does (431 naming the parameter):
 * ports only for TCP and UDP, start not after end (end defaults to start; no ports means all),
 * ICMP type and code only for ICMP (both default to -1, any; a code needs its type). The CIDR
 * list defaults to any.
 */
export function ruleTrafficOf(input: z.output<typeof RuleTraffic>): RuleTrafficSpec {
  const cidrs = input.cidrList === undefined || input.cidrList.length === 0 ? [ANY_CIDR] : input.cidrList;
  const withPorts = input.protocol === 'tcp' || input.protocol === 'udp';
  if (!withPorts && input.startPort !== undefined) throw invalidParameter('startport', `ports are given for TCP and UDP only, not ${input.protocol}`);
  if (!withPorts && input.endPort !== undefined) throw invalidParameter('endport', `ports are given for TCP and UDP only, not ${input.protocol}`);
  if (input.protocol !== 'icmp' && input.icmpType !== undefined) throw invalidParameter('icmptype', `an ICMP type is given for ICMP only, not ${input.protocol}`);
  if (input.protocol !== 'icmp' && input.icmpCode !== undefined) throw invalidParameter('icmpcode', `an ICMP code is given for ICMP only, not ${input.protocol}`);
  if (input.protocol === 'icmp') {
    if (input.icmpCode !== undefined && input.icmpType === undefined) throw invalidParameter('icmptype', 'an ICMP code needs its ICMP type');
    return { protocol: 'icmp', icmpType: input.icmpType ?? -1, icmpCode: input.icmpCode ?? -1, cidrs };
  }
  if (!withPorts) return { protocol: input.protocol, cidrs };
  if (input.startPort === undefined) {
    if (input.endPort !== undefined) throw invalidParameter('startport', 'an end port needs its start port');
    return { protocol: input.protocol, cidrs };
  }
  const endPort = input.endPort ?? input.startPort;
  if (input.startPort > endPort) throw invalidParameter('endport', `end port ${endPort} is below start port ${input.startPort}`);
  return { protocol: input.protocol, startPort: input.startPort, endPort, cidrs };
}
