import { NETWORK_SERVICES, type NetworkService } from '../contracts/network-element.js';
import { invalidParameter } from '../errors.js';
import { LB_ALGORITHMS, STICKINESS_METHODS, type LbAlgorithm, type NetworkOffering, type OfferedService, type StickinessMethod } from '../model/network-offering.js';
import { offeringCapabilityNamed, NETWORK_PROVIDER_CAPABILITIES, networkProviderNamed, networkServiceNamed, type NetworkProviderName } from './network-offering-capabilities.js';
import type { NetworkOfferingSpec, ServiceCapabilityEntry } from './network-offering-inputs.js';

/** What an offering's services and capabilities come to, once CloudStack's rules accept them. */
export type OfferingShape = Pick<
  NetworkOffering,
  'services' | 'sourceNatType' | 'lbAlgorithms' | 'stickinessMethods' | 'elasticIp' | 'elasticLb' | 'forVpc'
>;

/** Services that only an isolated network (behind the router's public IP) can have. */
const ISOLATED_ONLY: readonly NetworkService[] = ['SourceNat', 'PortForwarding', 'Firewall', 'Vpn', 'NetworkACL'];

const SUPPORTED_SERVICES = 'supportedservices';
const SERVICE_PROVIDER_LIST = 'serviceproviderlist';
const SERVICE_CAPABILITY_LIST = 'servicecapabilitylist';

/**
 * Checks an offering's services, providers, capabilities and flags with CloudStack 4.1's
 * `createNetworkOffering` rules and returns what it offers. Pure: every refusal is a 431
 * naming the parameter, thrown before anything is read or written.
 */
export function shapeOffering(spec: NetworkOfferingSpec): OfferingShape {
  const providers = providersOf(spec);
  checkGuestType(spec, providers);
  addImplicitFirewall(providers);
  const capabilities = capabilitiesAsked(spec.serviceCapabilityList, providers);
  const shape = applyCapabilities(spec, providers, capabilities);
  checkFlags(spec, providers);
  checkVpc(spec, providers);
  return shape;
}

/** The provider of each offered service: the one named in `serviceProviderList`, or the default. */
function providersOf(spec: NetworkOfferingSpec): Map<NetworkService, NetworkProviderName> {
  const offered = new Set<NetworkService>();
  for (const name of spec.supportedServices) {
    const service = networkServiceNamed(name);
    if (service === undefined) throw invalidParameter(SUPPORTED_SERVICES, `invalid service ${name}; services are ${NETWORK_SERVICES.join(', ')}`);
    offered.add(service);
  }
  const named = new Map<NetworkService, NetworkProviderName>();
  for (const entry of spec.serviceProviderList) {
    const service = networkServiceNamed(entry.service);
    if (service === undefined || !offered.has(service)) {
      throw invalidParameter(SERVICE_PROVIDER_LIST, `service ${entry.service} is not enabled for the network offering, can't add a provider to it`);
    }
    const provider = networkProviderNamed(entry.provider);
    if (provider === undefined) throw invalidParameter(SERVICE_PROVIDER_LIST, `invalid service provider ${entry.provider}`);
    const earlier = named.get(service);
    if (earlier !== undefined && earlier !== provider) {
      throw invalidParameter(SERVICE_PROVIDER_LIST, `only one provider can be specified for service ${service}`);
    }
    named.set(service, provider);
  }
  const providers = new Map<NetworkService, NetworkProviderName>();
  for (const service of NETWORK_SERVICES) {
    if (!offered.has(service)) continue;
    const provider = named.get(service) ?? (service === 'SecurityGroup' ? 'SecurityGroupProvider' : 'VirtualRouter');
    if (!NETWORK_PROVIDER_CAPABILITIES[provider].services.includes(service)) {
      throw invalidParameter(SERVICE_PROVIDER_LIST, `provider ${provider} does not provide service ${service}`);
    }
    providers.set(service, provider);
  }
  return providers;
}

/** Security groups are for shared networks; NAT, firewall and VPN for isolated ones (elastic IP and LB aside). */
function checkGuestType(spec: NetworkOfferingSpec, providers: ReadonlyMap<NetworkService, NetworkProviderName>): void {
  if (spec.guestIpType === 'Isolated' && providers.has('SecurityGroup')) {
    throw invalidParameter(SUPPORTED_SERVICES, 'security group service is supported for network offerings with guest ip type Shared only');
  }
  if (spec.guestIpType === 'Shared') {
    const isolatedOnly = ISOLATED_ONLY.find((s) => providers.has(s));
    if (isolatedOnly !== undefined) {
      throw invalidParameter(SUPPORTED_SERVICES, `service ${isolatedOnly} is supported for network offerings with guest ip type Isolated only`);
    }
  }
}

/**
 * As CloudStack does, an offering whose port forwarding or static NAT is given by the virtual
 * router, or any service by a Juniper SRX, gets the Firewall service of that provider when it
 * does not name one: those rules open ports, and the firewall is where that happens.
 */
function addImplicitFirewall(providers: Map<NetworkService, NetworkProviderName>): void {
  if (providers.has('Firewall')) return;
  const all = [...providers.values()];
  if (all.includes('JuniperSRX')) providers.set('Firewall', 'JuniperSRX');
  else if (providers.get('PortForwarding') === 'VirtualRouter' || providers.get('StaticNat') === 'VirtualRouter') providers.set('Firewall', 'VirtualRouter');
}

/** The capability values asked, by `service.capability`, after checking each names an offered service's capability. */
function capabilitiesAsked(entries: readonly ServiceCapabilityEntry[], providers: ReadonlyMap<NetworkService, NetworkProviderName>): Map<string, string> {
  const asked = new Map<string, string>();
  for (const entry of entries) {
    const service = networkServiceNamed(entry.service);
    if (service === undefined) throw invalidParameter(SERVICE_CAPABILITY_LIST, `invalid service ${entry.service}`);
    if (!providers.has(service)) {
      throw invalidParameter(SERVICE_CAPABILITY_LIST, `capabilities for ${service} service can be specified only when ${service} service is enabled for the network offering`);
    }
    const capability = offeringCapabilityNamed(service, entry.capabilityType);
    if (capability === undefined) {
      throw invalidParameter(SERVICE_CAPABILITY_LIST, `invalid capability ${entry.capabilityType} for service ${service}`);
    }
    asked.set(`${service}.${capability}`, entry.capabilityValue);
  }
  return asked;
}

/** Applies the asked capabilities over each provider's defaults. */
function applyCapabilities(spec: NetworkOfferingSpec, providers: ReadonlyMap<NetworkService, NetworkProviderName>, asked: ReadonlyMap<string, string>): OfferingShape {
  const lbProvider = providers.get('Lb');
  const lb = lbProvider === undefined ? undefined : NETWORK_PROVIDER_CAPABILITIES[lbProvider];
  const sourceNatProvider = providers.get('SourceNat');
  const staticNatProvider = providers.get('StaticNat');

  const isolation = asked.get('Lb.SupportedLBIsolation');
  if (isolation !== undefined && isolation.toLowerCase() !== 'dedicated') {
    throw invalidParameter(SERVICE_CAPABILITY_LIST, `SupportedLBIsolation ${isolation} is not supported: each network's load balancer is dedicated to it`);
  }
  const redundant = asked.get('SourceNat.RedundantRouter');
  if (redundant !== undefined && redundant.toLowerCase() !== 'false') {
    throw invalidParameter(SERVICE_CAPABILITY_LIST, `RedundantRouter ${redundant} is not supported: networks have one virtual router`);
  }

  const elasticIp = flag(asked, 'StaticNat.ElasticIp');
  if (elasticIp && !(staticNatProvider !== undefined && NETWORK_PROVIDER_CAPABILITIES[staticNatProvider].elastic.ip)) {
    throw invalidParameter(SERVICE_CAPABILITY_LIST, `ElasticIp needs a StaticNat provider that gives elastic IPs (Netscaler), not ${staticNatProvider ?? 'none'}`);
  }
  const elasticLb = flag(asked, 'Lb.ElasticLb');
  if (elasticLb && !(lb?.elastic.lb ?? false)) {
    throw invalidParameter(SERVICE_CAPABILITY_LIST, `ElasticLb needs an Lb provider that gives elastic load balancing (Netscaler, ElasticLoadBalancerVm), not ${lbProvider ?? 'none'}`);
  }
  if ((elasticIp || elasticLb) && spec.guestIpType !== 'Shared') {
    throw invalidParameter(SERVICE_CAPABILITY_LIST, 'elastic IP and elastic load balancing are for shared networks (basic zones)');
  }
  if (spec.guestIpType === 'Shared' && providers.has('StaticNat') && !elasticIp) {
    throw invalidParameter(SUPPORTED_SERVICES, 'a shared network offering gives StaticNat only as elastic IP (capability ElasticIp=true)');
  }
  if (spec.guestIpType === 'Shared' && providers.has('Lb') && !elasticLb) {
    throw invalidParameter(SUPPORTED_SERVICES, 'a shared network offering gives Lb only as elastic load balancing (capability ElasticLb=true)');
  }

  let sourceNatType: OfferingShape['sourceNatType'];
  if (sourceNatProvider !== undefined) {
    const value = asked.get('SourceNat.SupportedSourceNatTypes');
    sourceNatType = value === undefined ? 'peraccount' : sourceNatTypeOf(value);
    if (!NETWORK_PROVIDER_CAPABILITIES[sourceNatProvider].sourceNatTypes.includes(sourceNatType)) {
      throw invalidParameter(SERVICE_CAPABILITY_LIST, `provider ${sourceNatProvider} does not support source NAT type ${sourceNatType}`);
    }
  }

  const lbAlgorithms = lb === undefined ? [] : subsetOf(asked.get('Lb.SupportedLBAlgorithms'), LB_ALGORITHMS, lb.lbAlgorithms, 'SupportedLBAlgorithms', lbProvider);
  const stickinessMethods = lb === undefined ? [] : subsetOf(asked.get('Lb.SupportedStickinessMethods'), STICKINESS_METHODS, lb.stickinessMethods, 'SupportedStickinessMethods', lbProvider);

  const services: OfferedService[] = [];
  for (const service of NETWORK_SERVICES) {
    const provider = providers.get(service);
    if (provider !== undefined) services.push({ service, provider });
  }
  return {
    services,
    ...(sourceNatType === undefined ? {} : { sourceNatType }),
    lbAlgorithms: lbAlgorithms as LbAlgorithm[],
    stickinessMethods: stickinessMethods as StickinessMethod[],
    elasticIp,
    elasticLb,
    forVpc: [...providers.values()].includes('VpcVirtualRouter'),
  };
}

/** CloudStack's flag rules (`ConfigurationManagerImpl.createNetworkOffering`). */
function checkFlags(spec: NetworkOfferingSpec, providers: ReadonlyMap<NetworkService, NetworkProviderName>): void {
  const shared = spec.guestIpType === 'Shared';
  if (shared && !spec.specifyVlan) throw invalidParameter('specifyvlan', 'specifyVlan should be true if network offering\'s type is Shared');
  if (shared && !spec.specifyIpRanges) throw invalidParameter('specifyipranges', 'specifyIpRanges should always be true for Shared network offerings');
  if (!shared && spec.specifyIpRanges && providers.has('SourceNat')) {
    throw invalidParameter('specifyipranges', 'specifyIpRanges can only be true for Shared network offerings and Isolated ones with no SourceNat service');
  }
  if (shared && spec.isPersistent) throw invalidParameter('ispersistent', 'isPersistent should be false if network offering\'s type is Shared');
  if (spec.availability === 'Required' && !(!shared && providers.has('SourceNat'))) {
    throw invalidParameter('availability', 'availability can be Required only for network offerings of type Isolated with SourceNat enabled');
  }
}

/** A VPC tier offering (any service by VpcVirtualRouter): all by VpcVirtualRouter, isolated with SourceNat, conserve mode off. */
function checkVpc(spec: NetworkOfferingSpec, providers: ReadonlyMap<NetworkService, NetworkProviderName>): void {
  const all = [...providers.values()];
  if (!all.includes('VpcVirtualRouter')) return;
  if (all.some((p) => p !== 'VpcVirtualRouter')) {
    throw invalidParameter(SERVICE_PROVIDER_LIST, 'only provider VpcVirtualRouter is supported for a network offering that can be used in a VPC');
  }
  if (spec.guestIpType !== 'Isolated' || !providers.has('SourceNat')) {
    throw invalidParameter(SUPPORTED_SERVICES, 'only network offerings of type Isolated with service SourceNat are valid for a VPC');
  }
  if (spec.conserveMode) throw invalidParameter('conservemode', 'only networks with conserve mode off can belong to a VPC');
}

function flag(asked: ReadonlyMap<string, string>, key: string): boolean {
  const value = asked.get(key);
  if (value === undefined) return false;
  const lower = value.toLowerCase();
  if (lower !== 'true' && lower !== 'false') throw invalidParameter(SERVICE_CAPABILITY_LIST, `unknown value ${value} for ${key.split('.')[1]}; true or false`);
  return lower === 'true';
}

function sourceNatTypeOf(value: string): 'peraccount' | 'perzone' {
  const lower = value.toLowerCase();
  if (lower === 'peraccount' || lower === 'perzone') return lower;
  throw invalidParameter(SERVICE_CAPABILITY_LIST, `either peraccount or perzone source NAT type can be specified for SupportedSourceNatTypes, not ${value}`);
}

/**
 * The comma-separated `value` as a subset of `known` that `provider` supports, spelled as
 * known; the provider's whole list when `value` is absent.
 */
function subsetOf(value: string | undefined, known: readonly string[], supported: readonly string[], capability: string, provider: string | undefined): string[] {
  if (value === undefined) return [...supported];
  const chosen: string[] = [];
  for (const part of value.split(',').map((p) => p.trim()).filter((p) => p !== '')) {
    const name = known.find((k) => k.toLowerCase() === part.toLowerCase());
    if (name === undefined) throw invalidParameter(SERVICE_CAPABILITY_LIST, `${capability} must be a subset of ${known.join(', ')}; ${part} is not`);
    if (!supported.includes(name)) throw invalidParameter(SERVICE_CAPABILITY_LIST, `provider ${provider ?? 'none'} does not support ${name} (${capability})`);
    if (!chosen.includes(name)) chosen.push(name);
  }
  if (chosen.length === 0) throw invalidParameter(SERVICE_CAPABILITY_LIST, `${capability} needs at least one of ${supported.join(', ')}`);
  return chosen;
}

