/**
 * A VM's security group rule set as the shell commands a KVM host runs to enforce it, the way
 * CloudStack 4.1's `security_group.py` programs bridge netfilter: per-VM iptables chains named
 * after the VM (`i-2-10-VM` for ingress, `i-2-10-VM-eg` for egress, `i-2-10-def` hooked into the
 * bridge's `BF-<bridge>-IN`/`-OUT` chains), ebtables `nat` chains (`i-2-10-VM-in`/`-out`) that
 * drop frames and ARP not from the VM's MAC and address, a final DROP on ingress, and egress
 * either open (policy `allow`) or limited to the listed rules plus DNS, DHCP and replies.
 * Pure: the same input always gives the same ordered list; every command is safe under `sh -e`.
 */
import { invalidParameter, type SecurityGroupRuleSet, type SecurityGroupTrafficRule } from '@cloudstack-sdk/core';

/** What {@link renderSecurityGroupRules} needs besides the rule set. */
export interface SecurityGroupRenderInput {
  /** The VM's name on the host (`i-2-10-VM`): names its chains. */
  readonly vmName: string;
  /** The VM's default guest address; without one no address anti-spoofing is rendered. */
  readonly vmIp?: string;
  /** The default NIC's MAC; without one no MAC anti-spoofing is rendered. */
  readonly macAddress?: string;
  /** The host-side tap device of the default NIC (`vnet0`). */
  readonly vif: string;
  /** The bridge the NIC is plugged into (`cloudbr0`): its `BF-<bridge>` chains hook the VM in. */
  readonly bridge: string;
  /** The complete rule set. */
  readonly rules: SecurityGroupRuleSet;
}

/** The per-VM chain names {@link renderSecurityGroupRules} uses. */
export interface SecurityGroupChains {
  /** Ingress chain: the VM's name. */
  readonly ingress: string;
  /** Egress chain: `<name>-eg`. */
  readonly egress: string;
  /** Dispatch chain: the name without its last part plus `-def` (`i-2-10-def`). */
  readonly defaults: string;
  /** ebtables nat chain for frames from the VM: `<name>-in`. */
  readonly ebIn: string;
  /** ebtables nat chain for frames to the VM: `<name>-out`. */
  readonly ebOut: string;
}

const NAME = /^[A-Za-z0-9_.-]{1,64}$/;
const IPV4 = /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;
const MAC = /^[0-9a-f]{2}(?::[0-9a-f]{2}){5}$/i;
const ANYWHERE = '0.0.0.0/0';

/** The chain names for a VM, as `security_group.py` derives them. */
export function securityGroupChains(vmName: string): SecurityGroupChains {
  if (!NAME.test(vmName)) throw invalidParameter('vmName', `${JSON.stringify(vmName)} is not a usable chain name`);
  const parts = vmName.split('-');
  const stem = parts.length > 1 ? parts.slice(0, -1).join('-') : vmName;
  return { ingress: vmName, egress: `${vmName}-eg`, defaults: `${stem}-def`, ebIn: `${vmName}-in`, ebOut: `${vmName}-out` };
}

function checkCidr(cidr: string, param: string): string {
  const [address, bits, extra] = cidr.split('/');
  const prefix = Number(bits);
  if (extra !== undefined || address === undefined || !IPV4.test(address) || bits === undefined || !/^\d{1,2}$/.test(bits) || prefix > 32) {
    throw invalidParameter(param, `${JSON.stringify(cidr)} is not an IPv4 CIDR`);
  }
  return cidr;
}

function checkPort(value: number | undefined, param: string): number {
  if (value === undefined || !Number.isInteger(value) || value < 0 || value > 65535) throw invalidParameter(param, `port ${String(value)} is not in 0-65535`);
  return value;
}

function checkIcmp(value: number | undefined, param: string): number {
  const v = value ?? -1;
  if (!Number.isInteger(v) || v < -1 || v > 255) throw invalidParameter(param, `${String(value)} is not an ICMP type or code (-1 to 255)`);
  return v;
}

/** The match part of one rule (protocol, ports or ICMP type) without the address. */
function protocolMatch(rule: SecurityGroupTrafficRule, param: string): string {
  switch (rule.protocol) {
    case 'tcp':
    case 'udp': {
      const start = checkPort(rule.startPort, `${param}.startPort`);
      const end = checkPort(rule.endPort ?? rule.startPort, `${param}.endPort`);
      if (end < start) throw invalidParameter(`${param}.endPort`, `end port ${end} is below start port ${start}`);
      return `-p ${rule.protocol} -m ${rule.protocol} --dport ${start === end ? `${start}` : `${start}:${end}`}`;
    }
    case 'icmp': {
      const type = checkIcmp(rule.icmpType, `${param}.icmpType`);
      const code = checkIcmp(rule.icmpCode, `${param}.icmpCode`);
      if (type === -1) return '-p icmp --icmp-type any';
      return `-p icmp --icmp-type ${code === -1 ? `${type}` : `${type}/${code}`}`;
    }
    case 'all':
      return '';
    default:
      throw invalidParameter(`${param}.protocol`, `${JSON.stringify((rule as { protocol: unknown }).protocol)} is not tcp, udp, icmp or all`);
  }
}

/** One ACCEPT per block of a rule; `direction` is `-s` (ingress) or `-d` (egress). */
function acceptRules(chain: string, rule: SecurityGroupTrafficRule, direction: '-s' | '-d', param: string): string[] {
  const match = protocolMatch(rule, param);
  const state = rule.protocol === 'icmp' ? '' : ' -m state --state NEW';
  if (rule.cidrs.length === 0) throw invalidParameter(`${param}.cidrs`, 'a rule needs at least one CIDR');
  const cidrs = [...new Set(rule.cidrs.map((c, i) => checkCidr(c, `${param}.cidrs[${i}]`)))].sort();
  return cidrs.map((cidr) => {
    const address = cidr === ANYWHERE ? '' : ` ${direction} ${cidr}`;
    return `iptables -A ${chain}${match === '' ? '' : ` ${match}`}${state}${address} -j ACCEPT`;
  });
}

/** `iptables -N chain`, or flush it when it exists already. */
function freshChain(chain: string): string {
  return `iptables -N ${chain} 2>/dev/null || iptables -F ${chain}`;
}

/** Appends a rule unless the same rule is there already (hooks survive re-application). */
function ensureRule(table: string, chain: string, spec: string): string {
  return `iptables${table} -C ${chain} ${spec} 2>/dev/null || iptables${table} -A ${chain} ${spec}`;
}

/**
 * The ordered shell commands that make a host enforce `input.rules` for one VM. Re-running them
 * replaces the VM's previous rules (chains are flushed, hooks are added once). Rejects bad
 * names, addresses, MACs, ports and ICMP values with CloudError 431 naming the field, so nothing
 * unsafe ever reaches a shell.
 */
export function renderSecurityGroupRules(input: SecurityGroupRenderInput): string[] {
  const chains = securityGroupChains(input.vmName);
  if (!NAME.test(input.vif)) throw invalidParameter('vif', `${JSON.stringify(input.vif)} is not an interface name`);
  if (!NAME.test(input.bridge)) throw invalidParameter('bridge', `${JSON.stringify(input.bridge)} is not a bridge name`);
  if (input.vmIp !== undefined && !IPV4.test(input.vmIp)) throw invalidParameter('vmIp', `${JSON.stringify(input.vmIp)} is not an IPv4 address`);
  if (input.macAddress !== undefined && !MAC.test(input.macAddress)) throw invalidParameter('macAddress', `${JSON.stringify(input.macAddress)} is not a MAC address`);
  const { vif, vmIp } = input;
  const mac = input.macAddress?.toLowerCase();
  const brfw = `BF-${input.bridge}`;
  const fromVm = `-m physdev --physdev-is-bridged --physdev-in ${vif}`;
  const toVm = `-m physdev --physdev-is-bridged --physdev-out ${vif}`;
  const { ingress, egress } = input.rules;

  // Validate every rule before producing anything.
  const ingressRules = ingress.rules.flatMap((rule, i) => acceptRules(chains.ingress, rule, '-s', `rules.ingress.rules[${i}]`));
  const egressRules = egress.rules.flatMap((rule, i) => acceptRules(chains.egress, rule, '-d', `rules.egress.rules[${i}]`));
  const alwaysAllowed = egress.alwaysAllowed.flatMap((rule, i) => acceptRules(chains.egress, rule, '-d', `rules.egress.alwaysAllowed[${i}]`));

  const commands: string[] = [
    // The chains, empty.
    freshChain(chains.ingress),
    freshChain(chains.egress),
    freshChain(chains.defaults),
    // Bridged traffic to and from the VM's tap goes through its dispatch chain.
    ensureRule('', `${brfw}-OUT`, `${toVm} -j ${chains.defaults}`),
    ensureRule('', `${brfw}-IN`, `${fromVm} -j ${chains.defaults}`),
    // Dispatch: replies, DHCP both ways, then the VM's own traffic to egress, the rest to ingress.
    `iptables -A ${chains.defaults} -m state --state RELATED,ESTABLISHED -j ACCEPT`,
    `iptables -A ${chains.defaults} ${fromVm} -p udp --dport 67 --sport 68 -j ACCEPT`,
    `iptables -A ${chains.defaults} ${toVm} -p udp --dport 68 --sport 67 -j ACCEPT`,
  ];
  if (vmIp !== undefined) commands.push(`iptables -A ${chains.defaults} ${fromVm} --source ${vmIp} -j ${chains.egress}`);
  // Anything else the VM sends carries a spoofed (or no known) source address.
  commands.push(`iptables -A ${chains.defaults} ${fromVm} -j DROP`);
  commands.push(`iptables -A ${chains.defaults} -j ${chains.ingress}`);

  // Ingress: only what is listed, everything else dropped.
  commands.push(...ingressRules, `iptables -A ${chains.ingress} -j DROP`);

  // Egress: open, or the listed rules plus DNS, DHCP and replies.
  if (egress.policy === 'allow') {
    commands.push(`iptables -A ${chains.egress} -j ACCEPT`);
  } else {
    commands.push(`iptables -A ${chains.egress} -m state --state RELATED,ESTABLISHED -j ACCEPT`, ...alwaysAllowed, ...egressRules, `iptables -A ${chains.egress} -j DROP`);
  }

  // Layer 2 anti-spoofing (ebtables nat): frames and ARP from the VM must carry its MAC and address;
  // ARP replies to it must be for it.
  commands.push(
    `ebtables -t nat -N ${chains.ebIn} 2>/dev/null || ebtables -t nat -F ${chains.ebIn}`,
    `ebtables -t nat -N ${chains.ebOut} 2>/dev/null || ebtables -t nat -F ${chains.ebOut}`,
    // ebtables has no -C: drop the hook if present, then add it once.
    `ebtables -t nat -D PREROUTING -i ${vif} -j ${chains.ebIn} 2>/dev/null || true`,
    `ebtables -t nat -A PREROUTING -i ${vif} -j ${chains.ebIn}`,
    `ebtables -t nat -D POSTROUTING -o ${vif} -j ${chains.ebOut} 2>/dev/null || true`,
    `ebtables -t nat -A POSTROUTING -o ${vif} -j ${chains.ebOut}`,
  );
  if (mac !== undefined) {
    commands.push(
      `ebtables -t nat -A ${chains.ebIn} -s ! ${mac} -j DROP`,
      `ebtables -t nat -A ${chains.ebIn} -p ARP -s ! ${mac} -j DROP`,
      `ebtables -t nat -A ${chains.ebIn} -p ARP --arp-mac-src ! ${mac} -j DROP`,
    );
  }
  if (vmIp !== undefined) commands.push(`ebtables -t nat -A ${chains.ebIn} -p ARP --arp-ip-src ! ${vmIp} -j DROP`);
  commands.push(
    `ebtables -t nat -A ${chains.ebIn} -p ARP --arp-op Request -j ACCEPT`,
    `ebtables -t nat -A ${chains.ebIn} -p ARP --arp-op Reply -j ACCEPT`,
    `ebtables -t nat -A ${chains.ebIn} -p ARP -j DROP`,
  );
  if (mac !== undefined) commands.push(`ebtables -t nat -A ${chains.ebOut} -p ARP --arp-op Reply --arp-mac-dst ! ${mac} -j DROP`);
  if (vmIp !== undefined) commands.push(`ebtables -t nat -A ${chains.ebOut} -p ARP --arp-ip-dst ! ${vmIp} -j DROP`);
  commands.push(
    `ebtables -t nat -A ${chains.ebOut} -p ARP --arp-op Request -j ACCEPT`,
    `ebtables -t nat -A ${chains.ebOut} -p ARP --arp-op Reply -j ACCEPT`,
    `ebtables -t nat -A ${chains.ebOut} -p ARP -j DROP`,
  );
  return commands;
}
