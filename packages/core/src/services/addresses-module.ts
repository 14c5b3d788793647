import type { AreaModule } from './area-module.js';
import { bindCaller, type BoundService } from './bind-caller.js';
import { EgressRuleService } from './egress-rules.js';
import { FirewallRuleService } from './firewall-rules.js';
import { PublicIpService } from './public-ips.js';
import { StaticNatService } from './static-nat.js';

/** The caller-bound services of public IP addresses, static NAT, firewall and egress rules. */
export interface AddressServices {
  /** Public IP addresses of isolated networks: acquire, release, list. */
  readonly publicIps: BoundService<PublicIpService>;
  /** Static NAT of a public IP to a VM. */
  readonly staticNat: BoundService<StaticNatService>;
  /** Ingress firewall rules on public IPs. */
  readonly firewallRules: BoundService<FirewallRuleService>;
  /** Egress firewall rules of isolated networks. */
  readonly egressRules: BoundService<EgressRuleService>;
}

/**
 * Public IP addresses (acquire and release), static NAT, and ingress firewall and egress rules
 * of guest networks, applied through the network rule engine. What an account's deletion or a
 * VM's expunge leaves behind is the networks area's: deleting the account's networks releases
 * their addresses and rules (`NetworkAccountCleanup`), and an expunged VM's static NAT goes
 * with its other rules (`VmNetworkCleanup`).
 */
export const addressesModule: AreaModule<AddressServices> = {
  name: 'addresses',
  services: [PublicIpService, StaticNatService, FirewallRuleService, EgressRuleService],
  facade: (container, caller) => ({
    publicIps: bindCaller(container.resolve(PublicIpService), caller),
    staticNat: bindCaller(container.resolve(StaticNatService), caller),
    firewallRules: bindCaller(container.resolve(FirewallRuleService), caller),
    egressRules: bindCaller(container.resolve(EgressRuleService), caller),
  }),
};
