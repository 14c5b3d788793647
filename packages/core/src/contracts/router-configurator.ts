import type { HostAddress } from './hypervisor.js';

/** A DHCP and DNS entry the router serves for one guest NIC. */
export interface RouterDhcpEntry {
  /** The NIC's MAC address. */
  readonly macAddress: string;
  /** Its guest address. */
  readonly ipAddress: string;
  /** The VM's host name (registered in the router's DNS under the network domain). */
  readonly hostName: string;
  /** Whether the NIC is the VM's default (only a default NIC gets the default route). */
  readonly isDefault: boolean;
}

/** What the router's metadata service answers one guest address. */
export interface RouterVmData {
  /** The guest address asking. */
  readonly ipAddress: string;
  /** The VM's host name. */
  readonly hostName: string;
  /** Base64 user data, when given. */
  readonly userData?: string;
  /** The OpenSSH public key, when the VM has a key pair. */
  readonly sshPublicKey?: string;
}

/** Ingress firewall rule on a public IP; traffic not allowed by a rule is dropped. */
export interface RouterFirewallRule {
  /** The rule's id in the cloud. */
  readonly id: string;
  /** The public IP it opens. */
  readonly publicIp: string;
  /** `tcp`, `udp`, `icmp` or `all`. */
  readonly protocol: string;
  readonly startPort?: number;
  readonly endPort?: number;
  readonly icmpType?: number;
  readonly icmpCode?: number;
  /** Source CIDRs allowed. */
  readonly cidrs: readonly string[];
}

/** Egress rule of a guest network: destination CIDRs and ports the guests may reach. */
export interface RouterEgressRule {
  /** The rule's id in the cloud. */
  readonly id: string;
  readonly protocol: string;
  readonly startPort?: number;
  readonly endPort?: number;
  readonly icmpType?: number;
  readonly icmpCode?: number;
  /** Destination CIDRs. */
  readonly cidrs: readonly string[];
}

/** A port forwarding rule: public IP and port range → guest address and port range. */
export interface RouterPortForward {
  /** The rule's id in the cloud. */
  readonly id: string;
  readonly publicIp: string;
  readonly protocol: 'tcp' | 'udp';
  readonly publicStartPort: number;
  readonly publicEndPort: number;
  readonly privateIp: string;
  readonly privateStartPort: number;
  readonly privateEndPort: number;
}

/** A one-to-one NAT of a public IP to a guest address. */
export interface RouterStaticNat {
  readonly publicIp: string;
  readonly privateIp: string;
}

/** A load balancer on the router (HAProxy on CloudStack's router): public IP and port → members. */
export interface RouterLoadBalancer {
  /** The rule's id in the cloud. */
  readonly id: string;
  readonly name: string;
  readonly publicIp: string;
  readonly publicPort: number;
  readonly privatePort: number;
  readonly protocol: 'tcp' | 'udp';
  /** `roundrobin`, `leastconn` or `source`. */
  readonly algorithm: string;
  /** Guest addresses of the member VMs. */
  readonly members: readonly string[];
  /** Source CIDRs allowed. */
  readonly cidrs: readonly string[];
  /** The stickiness policy, when one is set. */
  readonly stickiness?: { readonly method: string; readonly name: string; readonly params: Readonly<Record<string, string>> };
}

/** A VPN user the router's L2TP server authenticates (a user of the VPN's owning account). */
export interface RouterVpnUser {
  readonly username: string;
  readonly password: string;
}

/**
 * The remote-access VPN the router serves (L2TP over IPsec, guide 13.17) on its source NAT
 * address: the server's own address on the client side, the client range, the IPsec
 * pre-shared key, and the users of the VPN's owning account.
 */
export interface RouterVpn {
  /** The public IP the VPN answers on. */
  readonly publicIp: string;
  /** The VPN server's address: the first of the configured range. */
  readonly localIp: string;
  /** The addresses handed to clients (`first-last`). */
  readonly ipRange: string;
  /** The IPsec pre-shared key. */
  readonly presharedKey: string;
  /** Every user of the owning account. */
  readonly users: readonly RouterVpnUser[];
}

/**
 * The complete configuration a virtual router should enforce: every apply hands over all of it,
 * so the router's effective configuration is exactly the last one applied.
 */
export interface RouterConfig {
  /** The guest network: CIDR, gateway (the router's guest address), VLAN and DNS suffix. */
  readonly guest: { readonly cidr: string; readonly gateway: string; readonly vlan: string; readonly networkDomain: string };
  /** The source NAT address guests leave by, when the network has SourceNat. */
  readonly sourceNatIp?: string;
  /** Public IPs the router answers for (source NAT, static NAT and rule IPs). */
  readonly publicIps: readonly string[];
  readonly dhcp: readonly RouterDhcpEntry[];
  readonly vmData: readonly RouterVmData[];
  readonly staticNat: readonly RouterStaticNat[];
  readonly portForwarding: readonly RouterPortForward[];
  readonly firewall: readonly RouterFirewallRule[];
  /** Egress: the default (`allow` in basic and shared networks, `deny` in isolated ones) and the rules. */
  readonly egress: { readonly defaultPolicy: 'allow' | 'deny'; readonly rules: readonly RouterEgressRule[] };
  readonly loadBalancers: readonly RouterLoadBalancer[];
  /** The remote-access VPN, when the network has one. */
  readonly vpn?: RouterVpn;
}

/** A request to enforce a configuration on a running router. */
export interface ApplyRouterConfigRequest {
  /** The host the router runs on. */
  readonly host: HostAddress;
  /** The router's name on the hypervisor (`r-<n>-VM`). */
  readonly routerName: string;
  /** Its link-local control address, which the configuration is pushed through. */
  readonly controlIp: string;
  /** The whole configuration. */
  readonly config: RouterConfig;
}

/**
 * How configuration reaches a virtual router (CloudStack pushes it over the router's link-local
 * control address from the host): a hypervisor driver that can run routers implements it.
 * Applying is all or nothing: a rejected configuration leaves the router's effective one as it was.
 */
export interface RouterConfigurator {
  /** Enforces `config` on the router; rejects (and changes nothing) when it cannot. */
  applyRouterConfig(request: ApplyRouterConfigRequest): Promise<void>;
}
