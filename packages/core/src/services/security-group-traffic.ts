import { invalidParameter, missingParameter } from '../errors.js';
import { RuleProtocol } from '../model/network-rule.js';
import type { SecurityGroupRule } from '../model/security-group-rule.js';
import { formatCidr, parseCidr } from '../net/ipv4.js';

/** The traffic part of a security group rule, checked and in its stored form. */
export interface SecurityGroupTraffic {
  /** `tcp`, `udp`, `icmp` or `all`. */
  readonly protocol: RuleProtocol;
  /** First port (`tcp`, `udp`). */
  readonly startPort?: number;
  /** Last port (`tcp`, `udp`). */
  readonly endPort?: number;
  /** ICMP type, -1 for any (`icmp`). */
  readonly icmpType?: number;
  /** ICMP code, -1 for any (`icmp`). */
  readonly icmpCode?: number;
}

/** The traffic fields as an authorisation gives them. */
export interface TrafficRequest {
  readonly protocol?: string;
  readonly startPort?: number;
  readonly endPort?: number;
  readonly icmpType?: number;
  readonly icmpCode?: number;
}

/**
 * Checks a rule's traffic as CloudStack 4.1 does (`SecurityGroupManagerImpl`): the protocol is
 * `tcp`, `udp`, `icmp` or `all` in any case (`all` when absent); `tcp`/`udp` need both ports,
 * 0–65535 with start ≤ end (0–0 meaning every port); `icmp` needs a type and a code, each -1
 * (any) or 0–255, and a code only with a type; `all` takes no ports. Ports given with `icmp`
 * and ICMP fields given with `tcp`/`udp` are ignored, as 4.1 ignores them. Each refusal is a
 * 431 naming the parameter.
 */
export function normaliseTraffic(request: TrafficRequest): SecurityGroupTraffic {
  const parsed = RuleProtocol.safeParse((request.protocol ?? 'all').trim().toLowerCase());
  if (!parsed.success) throw invalidParameter('protocol', `Invalid protocol ${request.protocol ?? ''}: use tcp, udp, icmp or all`);
  const protocol = parsed.data;
  switch (protocol) {
    case 'all':
      if (request.startPort !== undefined) throw invalidParameter('startport', 'Cannot specify startPort or endPort without specifying protocol tcp or udp');
      if (request.endPort !== undefined) throw invalidParameter('endport', 'Cannot specify startPort or endPort without specifying protocol tcp or udp');
      return { protocol };
    case 'icmp': {
      if (request.icmpType === undefined) throw missingParameter('icmptype');
      if (request.icmpCode === undefined) throw missingParameter('icmpcode');
      if (request.icmpType < -1 || request.icmpType > 255) throw invalidParameter('icmptype', `Invalid ICMP type ${request.icmpType}: use -1 (any) or 0-255`);
      if (request.icmpCode < -1 || request.icmpCode > 255) throw invalidParameter('icmpcode', `Invalid ICMP code ${request.icmpCode}: use -1 (any) or 0-255`);
      if (request.icmpType === -1 && request.icmpCode !== -1) throw invalidParameter('icmpcode', 'Invalid ICMP type range: a code needs a type (type -1 takes code -1)');
      return { protocol, icmpType: request.icmpType, icmpCode: request.icmpCode };
    }
    case 'tcp':
    case 'udp': {
      if (request.startPort === undefined) throw missingParameter('startport');
      if (request.endPort === undefined) throw missingParameter('endport');
      for (const [param, port] of [['startport', request.startPort], ['endport', request.endPort]] as const) {
        if (port < 0 || port > 65535) throw invalidParameter(param, `Invalid port number ${port}: use 0-65535`);
      }
      const endPort = request.startPort === 0 && request.endPort === 0 ? 65535 : request.endPort;
      if (request.startPort > endPort) throw invalidParameter('endport', `Invalid port range ${request.startPort}:${endPort}`);
      return { protocol, startPort: request.startPort, endPort };
    }
  }
}

/**
 * A CIDR list (array, or comma-separated string) parsed, normalised (host bits cleared) and
 * de-duplicated; 431 naming `cidrlist` for an entry that is not an IPv4 CIDR.
 */
export function normaliseCidrs(value: string | readonly string[] | undefined): string[] {
  if (value === undefined) return [];
  const entries = (typeof value === 'string' ? value.split(',') : value).map((c) => c.trim()).filter((c) => c !== '');
  const cidrs: string[] = [];
  for (const entry of entries) {
    const cidr = parseCidr(entry);
    if (cidr === undefined) throw invalidParameter('cidrlist', `Invalid cidr ${entry}: use an IPv4 CIDR such as 192.168.0.0/22`);
    const text = formatCidr(cidr);
    if (!cidrs.includes(text)) cidrs.push(text);
  }
  return cidrs;
}

/** Whether a stored rule carries exactly this traffic. */
export function hasTraffic(rule: SecurityGroupRule, traffic: SecurityGroupTraffic): boolean {
  return (
    rule.protocol === traffic.protocol &&
    rule.startPort === traffic.startPort &&
    rule.endPort === traffic.endPort &&
    rule.icmpType === traffic.icmpType &&
    rule.icmpCode === traffic.icmpCode
  );
}
