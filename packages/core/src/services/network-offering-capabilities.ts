import { NETWORK_SERVICES, type NetworkService } from '../contracts/network-element.js';
import { LB_ALGORITHMS, STICKINESS_METHODS, type LbAlgorithm, type StickinessMethod } from '../model/network-offering.js';
import { NETWORK_SERVICE_PROVIDER_NAMES } from '../model/network-service-provider.js';

/** One of the provider names CloudStack 4.1 knows. */
export type NetworkProviderName = (typeof NETWORK_SERVICE_PROVIDER_NAMES)[number];

/** What a provider can give an offering, as its CloudStack 4.1 network element declares it. */
export interface NetworkProviderCapabilities {
  /** The services it provides. */
  readonly services: readonly NetworkService[];
  /** Source NAT types it supports, when it provides SourceNat. */
  readonly sourceNatTypes: readonly ('peraccount' | 'perzone')[];
  /** Load-balancing algorithms, when it provides Lb. */
  readonly lbAlgorithms: readonly LbAlgorithm[];
  /** Stickiness methods, when it provides Lb. */
  readonly stickinessMethods: readonly StickinessMethod[];
  /** Whether it can give elastic IPs (StaticNat) and elastic load balancing (Lb), as in basic zones. */
  readonly elastic: { readonly ip: boolean; readonly lb: boolean };
}

const NONE = { sourceNatTypes: [], lbAlgorithms: [], stickinessMethods: [], elastic: { ip: false, lb: false } } as const;
const ROUTER_LB = { lbAlgorithms: LB_ALGORITHMS, stickinessMethods: STICKINESS_METHODS } as const;

/**
 * The capabilities of each known provider (CloudStack 4.1's `VirtualRouterElement`,
 * `VpcVirtualRouterElement`, `SecurityGroupElement`, `JuniperSRXExternalFirewallElement`,
 * `NetscalerElement`, `F5ExternalLoadBalancerElement`, `ElasticLoadBalancerElement`): which
 * services it can provide and which capability values an offering may ask of it.
 */
export const NETWORK_PROVIDER_CAPABILITIES: { readonly [P in NetworkProviderName]: NetworkProviderCapabilities } = {
  VirtualRouter: {
    ...NONE,
    ...ROUTER_LB,
    services: ['Dhcp', 'Dns', 'UserData', 'SourceNat', 'StaticNat', 'PortForwarding', 'Lb', 'Firewall', 'Vpn'],
    sourceNatTypes: ['peraccount'],
  },
  VpcVirtualRouter: {
    ...NONE,
    ...ROUTER_LB,
    services: ['Dhcp', 'Dns', 'UserData', 'SourceNat', 'StaticNat', 'PortForwarding', 'Lb', 'Vpn', 'NetworkACL'],
    sourceNatTypes: ['peraccount'],
  },
  SecurityGroupProvider: { ...NONE, services: ['SecurityGroup'] },
  JuniperSRX: { ...NONE, services: ['Firewall', 'SourceNat', 'StaticNat', 'PortForwarding', 'Vpn'], sourceNatTypes: ['peraccount', 'perzone'] },
  Netscaler: { ...NONE, ...ROUTER_LB, services: ['Lb', 'StaticNat'], elastic: { ip: true, lb: true } },
  F5BigIp: { ...NONE, services: ['Lb'], lbAlgorithms: ['roundrobin', 'leastconn'], stickinessMethods: ['LbCookie'] },
  ElasticLoadBalancerVm: { ...NONE, services: ['Lb'], lbAlgorithms: LB_ALGORITHMS, elastic: { ip: false, lb: true } },
};

/** The capabilities of a provider, or undefined for a name CloudStack 4.1 does not know. */
export function providerCapabilitiesOf(provider: string): NetworkProviderCapabilities | undefined {
  return (NETWORK_SERVICE_PROVIDER_NAMES as readonly string[]).includes(provider) ? NETWORK_PROVIDER_CAPABILITIES[provider as NetworkProviderName] : undefined;
}

/** A known provider name matched in any case, spelled as CloudStack spells it; undefined otherwise. */
export function networkProviderNamed(name: string): NetworkProviderName | undefined {
  const wanted = name.trim().toLowerCase();
  return NETWORK_SERVICE_PROVIDER_NAMES.find((p) => p.toLowerCase() === wanted);
}

/** A service name matched in any case (as CloudStack's `Service.getService`); undefined otherwise. */
export function networkServiceNamed(name: string): NetworkService | undefined {
  const wanted = name.trim().toLowerCase();
  return NETWORK_SERVICES.find((s) => s.toLowerCase() === wanted);
}

/**
 * The capabilities an offering may set through `serviceCapabilityList`, by service. CloudStack
 * 4.1 takes `SupportedLBIsolation`, `ElasticLb`, `SupportedSourceNatTypes`, `RedundantRouter`
 * and `ElasticIp`; `SupportedLBAlgorithms` and `SupportedStickinessMethods` narrow what the
 * offering's load balancer accepts to a subset of what its provider supports.
 */
export const SETTABLE_OFFERING_CAPABILITIES: { readonly [S in NetworkService]?: readonly string[] } = {
  Lb: ['SupportedLBIsolation', 'ElasticLb', 'SupportedLBAlgorithms', 'SupportedStickinessMethods'],
  SourceNat: ['SupportedSourceNatTypes', 'RedundantRouter'],
  StaticNat: ['ElasticIp'],
};

/** A settable capability name matched in any case, for a service; undefined when the service has no such capability. */
export function offeringCapabilityNamed(service: NetworkService, name: string): string | undefined {
  const wanted = name.trim().toLowerCase();
  return SETTABLE_OFFERING_CAPABILITIES[service]?.find((c) => c.toLowerCase() === wanted);
}
