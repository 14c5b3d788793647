import { inject, injectable } from 'tsyringe';
import type { GuestNetworkTO, NetworkRuleSet } from '../contracts/network-element.js';
import type { RouterDhcpEntry, RouterEgressRule, RouterFirewallRule, RouterLoadBalancer, RouterPortForward, RouterVmData } from '../contracts/router-configurator.js';
import type { Transaction } from '../contracts/store.js';
import type { Network } from '../model/network.js';
import type { NetworkRule } from '../model/network-rule.js';
import type { PublicIp } from '../model/public-ip.js';
import { UNTAGGED_VLAN } from '../model/vlan-ip-range.js';
import { cidrOf, formatCidr, parseIpv4 } from '../net/ipv4.js';
import type { Router } from '../model/router.js';
import type { SecretBox } from '../security/secret-box.js';
import { TOKENS } from '../tokens.js';
import { routerVpnOf } from './vpn-router-config.js';

/** Rule states a rule set includes: those applied or being applied (a `Revoke` rule is being removed). */
const LIVE_STATES = new Set<NetworkRule['state']>(['Add', 'Active']);

/** VM states whose NICs the router serves (a destroyed VM's entries are gone). */
const SERVED_VM_STATES = new Set(['Stopped', 'Starting', 'Running', 'Stopping', 'Migrating']);

/**
 * Builds a guest network's complete desired rule set from the store: DHCP and DNS entries and
 * metadata (user data, SSH key) for every NIC of a live VM on the network, the source NAT
 * address, static NAT mappings, port forwarding, ingress firewall and egress rules, and load
 * balancers with their members' guest addresses and stickiness, and the remote-access VPN with
 * its account's users (secrets opened only into the set). Rules being added count; rules
 * being revoked do not, so the same set serves an apply and its rollback.
 */
@injectable()
export class NetworkRuleSetBuilder {
  constructor(@inject(TOKENS.SecretBox) private readonly secrets: SecretBox) {}

  /** The network as elements see it. */
  async networkTO(tx: Transaction, network: Network): Promise<GuestNetworkTO> {
    const sourceNat = await tx.repo('publicIps').findOne({ networkId: network.id, isSourceNat: true });
    return {
      id: network.id,
      name: network.name,
      zoneId: network.zoneId,
      guestType: network.guestType,
      cidr: network.cidr,
      gateway: network.gateway,
      netmask: network.netmask,
      vlan: network.vlan ?? UNTAGGED_VLAN,
      networkDomain: network.networkDomain,
      ...(sourceNat === undefined ? {} : { sourceNatIp: sourceNat.address }),
    };
  }

  /**
   * The whole rule set of `network`, as the store holds it now; for a basic zone's pod router,
   * the part of its pod (its guests, its pod range as the guest network).
   */
  async build(tx: Transaction, network: Network, podRouter?: Router): Promise<NetworkRuleSet> {
    // An address being released leaves the router with the apply that releases it.
    const ips = (await tx.repo('publicIps').find({ where: { networkId: network.id } })).items.filter((ip) => ip.state === 'Allocated');
    const ipById = new Map(ips.map((ip) => [ip.id, ip]));
    const rules = (await tx.repo('networkRules').find({ where: { networkId: network.id }, orderBy: [{ field: 'createdAt' }, { field: 'id' }] })).items.filter((r) => LIVE_STATES.has(r.state));
    const { dhcp, vmData, guestIpOf } = await this.guests(tx, network, podRouter?.servedPodId);
    const sourceNat = ips.find((ip) => ip.isSourceNat);
    const firewall: RouterFirewallRule[] = [];
    const egress: RouterEgressRule[] = [];
    const portForwarding: RouterPortForward[] = [];
    const loadBalancers: RouterLoadBalancer[] = [];
    for (const rule of rules) {
      const ip = rule.ipAddressId === undefined ? undefined : ipById.get(rule.ipAddressId);
      if (rule.purpose === 'Firewall' && rule.trafficType === 'Egress') egress.push({ id: rule.id, protocol: rule.protocol, ...ports(rule), cidrs: rule.cidrs });
      else if (rule.purpose === 'Firewall' && ip !== undefined) firewall.push({ id: rule.id, publicIp: ip.address, protocol: rule.protocol, ...ports(rule), cidrs: rule.cidrs });
      else if (rule.purpose === 'PortForwarding' && ip !== undefined && rule.vmGuestIp !== undefined) {
        portForwarding.push({
          id: rule.id,
          publicIp: ip.address,
          protocol: rule.protocol === 'udp' ? 'udp' : 'tcp',
          publicStartPort: rule.startPort ?? 1,
          publicEndPort: rule.endPort ?? rule.startPort ?? 1,
          privateIp: rule.vmGuestIp,
          privateStartPort: rule.privateStartPort ?? rule.startPort ?? 1,
          privateEndPort: rule.privateEndPort ?? rule.privateStartPort ?? rule.endPort ?? 1,
        });
      } else if (rule.purpose === 'Lb' && ip !== undefined) {
        const policy = await tx.repo('lbStickinessPolicies').findOne({ ruleId: rule.id });
        const members = (rule.memberVmIds ?? []).map((vmId) => guestIpOf.get(vmId)).filter((a): a is string => a !== undefined);
        loadBalancers.push({
          id: rule.id,
          name: rule.name ?? rule.id,
          publicIp: ip.address,
          publicPort: rule.startPort ?? 1,
          privatePort: rule.privateStartPort ?? rule.startPort ?? 1,
          protocol: rule.protocol === 'udp' ? 'udp' : 'tcp',
          algorithm: rule.algorithm ?? 'roundrobin',
          members,
          cidrs: rule.cidrs,
          ...(policy === undefined || (policy.state !== 'Add' && policy.state !== 'Active') ? {} : { stickiness: { method: policy.method, name: policy.name, params: policy.params } }),
        });
      }
    }
    const vpn = podRouter === undefined ? await routerVpnOf(tx, network, this.secrets) : undefined;
    const guest = podRouter?.guestGateway !== undefined && podRouter.guestNetmask !== undefined
      ? { cidr: formatCidr(cidrOf(podRouter.guestGateway, podRouter.guestNetmask) ?? { network: 0, prefix: 32 }), gateway: podRouter.guestGateway, vlan: podRouter.guestVlan ?? UNTAGGED_VLAN, networkDomain: network.networkDomain }
      : { cidr: network.cidr, gateway: network.gateway, vlan: network.vlan ?? UNTAGGED_VLAN, networkDomain: network.networkDomain };
    return {
      guest,
      ...(sourceNat === undefined ? {} : { sourceNatIp: sourceNat.address }),
      publicIps: ips.map((ip) => ip.address).sort(),
      dhcp,
      vmData,
      staticNat: ips.filter((ip): ip is PublicIp & { staticNatVmIp: string } => ip.staticNatVmIp !== undefined).map((ip) => ({ publicIp: ip.address, privateIp: ip.staticNatVmIp })),
      portForwarding,
      firewall,
      egress: { defaultPolicy: network.guestType === 'Isolated' ? 'deny' : 'allow', rules: egress },
      loadBalancers,
      ...(vpn === undefined ? {} : { vpn }),
    };
  }

  /** DHCP entries and metadata of the network's live VMs, and each VM's guest address on it. */
  private async guests(tx: Transaction, network: Network, podId?: string): Promise<{ dhcp: RouterDhcpEntry[]; vmData: RouterVmData[]; guestIpOf: Map<string, string> }> {
    const nics = (await tx.repo('nics').find({ where: { networkId: network.id }, orderBy: [{ field: 'createdAt' }, { field: 'id' }] })).items;
    const dhcp: RouterDhcpEntry[] = [];
    const vmData: RouterVmData[] = [];
    const guestIpOf = new Map<string, string>();
    // One read of the VMs behind the NICs, not one per NIC (a basic zone's network holds every VM of the zone).
    const vmIds = [...new Set(nics.map((n) => n.vmId))];
    const vms = new Map(vmIds.length === 0 ? [] : (await tx.repo('vms').find({ where: { id: { in: vmIds } } })).items.map((v) => [v.id, v]));
    for (const nic of nics) {
      if (nic.ipAddress === undefined) continue;
      const vm = vms.get(nic.vmId);
      if (vm === undefined || !SERVED_VM_STATES.has(vm.state)) continue;
      if (podId !== undefined && vm.podId !== podId) continue;
      guestIpOf.set(vm.id, nic.ipAddress);
      dhcp.push({ macAddress: nic.macAddress, ipAddress: nic.ipAddress, hostName: vm.name, isDefault: nic.isDefault });
      vmData.push({ ipAddress: nic.ipAddress, hostName: vm.name, ...(vm.userData === undefined ? {} : { userData: vm.userData }), ...(vm.sshPublicKey === undefined ? {} : { sshPublicKey: vm.sshPublicKey }) });
    }
    const byAddress = (a: { ipAddress: string }, b: { ipAddress: string }) => (parseIpv4(a.ipAddress) ?? 0) - (parseIpv4(b.ipAddress) ?? 0);
    return { dhcp: dhcp.sort(byAddress), vmData: vmData.sort(byAddress), guestIpOf };
  }
}

function ports(rule: NetworkRule): { startPort?: number; endPort?: number; icmpType?: number; icmpCode?: number } {
  return {
    ...(rule.startPort === undefined ? {} : { startPort: rule.startPort }),
    ...(rule.endPort === undefined ? {} : { endPort: rule.endPort }),
    ...(rule.icmpType === undefined ? {} : { icmpType: rule.icmpType }),
    ...(rule.icmpCode === undefined ? {} : { icmpCode: rule.icmpCode }),
  };
}
