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

/**
 * A network element (service provider), keyed by provider name (`VirtualRouter`,
 * `JuniperSRX`, `Netscaler`, `SecurityGroupProvider`). It declares the services it provides;
 * the operations that implement them are added by the networking issues.
 */
export interface NetworkElement {
  /** The provider name, as `listNetworkServiceProviders` shows it. */
  readonly provider: string;
  /** The services this element provides. */
  readonly services: ReadonlySet<NetworkService>;
}
