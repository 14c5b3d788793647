import { z } from 'zod';
import { LB_ALGORITHMS } from '../model/network-offering.js';
import { PagingInput } from './paging.js';
import { ForwardedProtocol, PortNumber, SourceCidrList } from './port-forwarding-inputs.js';
import { VisibilityInput } from './visibility.js';

/** A load-balancing algorithm, in any case, given lower-case. */
export const LbAlgorithmInput = z
  .string()
  .transform((a) => a.trim().toLowerCase())
  .pipe(z.enum(LB_ALGORITHMS, { error: `must be one of ${LB_ALGORITHMS.join(', ')}` }));

/** Input of `createLoadBalancerRule`. */
export const CreateLoadBalancerRuleInput = z.object({
  /** The public IP traffic arrives on (`publicipid`). */
  publicIpId: z.string().min(1),
  name: z.string().trim().min(1).max(255),
  description: z.string().max(4096).optional(),
  /** `roundrobin`, `leastconn` or `source`, among those the network's offering supports. */
  algorithm: LbAlgorithmInput,
  /** The port balanced on the public IP, and the port the members listen on. */
  publicPort: PortNumber,
  privatePort: PortNumber,
  /** `tcp` unless given. */
  protocol: ForwardedProtocol.default('tcp'),
  /** Sources allowed (`cidrlist`); every source when absent. */
  cidrList: SourceCidrList.optional(),
  /** Also open the public port on the IP's firewall (`openfirewall`); true unless given. */
  openFirewall: z.boolean().default(true),
  /** The IP's network, when the caller names it (`networkid`); must be the network the IP is associated with. */
  networkId: z.string().min(1).optional(),
});
/** Input of `createLoadBalancerRule`. */
export type CreateLoadBalancerRuleInput = z.input<typeof CreateLoadBalancerRuleInput>;

/** Input naming one load-balancing rule (`deleteLoadBalancerRule`). */
export const LoadBalancerRuleIdInput = z.object({ id: z.string().min(1) });
/** Input naming one load-balancing rule. */
export type LoadBalancerRuleIdInput = z.input<typeof LoadBalancerRuleIdInput>;

/** Input of `updateLoadBalancerRule`. */
export const UpdateLoadBalancerRuleInput = z.object({
  id: z.string().min(1),
  name: z.string().trim().min(1).max(255).optional(),
  description: z.string().max(4096).optional(),
  algorithm: LbAlgorithmInput.optional(),
});
/** Input of `updateLoadBalancerRule`. */
export type UpdateLoadBalancerRuleInput = z.input<typeof UpdateLoadBalancerRuleInput>;

/** Input of `assignToLoadBalancerRule` and `removeFromLoadBalancerRule`. */
export const LoadBalancerMembersInput = z.object({
  /** The rule. */
  id: z.string().min(1),
  /** The VMs to add or remove (`virtualmachineids`). */
  virtualMachineIds: z.array(z.string().min(1)).min(1),
});
/** Input of `assignToLoadBalancerRule` and `removeFromLoadBalancerRule`. */
export type LoadBalancerMembersInput = z.input<typeof LoadBalancerMembersInput>;

/** Input of `listLoadBalancerRules`. */
export const ListLoadBalancerRulesInput = PagingInput.merge(VisibilityInput).extend({
  id: z.string().min(1).optional(),
  /** Only rules on this public IP. */
  publicIpId: z.string().min(1).optional(),
  /** Only rules with this name. */
  name: z.string().min(1).optional(),
  /** Only rules this VM is a member of. */
  virtualMachineId: z.string().min(1).optional(),
  zoneId: z.string().min(1).optional(),
  keyword: z.string().optional(),
});
/** Input of `listLoadBalancerRules`. */
export type ListLoadBalancerRulesInput = z.input<typeof ListLoadBalancerRulesInput>;

/** Input of `listLoadBalancerRuleInstances`. */
export const ListLoadBalancerRuleInstancesInput = PagingInput.extend({
  /** The rule. */
  id: z.string().min(1),
  /**
   * True (default): the rule's members; false: the VMs that could be assigned to it (the
   * owner's live VMs on the rule's network that are not members).
   */
  applied: z.boolean().default(true),
});
/** Input of `listLoadBalancerRuleInstances`. */
export type ListLoadBalancerRuleInstancesInput = z.input<typeof ListLoadBalancerRuleInstancesInput>;
