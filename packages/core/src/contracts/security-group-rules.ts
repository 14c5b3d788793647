import type { HostAddress } from './hypervisor.js';

/**
 * Traffic one entry of a VM's rule set lets through: a protocol with a port range (`tcp`,
 * `udp`), an ICMP type and code (`icmp`, -1 for any), or everything (`all`), from (ingress) or
 * to (egress) the listed blocks. Rules by account and group arrive here already expanded to the
 * current addresses (`a.b.c.d/32`) of that group's running VMs.
 */
export interface SecurityGroupTrafficRule {
  /** `tcp`, `udp`, `icmp` or `all`. */
  readonly protocol: 'tcp' | 'udp' | 'icmp' | 'all';
  /** First port (`tcp`, `udp`). */
  readonly startPort?: number;
  /** Last port (`tcp`, `udp`). */
  readonly endPort?: number;
  /** ICMP type, -1 for any (`icmp`). */
  readonly icmpType?: number;
  /** ICMP code, -1 for any (`icmp`). */
  readonly icmpCode?: number;
  /** Source (ingress) or destination (egress) blocks, sorted, never empty. */
  readonly cidrs: readonly string[];
}

/**
 * What a VM may receive: only what `rules` list (policy `deny`), plus replies to traffic it
 * sent (when {@link SecurityGroupRuleSet.allowReplies}). Security groups never allow all
 * inbound traffic by default (guide 13.7.1: the default group denies all inbound).
 */
export interface SecurityGroupIngressPolicy {
  /** Always `deny`: traffic not listed is dropped. */
  readonly policy: 'deny';
  /** What is let in. */
  readonly rules: readonly SecurityGroupTrafficRule[];
}

/**
 * What a VM may send (guide 13.7.5): while none of its groups has an egress rule everything
 * goes out (policy `allow`, `rules` empty); once any does, only what `rules` list plus
 * `alwaysAllowed` (DNS and DHCP queries) plus replies to allowed inbound traffic (policy `deny`).
 */
export interface SecurityGroupEgressPolicy {
  /** `allow` while no egress rule exists for the VM, `deny` once one does. */
  readonly policy: 'allow' | 'deny';
  /** What is let out under `deny`. */
  readonly rules: readonly SecurityGroupTrafficRule[];
  /** Let out whatever the policy: DNS (udp and tcp 53) and DHCP (udp 67) queries. */
  readonly alwaysAllowed: readonly SecurityGroupTrafficRule[];
}

/**
 * The complete security group rule set of one VM, as its host must enforce it (CloudStack's
 * `SecurityGroupRulesCmd`): the union of the rules of every group the VM belongs to, with group
 * references expanded to addresses. Each set replaces the previous one entirely; `seq` grows
 * with every set computed for the VM, so a host that receives sets out of order keeps the
 * newest.
 */
export interface SecurityGroupRuleSet {
  /** The VM's id in the cloud. */
  readonly vmId: string;
  /** Sequence number: a host ignores a set whose `seq` is lower than the one it enforces. */
  readonly seq: number;
  /** Ids of the groups the set was computed from. */
  readonly groupIds: readonly string[];
  /** Inbound policy and rules. */
  readonly ingress: SecurityGroupIngressPolicy;
  /** Outbound policy and rules. */
  readonly egress: SecurityGroupEgressPolicy;
  /** Replies to traffic allowed one way are allowed back the other (stateful filtering); always true. */
  readonly allowReplies: true;
}

/**
 * A request to enforce a VM's rule set on its host (capability `securitygroup.apply`). The
 * VM's default address and MAC let the host bind the filter to the VM's interface and drop
 * traffic the VM sends from any other address. Idempotent: applying the same set again, or a
 * set older than the one in force, changes nothing.
 */
export interface ApplySecurityGroupRulesRequest {
  /** The host the VM runs on. */
  readonly host: HostAddress;
  /** The VM's name on the hypervisor. */
  readonly vmName: string;
  /** The VM's default guest address, when it has one. */
  readonly vmIp?: string;
  /** The VM's default NIC's MAC address. */
  readonly macAddress?: string;
  /** The complete rule set. */
  readonly rules: SecurityGroupRuleSet;
}
