import { z } from 'zod';
import { formatCidr, parseCidr, parseIpv4 } from '../net/ipv4.js';
import { PagingInput } from './paging.js';
import { VisibilityInput } from './visibility.js';

/** A TCP or UDP port number. */
export const PortNumber = z.number().int().min(1).max(65535);

/**
 * `tcp` or `udp`, in any case (CloudStack compares protocols case-insensitively), given
 * lower-case.
 */
export const ForwardedProtocol = z
  .string()
  .transform((p) => p.trim().toLowerCase())
  .pipe(z.enum(['tcp', 'udp'], { error: 'must be tcp or udp' }));

/**
 * Source CIDRs of an ingress rule (`cidrlist`): an array or CloudStack's comma-separated string
 * of IPv4 CIDRs (`192.168.0.0/22`), given normalised (host bits cleared) without repeats; none
 * means every source.
 */
export const SourceCidrList = z.union([z.string(), z.array(z.string())]).transform((value, ctx) => {
  const cidrs: string[] = [];
  for (const entry of (typeof value === 'string' ? value.split(',') : value).map((c) => c.trim()).filter((c) => c !== '')) {
    const cidr = parseCidr(entry);
    if (cidr === undefined) {
      ctx.addIssue({ code: 'custom', message: `${entry} is not an IPv4 CIDR such as 192.168.0.0/22` });
      return z.NEVER;
    }
    if (!cidrs.includes(formatCidr(cidr))) cidrs.push(formatCidr(cidr));
  }
  return cidrs;
});

/** Input of `createPortForwardingRule`. */
export const CreatePortForwardingRuleInput = z.object({
  /** The public IP whose ports are forwarded (`ipaddressid`). */
  ipAddressId: z.string().min(1),
  protocol: ForwardedProtocol,
  /** First public port, and the last one of a range (the first when absent). */
  publicPort: PortNumber,
  publicEndPort: PortNumber.optional(),
  /** First private port, and the last one of a range (the first when absent); as long as the public range. */
  privatePort: PortNumber,
  privateEndPort: PortNumber.optional(),
  /** The VM traffic goes to: its NIC on the IP's network, which must be its default NIC. */
  virtualMachineId: z.string().min(1),
  /** The VM's guest address on that network (`vmguestip`); checked against the NIC when given. */
  vmGuestIp: z
    .string()
    .refine((a) => parseIpv4(a) !== undefined, 'must be an IPv4 address')
    .optional(),
  /** Sources allowed (`cidrlist`); every source when absent. */
  cidrList: SourceCidrList.optional(),
  /**
   * Also open the public ports on the IP's firewall (`openfirewall`): a firewall rule for the
   * same ports and sources is added with the forwarding rule and removed with it. True unless
   * given, as CloudStack 4.1 does for guest networks outside VPCs.
   */
  openFirewall: z.boolean().default(true),
  /** The IP's network, when the caller names it (`networkid`); must be the network the IP is associated with. */
  networkId: z.string().min(1).optional(),
});
/** Input of `createPortForwardingRule`. */
export type CreatePortForwardingRuleInput = z.input<typeof CreatePortForwardingRuleInput>;

/** Input of `deletePortForwardingRule`. */
export const PortForwardingRuleIdInput = z.object({ id: z.string().min(1) });
/** Input of `deletePortForwardingRule`. */
export type PortForwardingRuleIdInput = z.input<typeof PortForwardingRuleIdInput>;

/** Input of `listPortForwardingRules`. */
export const ListPortForwardingRulesInput = PagingInput.merge(VisibilityInput).extend({
  id: z.string().min(1).optional(),
  /** Only rules on this public IP. */
  ipAddressId: z.string().min(1).optional(),
  /** Only rules to this VM. */
  virtualMachineId: z.string().min(1).optional(),
});
/** Input of `listPortForwardingRules`. */
export type ListPortForwardingRulesInput = z.input<typeof ListPortForwardingRulesInput>;
