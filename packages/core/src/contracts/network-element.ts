import type { RouterConfig } from './router-configurator.js';

/** Network services a provider may offer, with CloudStack's names. */
export const NETWORK_SERVICES = [
  'Dhcp',
  'Dns',
  'UserData',
  'SourceNat',
  'StaticNat',
  'PortForwarding',
  'Lb',
  'Firewall',
  'Vpn',
  'SecurityGroup',
  'NetworkACL',
  'Connectivity',
] as const;

/** One of {@link NETWORK_SERVICES}. */
export type NetworkService = (typeof NETWORK_SERVICES)[number];

/** A guest network as elements see it. */
export interface GuestNetworkTO {
  /** The network's id in the cloud. */
  readonly id: string;
  readonly name: string;
  readonly zoneId: string;
  /** `Isolated` or `Shared`. */
  readonly guestType: 'Isolated' | 'Shared';
  readonly cidr: string;
  readonly gateway: string;
  readonly netmask: string;
  /** The VLAN (an id, or `untagged`). */
  readonly vlan: string;
  readonly networkDomain: string;
  /** The source NAT address, when the network has one. */
  readonly sourceNatIp?: string;
}

/**
 * The desired rule set of a guest network, handed whole to every provider of the network's
 * offering, each enforcing the services it provides. It has the router's shape because the
 * virtual router provides them all; an external device reads the parts it provides.
 */
export type NetworkRuleSet = RouterConfig;

/**
 * A network element (service provider), keyed by provider name (`VirtualRouter`,
 * `JuniperSRX`, `Netscaler`, `SecurityGroupProvider`): declares the services it provides and
 * implements them. Core calls the element of each provider named in a network's offering:
 * `implementNetwork` when the network is implemented, `applyRules` with the complete desired
 * rule set after every change (all or nothing: a rejected set leaves the device as it was), and
 * `shutdownNetwork` when the network is shut down or deleted. All calls are idempotent.
 */
export interface NetworkElement {
  /** The provider name, as `listNetworkServiceProviders` shows it. */
  readonly provider: string;
  /** The services this element provides. */
  readonly services: ReadonlySet<NetworkService>;
  /** Prepares the device for a network (an external firewall's VLAN interface, ...). */
  implementNetwork(network: GuestNetworkTO): Promise<void>;
  /** Enforces the network's whole rule set. */
  applyRules(network: GuestNetworkTO, rules: NetworkRuleSet): Promise<void>;
  /** Removes everything the device holds for the network. */
  shutdownNetwork(network: GuestNetworkTO): Promise<void>;
}
