import type { CreateNetworkOfferingInput } from './network-offering-inputs.js';

/**
 * The names of the network offerings a CloudStack 4.1 installation ships, as the install guide
 * names them (the guide's zone wizard spells the elastic-IP one `NetScaler`; CloudStack's own
 * database row says `Netscaler` — the guide is the specification here).
 */
export const DEFAULT_NETWORK_OFFERING_NAMES = {
  sharedWithSecurityGroups: 'DefaultSharedNetworkOfferingWithSGService',
  shared: 'DefaultSharedNetworkOffering',
  sharedElasticIpAndLb: 'DefaultSharedNetScalerEIPandELBNetworkOffering',
  isolatedWithSourceNat: 'DefaultIsolatedNetworkOfferingWithSourceNatService',
  isolated: 'DefaultIsolatedNetworkOffering',
  vpcTier: 'DefaultIsolatedNetworkOfferingForVpcNetworks',
  vpcTierNoLb: 'DefaultIsolatedNetworkOfferingForVpcNetworksNoLB',
} as const;

const N = DEFAULT_NETWORK_OFFERING_NAMES;
const ROUTER_BASICS = ['Dhcp', 'Dns', 'UserData'];
const VPC_SERVICES = ['Dhcp', 'Dns', 'UserData', 'NetworkACL', 'SourceNat', 'StaticNat', 'PortForwarding', 'Lb', 'Vpn'];
const byVpcRouter = (services: readonly string[]) => services.map((service) => ({ service, provider: 'VpcVirtualRouter' }));

/**
 * The default network offerings of CloudStack 4.1 (`ConfigurationServerImpl`
 * `createDefaultNetworkOfferings`), created enabled by `NetworkOfferingService.seedDefaults`.
 * Their flags are CloudStack's: shared ones take the admin's VLAN and IP range; the isolated
 * source-NAT one is `Required`; VPC tier ones have conserve mode off.
 */
export const DEFAULT_NETWORK_OFFERINGS: readonly CreateNetworkOfferingInput[] = [
  {
    name: N.sharedWithSecurityGroups,
    displayText: 'Offering for Shared Security group enabled networks',
    guestIpType: 'Shared',
    supportedServices: [...ROUTER_BASICS, 'SecurityGroup'],
    specifyVlan: true,
    specifyIpRanges: true,
  },
  {
    name: N.shared,
    displayText: 'Offering for Shared networks',
    guestIpType: 'Shared',
    supportedServices: ROUTER_BASICS,
    specifyVlan: true,
    specifyIpRanges: true,
  },
  {
    name: N.isolatedWithSourceNat,
    displayText: 'Offering for Isolated networks with Source Nat service enabled',
    guestIpType: 'Isolated',
    supportedServices: [...ROUTER_BASICS, 'SourceNat', 'StaticNat', 'PortForwarding', 'Lb', 'Firewall', 'Vpn'],
    availability: 'Required',
  },
  {
    name: N.isolated,
    displayText: 'Offering for Isolated networks with no Source Nat service',
    guestIpType: 'Isolated',
    supportedServices: ROUTER_BASICS,
    specifyVlan: true,
    specifyIpRanges: true,
  },
  {
    name: N.sharedElasticIpAndLb,
    displayText: 'Offering for Shared networks with Elastic IP and Elastic LB capabilities',
    guestIpType: 'Shared',
    supportedServices: [...ROUTER_BASICS, 'SecurityGroup', 'StaticNat', 'Lb'],
    serviceProviderList: [
      { service: 'StaticNat', provider: 'Netscaler' },
      { service: 'Lb', provider: 'Netscaler' },
    ],
    serviceCapabilityList: [
      { service: 'StaticNat', capabilityType: 'ElasticIp', capabilityValue: 'true' },
      { service: 'Lb', capabilityType: 'ElasticLb', capabilityValue: 'true' },
    ],
    specifyVlan: true,
    specifyIpRanges: true,
  },
  {
    name: N.vpcTier,
    displayText: 'Offering for Isolated Vpc networks with Source Nat service enabled',
    guestIpType: 'Isolated',
    supportedServices: VPC_SERVICES,
    serviceProviderList: byVpcRouter(VPC_SERVICES),
    conserveMode: false,
  },
  {
    name: N.vpcTierNoLb,
    displayText: 'Offering for Isolated Vpc networks with Source Nat service enabled and LB service Disabled',
    guestIpType: 'Isolated',
    supportedServices: VPC_SERVICES.filter((s) => s !== 'Lb'),
    serviceProviderList: byVpcRouter(VPC_SERVICES.filter((s) => s !== 'Lb')),
    conserveMode: false,
  },
];
