import type { Transaction } from '../contracts/store.js';
import { invalidParameter, ruleConflict } from '../errors.js';
import type { NetworkOffering } from '../model/network-offering.js';
import type { NetworkRule, RuleProtocol } from '../model/network-rule.js';
import type { PublicIp } from '../model/public-ip.js';

/** Rule states that hold an address and its ports (a revoking rule still does until it is gone). */
const HOLDING_STATES = new Set<NetworkRule['state']>(['Staged', 'Add', 'Active', 'Revoke']);

/** The rules on a public IP that hold it, of the given purposes (all when absent). */
export async function rulesOnIp(tx: Transaction, ipId: string, purposes?: readonly NetworkRule['purpose'][]): Promise<NetworkRule[]> {
  const rules = (await tx.repo('networkRules').find({ where: { ipAddressId: ipId } })).items.filter((r) => HOLDING_STATES.has(r.state));
  return purposes === undefined ? rules : rules.filter((r) => purposes.includes(r.purpose));
}

/**
 * One purpose at a time on a public IP (install guide 13.10–13.14): an address with static NAT
 * takes no port forwarding or load-balancing rule; one with such rules cannot get static NAT;
 * port forwarding and load balancing share an address only in conserve mode; the source NAT
 * address never gets static NAT. Firewall rules go with any purpose. 431 naming `param`.
 */
export async function assertPurposeAllowed(tx: Transaction, ip: PublicIp, offering: NetworkOffering, purpose: 'StaticNat' | 'PortForwarding' | 'Lb', param = 'ipaddressid'): Promise<void> {
  if (purpose === 'StaticNat') {
    if (ip.isSourceNat) throw invalidParameter(param, `public IP ${ip.address} is the network's source NAT address; static NAT cannot be enabled on it`);
    const held = await rulesOnIp(tx, ip.id, ['PortForwarding', 'Lb']);
    if (held.length > 0) throw invalidParameter(param, `public IP ${ip.address} has ${held.length} port forwarding or load balancing rule(s); static NAT cannot be enabled on it`);
    return;
  }
  if (ip.staticNatVmId !== undefined) throw invalidParameter(param, `public IP ${ip.address} has static NAT enabled; it cannot take ${purpose === 'Lb' ? 'load balancing' : 'port forwarding'} rules`);
  const other = purpose === 'Lb' ? 'PortForwarding' : 'Lb';
  if (!offering.conserveMode && (await rulesOnIp(tx, ip.id, [other])).length > 0) {
    throw invalidParameter(param, `public IP ${ip.address} already has ${other === 'Lb' ? 'load balancing' : 'port forwarding'} rules and the network's offering is not in conserve mode`);
  }
}

/**
 * 537 when a new port forwarding or load-balancing rule's public ports overlap those of another
 * such rule on the same address and protocol (install guide 13.12: no two rules may forward
 * the same public port). `exceptRuleId` skips the rule being changed.
 */
export async function assertNoPortConflict(tx: Transaction, ip: PublicIp, protocol: RuleProtocol, startPort: number, endPort: number, exceptRuleId?: string): Promise<void> {
  for (const rule of await rulesOnIp(tx, ip.id, ['PortForwarding', 'Lb'])) {
    if (rule.id === exceptRuleId || rule.protocol !== protocol || rule.startPort === undefined) continue;
    const otherEnd = rule.endPort ?? rule.startPort;
    if (startPort <= otherEnd && rule.startPort <= endPort) {
      throw ruleConflict(`the ${protocol} port range ${startPort}-${endPort} of public IP ${ip.address} conflicts with ${rule.purpose === 'Lb' ? 'load balancing' : 'port forwarding'} rule ${rule.id} (${rule.startPort}-${otherEnd})`, { ruleId: rule.id });
    }
  }
}
