import { describe, expect, it } from 'vitest';
import { CloudError, MemoryStore, Role, SYSTEM, type CallContext, type Cloud, type NetworkOffering } from '../../src/index.js';
import { DEFAULT_NETWORK_OFFERING_NAMES } from '../../src/services/network-offering-defaults.js';
import type { CreateNetworkOfferingInput } from '../../src/services/network-offering-inputs.js';
import { NetworkOfferingService } from '../../src/services/network-offerings.js';
import { createTestCloud } from '../support/test-cloud.js';

const user: CallContext = { userId: 'u-1', accountId: 'a-1', domainId: SYSTEM.domainId, role: Role.User };
const domainAdmin: CallContext = { userId: 'da-1', accountId: 'da-1', domainId: SYSTEM.domainId, role: Role.DomainAdmin };
const N = DEFAULT_NETWORK_OFFERING_NAMES;

async function refusal(promise: Promise<unknown>): Promise<CloudError> {
  const outcome = await promise.then(
    () => new Error('expected a refusal, but the call succeeded'),
    (e: unknown) => e,
  );
  if (!(outcome instanceof CloudError)) throw outcome;
  return outcome;
}

/** What the store holds: the memory store's raw content, or row counts on another store. */
async function footprint(cloud: Cloud): Promise<string> {
  if (cloud.store instanceof MemoryStore) return cloud.store.rawContent();
  return cloud.store.transaction(async (tx) =>
    JSON.stringify([await tx.repo('networkOfferings').count(), await tx.repo('events').count(), await tx.repo('networks').count()]),
  );
}

async function byName(cloud: Cloud, name: string): Promise<NetworkOffering> {
  const offering = await cloud.store.transaction((tx) => tx.repo('networkOfferings').findOne({ name }));
  if (offering === undefined) throw new Error(`no offering ${name}`);
  return offering;
}

const providers = (offering: NetworkOffering) => Object.fromEntries(offering.services.map((s) => [s.service, s.provider]));

/** An isolated offering with the router's NAT, LB and firewall: the common custom offering. */
const isolated = (name: string, extra: Partial<CreateNetworkOfferingInput> = {}): CreateNetworkOfferingInput => ({
  name,
  displayText: `${name} offering`,
  guestIpType: 'Isolated',
  supportedServices: ['Dhcp', 'Dns', 'UserData', 'SourceNat', 'StaticNat', 'PortForwarding', 'Lb', 'Firewall'],
  ...extra,
});

describe('network offerings: the defaults', () => {
  it('ships CloudStack 4.1\'s seven default offerings, enabled and default', async () => {
    const cloud = await createTestCloud();
    const all = (await cloud.system.networkOfferings.list()).items;
    expect(all.map((o) => o.name).sort()).toEqual(Object.values(N).sort());
    expect(all.every((o) => o.isDefault && o.state === 'Enabled' && o.trafficType === 'Guest' && !o.isPersistent)).toBe(true);

    const sourceNat = await byName(cloud, N.isolatedWithSourceNat);
    expect(sourceNat).toMatchObject({ guestIpType: 'Isolated', availability: 'Required', conserveMode: true, sourceNatType: 'peraccount', specifyVlan: false, specifyIpRanges: false, forVpc: false });
    expect(providers(sourceNat)).toEqual({
      Dhcp: 'VirtualRouter', Dns: 'VirtualRouter', UserData: 'VirtualRouter', SourceNat: 'VirtualRouter', StaticNat: 'VirtualRouter',
      PortForwarding: 'VirtualRouter', Lb: 'VirtualRouter', Firewall: 'VirtualRouter', Vpn: 'VirtualRouter',
    });
    expect(sourceNat.lbAlgorithms).toEqual(['roundrobin', 'leastconn', 'source']);
    expect(sourceNat.stickinessMethods).toEqual(['LbCookie', 'AppCookie', 'SourceBased']);

    const plainIsolated = await byName(cloud, N.isolated);
    expect(providers(plainIsolated)).toEqual({ Dhcp: 'VirtualRouter', Dns: 'VirtualRouter', UserData: 'VirtualRouter' });
    expect(plainIsolated).toMatchObject({ availability: 'Optional', specifyVlan: true, specifyIpRanges: true, lbAlgorithms: [] });
    expect(plainIsolated.sourceNatType).toBeUndefined();

    expect(providers(await byName(cloud, N.sharedWithSecurityGroups))).toEqual({ Dhcp: 'VirtualRouter', Dns: 'VirtualRouter', UserData: 'VirtualRouter', SecurityGroup: 'SecurityGroupProvider' });
    expect(await byName(cloud, N.shared)).toMatchObject({ guestIpType: 'Shared', specifyVlan: true, specifyIpRanges: true });
    expect(providers(await byName(cloud, N.shared))).toEqual({ Dhcp: 'VirtualRouter', Dns: 'VirtualRouter', UserData: 'VirtualRouter' });

    const eip = await byName(cloud, N.sharedElasticIpAndLb);
    expect(eip).toMatchObject({ guestIpType: 'Shared', elasticIp: true, elasticLb: true });
    expect(providers(eip)).toMatchObject({ SecurityGroup: 'SecurityGroupProvider', StaticNat: 'Netscaler', Lb: 'Netscaler', Dhcp: 'VirtualRouter' });

    const vpc = await byName(cloud, N.vpcTier);
    expect(vpc).toMatchObject({ forVpc: true, conserveMode: false, guestIpType: 'Isolated', availability: 'Optional' });
    expect(new Set(Object.values(providers(vpc)))).toEqual(new Set(['VpcVirtualRouter']));
    expect(Object.keys(providers(vpc)).sort()).toEqual(['Dhcp', 'Dns', 'Lb', 'NetworkACL', 'PortForwarding', 'SourceNat', 'StaticNat', 'UserData', 'Vpn']);
    const vpcNoLb = await byName(cloud, N.vpcTierNoLb);
    expect(vpcNoLb.forVpc).toBe(true);
    expect(Object.keys(providers(vpcNoLb))).not.toContain('Lb');
    expect(Object.keys(providers(vpcNoLb))).not.toContain('Firewall');
  });

  it('seeding again adds nothing, and a missing default comes back', async () => {
    const cloud = await createTestCloud();
    const service = cloud.container.resolve(NetworkOfferingService);
    const before = await footprint(cloud);
    await service.seedDefaults();
    expect(await footprint(cloud)).toBe(before);
    const vpcNoLb = await byName(cloud, N.vpcTierNoLb);
    await cloud.store.transaction((tx) => tx.repo('networkOfferings').delete(vpcNoLb.id));
    await service.seedDefaults();
    expect((await byName(cloud, N.vpcTierNoLb)).id).not.toBe(vpcNoLb.id);
    expect(await cloud.store.transaction((tx) => tx.repo('networkOfferings').count())).toBe(7);
  });

  it('shows users only enabled offerings without an admin-given VLAN; root admins see all', async () => {
    const cloud = await createTestCloud();
    const seen = async (caller: CallContext) => (await cloud.as(caller).networkOfferings.list()).items.map((o) => o.name).sort();
    expect(await seen(user)).toEqual([N.isolatedWithSourceNat, N.vpcTier, N.vpcTierNoLb].sort());
    expect(await seen(domainAdmin)).toEqual([N.isolatedWithSourceNat, N.vpcTier, N.vpcTierNoLb].sort());
    expect(await seen(SYSTEM)).toHaveLength(7);
    expect((await cloud.as(user).networkOfferings.list({ specifyVlan: true })).total).toBe(0);
  });
});

describe('network offerings: create, list, update, delete', () => {
  it('creates a disabled offering, VirtualRouter by default, and records NETWORK.OFFERING.CREATE', async () => {
    const cloud = await createTestCloud();
    const offering = await cloud.system.networkOfferings.create(isolated('web', { tags: ' fast, ,ssd ', networkRate: 200, isPersistent: true }));
    expect(offering).toMatchObject({ state: 'Disabled', isDefault: false, conserveMode: true, availability: 'Optional', isPersistent: true, networkRate: 200, tags: 'fast,ssd', forVpc: false, sourceNatType: 'peraccount' });
    expect(new Set(Object.values(providers(offering)))).toEqual(new Set(['VirtualRouter']));
    expect(offering.lbAlgorithms).toEqual(['roundrobin', 'leastconn', 'source']);
    const [event] = (await cloud.system.events.list({ type: 'NETWORK.OFFERING.CREATE' })).items;
    expect(event).toMatchObject({ resourceId: offering.id, resourceType: 'NetworkOffering' });
    // Disabled: the admin sees it, a user does not, and no network may use it yet.
    expect((await cloud.system.networkOfferings.list({ name: 'web' })).total).toBe(1);
    expect((await cloud.as(user).networkOfferings.list({ name: 'web' })).total).toBe(0);
    const service = cloud.container.resolve(NetworkOfferingService);
    expect(await refusal(cloud.store.transaction((tx) => service.requireUsable(tx, offering.id)))).toMatchObject({ code: 431, param: 'networkofferingid' });
    await cloud.system.networkOfferings.update({ id: offering.id, state: 'Enabled' });
    expect((await cloud.as(user).networkOfferings.list({ name: 'web' })).items.map((o) => o.id)).toEqual([offering.id]);
    expect((await cloud.store.transaction((tx) => service.requireUsable(tx, offering.id))).id).toBe(offering.id);
  });

  it('adds the provider\'s Firewall when port forwarding or static NAT is by the router, or any service by a Juniper SRX', async () => {
    const cloud = await createTestCloud();
    const pf = await cloud.system.networkOfferings.create({ name: 'pf', displayText: 'pf', guestIpType: 'Isolated', supportedServices: ['dhcp', 'SOURCENAT', 'PortForwarding'] });
    expect(providers(pf)).toEqual({ Dhcp: 'VirtualRouter', SourceNat: 'VirtualRouter', PortForwarding: 'VirtualRouter', Firewall: 'VirtualRouter' });
    const srx = await cloud.system.networkOfferings.create({
      name: 'srx',
      displayText: 'srx',
      guestIpType: 'Isolated',
      supportedServices: ['Dhcp', 'Dns', 'SourceNat', 'StaticNat'],
      serviceProviderList: [{ service: 'SourceNat', provider: 'JuniperSRX' }, { service: 'StaticNat', provider: 'junipersrx' }],
      serviceCapabilityList: [{ service: 'SourceNat', capabilityType: 'SupportedSourceNatTypes', capabilityValue: 'perzone' }],
    });
    expect(providers(srx)).toEqual({ Dhcp: 'VirtualRouter', Dns: 'VirtualRouter', SourceNat: 'JuniperSRX', StaticNat: 'JuniperSRX', Firewall: 'JuniperSRX' });
    expect(srx.sourceNatType).toBe('perzone');
  });

  it('narrows the load balancer to chosen algorithms and stickiness methods', async () => {
    const cloud = await createTestCloud();
    const offering = await cloud.system.networkOfferings.create(
      isolated('lb', {
        serviceCapabilityList: [
          { service: 'Lb', capabilityType: 'SupportedLBAlgorithms', capabilityValue: 'source, RoundRobin' },
          { service: 'lb', capabilityType: 'supportedstickinessmethods', capabilityValue: 'SourceBased' },
          { service: 'Lb', capabilityType: 'SupportedLBIsolation', capabilityValue: 'dedicated' },
          { service: 'SourceNat', capabilityType: 'RedundantRouter', capabilityValue: 'false' },
        ],
      }),
    );
    expect(offering.lbAlgorithms).toEqual(['source', 'roundrobin']);
    expect(offering.stickinessMethods).toEqual(['SourceBased']);
  });

  it('creates a VPC tier offering: all by VpcVirtualRouter, conserve mode off, listed with forVpc', async () => {
    const cloud = await createTestCloud();
    const services = ['Dhcp', 'Dns', 'SourceNat', 'NetworkACL'];
    const tier = await cloud.system.networkOfferings.create({
      name: 'tier', displayText: 'tier', guestIpType: 'Isolated', supportedServices: services, conserveMode: false,
      serviceProviderList: services.map((service) => ({ service, provider: 'VpcVirtualRouter' })),
    });
    expect(tier.forVpc).toBe(true);
    expect((await cloud.system.networkOfferings.list({ forVpc: true })).items.map((o) => o.name).sort()).toEqual(['tier', N.vpcTier, N.vpcTierNoLb].sort());
  });

  it('lists by services, type, keyword, name substring, source NAT and pages with the total', async () => {
    const cloud = await createTestCloud();
    const names = async (query: Parameters<Cloud['system']['networkOfferings']['list']>[0]) => (await cloud.system.networkOfferings.list(query)).items.map((o) => o.name).sort();
    expect(await names({ supportedServices: ['securitygroup'] })).toEqual([N.sharedWithSecurityGroups, N.sharedElasticIpAndLb].sort());
    expect(await names({ supportedServices: ['Lb', 'NetworkACL'] })).toEqual([N.vpcTier]);
    expect(await names({ guestIpType: 'Shared' })).toEqual([N.sharedWithSecurityGroups, N.shared, N.sharedElasticIpAndLb].sort());
    expect(await names({ sourceNatSupported: false, guestIpType: 'Isolated' })).toEqual([N.isolated]);
    expect(await names({ availability: 'Required' })).toEqual([N.isolatedWithSourceNat]);
    // CloudStack matches `name` as a substring.
    expect(await names({ name: 'forvpcnetworks' })).toEqual([N.vpcTier, N.vpcTierNoLb].sort());
    expect(await names({ keyword: 'elastic' })).toEqual([N.sharedElasticIpAndLb]);
    expect(await names({ isDefault: false })).toEqual([]);
    const page = await cloud.system.networkOfferings.list({ page: 2, pageSize: 3 });
    expect(page.total).toBe(7);
    expect(page.items).toHaveLength(3);
    expect((await refusal(cloud.system.networkOfferings.list({ supportedServices: ['Gateway'] })))).toMatchObject({ code: 431, param: 'supportedservices' });
  });

  it('with a zone, lists the offerings whose providers are enabled there; none in a basic zone', async () => {
    const cloud = await createTestCloud();
    const admin = cloud.system;
    const zone = await admin.zones.create({ name: 'adv', networkType: 'Advanced', dns1: '8.8.8.8', internalDns1: '10.0.0.2', guestCidrAddress: '10.1.1.0/24' });
    const physical = await admin.physicalNetworks.create({ zoneId: zone.id, name: 'pn', vlan: '100-149' });
    expect((await admin.networkOfferings.list({ zoneId: zone.id })).total).toBe(0);
    const [router] = await admin.physicalNetworks.listServiceProviders({ physicalNetworkId: physical.id, name: 'VirtualRouter' });
    await admin.physicalNetworks.updateServiceProvider({ id: router!.id, state: 'Enabled' });
    expect((await admin.networkOfferings.list({ zoneId: zone.id })).items.map((o) => o.name).sort()).toEqual([N.isolatedWithSourceNat, N.shared, N.isolated].sort());
    const basic = await admin.zones.create({ name: 'basic', networkType: 'Basic', dns1: '8.8.8.8', internalDns1: '10.0.0.2' });
    expect((await admin.networkOfferings.list({ zoneId: basic.id })).total).toBe(0);
    expect(await refusal(admin.networkOfferings.list({ zoneId: 'no-such-zone' }))).toMatchObject({ code: 431, param: 'zoneid' });
  });

  it('renames, changes availability and state, and records NETWORK.OFFERING.EDIT', async () => {
    const cloud = await createTestCloud();
    const offering = await cloud.system.networkOfferings.create(isolated('old'));
    const updated = await cloud.system.networkOfferings.update({ id: offering.id, name: 'new', displayText: 'New text', state: 'Enabled' });
    expect(updated).toMatchObject({ name: 'new', displayText: 'New text', state: 'Enabled', services: offering.services });
    expect((await cloud.system.events.list({ type: 'NETWORK.OFFERING.EDIT' })).items.map((e) => e.resourceId)).toEqual([offering.id]);
    // The Required slot moves only once the default gives it up.
    const required = await byName(cloud, N.isolatedWithSourceNat);
    expect(await refusal(cloud.system.networkOfferings.update({ id: offering.id, availability: 'Required' }))).toMatchObject({ code: 431, param: 'availability' });
    await cloud.system.networkOfferings.update({ id: required.id, availability: 'Optional' });
    expect((await cloud.system.networkOfferings.update({ id: offering.id, availability: 'Required' })).availability).toBe('Required');
    // A default can be disabled, but keeps its name.
    expect((await cloud.system.networkOfferings.update({ id: required.id, state: 'Disabled', displayText: 'retired' })).state).toBe('Disabled');
    expect(await refusal(cloud.system.networkOfferings.update({ id: required.id, name: 'mine' }))).toMatchObject({ code: 431, param: 'name' });
  });

  it('deletes an unused custom offering and records NETWORK.OFFERING.DELETE', async () => {
    const cloud = await createTestCloud();
    const offering = await cloud.system.networkOfferings.create(isolated('temp'));
    await cloud.system.networkOfferings.delete(offering.id);
    expect((await cloud.system.networkOfferings.list({ id: offering.id })).total).toBe(0);
    expect((await cloud.system.events.list({ type: 'NETWORK.OFFERING.DELETE' })).items.map((e) => e.resourceId)).toEqual([offering.id]);
    expect(await refusal(cloud.system.networkOfferings.delete(offering.id))).toMatchObject({ code: 431, param: 'id' });
  });
});

describe('network offerings: refusals name the parameter and leave nothing behind', () => {
  const createCases: [string, CreateNetworkOfferingInput, string, RegExp][] = [
    ['an unknown service', isolated('x', { supportedServices: ['Dhcp', 'Gateway'] }), 'supportedservices', /invalid service Gateway/],
    ['a provider for a service not offered', isolated('x', { serviceProviderList: [{ service: 'Vpn', provider: 'VirtualRouter' }] }), 'serviceproviderlist', /Vpn is not enabled/],
    ['an unknown provider', isolated('x', { serviceProviderList: [{ service: 'Lb', provider: 'HAProxyBox' }] }), 'serviceproviderlist', /invalid service provider HAProxyBox/],
    ['two providers for one service', isolated('x', { serviceProviderList: [{ service: 'Lb', provider: 'VirtualRouter' }, { service: 'Lb', provider: 'F5BigIp' }] }), 'serviceproviderlist', /only one provider/],
    ['a provider that does not give the service', isolated('x', { serviceProviderList: [{ service: 'Dhcp', provider: 'Netscaler' }] }), 'serviceproviderlist', /Netscaler does not provide service Dhcp/],
    ['security groups on an isolated offering', isolated('x', { supportedServices: ['Dhcp', 'SecurityGroup'] }), 'supportedservices', /security group/],
    ['source NAT on a shared offering', { name: 'x', displayText: 'x', guestIpType: 'Shared', supportedServices: ['Dhcp', 'SourceNat'], specifyVlan: true, specifyIpRanges: true }, 'supportedservices', /SourceNat is supported .* Isolated only/],
    ['port forwarding on a shared offering', { name: 'x', displayText: 'x', guestIpType: 'Shared', supportedServices: ['PortForwarding'], specifyVlan: true, specifyIpRanges: true }, 'supportedservices', /PortForwarding is supported .* Isolated only/],
    ['static NAT on a shared offering without elastic IP', { name: 'x', displayText: 'x', guestIpType: 'Shared', supportedServices: ['StaticNat'], serviceProviderList: [{ service: 'StaticNat', provider: 'Netscaler' }], specifyVlan: true, specifyIpRanges: true }, 'supportedservices', /StaticNat only as elastic IP/],
    ['elastic IP from the virtual router', { name: 'x', displayText: 'x', guestIpType: 'Shared', supportedServices: ['StaticNat'], serviceCapabilityList: [{ service: 'StaticNat', capabilityType: 'ElasticIp', capabilityValue: 'true' }], specifyVlan: true, specifyIpRanges: true }, 'servicecapabilitylist', /ElasticIp needs/],
    ['elastic LB on an isolated offering', isolated('x', { serviceProviderList: [{ service: 'Lb', provider: 'Netscaler' }], serviceCapabilityList: [{ service: 'Lb', capabilityType: 'ElasticLb', capabilityValue: 'true' }] }), 'servicecapabilitylist', /for shared networks/],
    ['an LB algorithm outside roundrobin, leastconn, source', isolated('x', { serviceCapabilityList: [{ service: 'Lb', capabilityType: 'SupportedLBAlgorithms', capabilityValue: 'roundrobin,random' }] }), 'servicecapabilitylist', /random is not/],
    ['an LB algorithm the provider lacks', isolated('x', { serviceProviderList: [{ service: 'Lb', provider: 'F5BigIp' }], serviceCapabilityList: [{ service: 'Lb', capabilityType: 'SupportedLBAlgorithms', capabilityValue: 'source' }] }), 'servicecapabilitylist', /F5BigIp does not support source/],
    ['an unknown stickiness method', isolated('x', { serviceCapabilityList: [{ service: 'Lb', capabilityType: 'SupportedStickinessMethods', capabilityValue: 'IpHash' }] }), 'servicecapabilitylist', /IpHash is not/],
    ['per-zone source NAT from the virtual router', isolated('x', { serviceCapabilityList: [{ service: 'SourceNat', capabilityType: 'SupportedSourceNatTypes', capabilityValue: 'perzone' }] }), 'servicecapabilitylist', /does not support source NAT type perzone/],
    ['both source NAT types', isolated('x', { serviceCapabilityList: [{ service: 'SourceNat', capabilityType: 'SupportedSourceNatTypes', capabilityValue: 'peraccount,perzone' }] }), 'servicecapabilitylist', /either peraccount or perzone/],
    ['a capability of a service not offered', isolated('x', { supportedServices: ['Dhcp'], serviceCapabilityList: [{ service: 'Lb', capabilityType: 'ElasticLb', capabilityValue: 'false' }] }), 'servicecapabilitylist', /only when Lb service is enabled/],
    ['an unknown capability', isolated('x', { serviceCapabilityList: [{ service: 'Lb', capabilityType: 'MaxConnections', capabilityValue: '10' }] }), 'servicecapabilitylist', /invalid capability MaxConnections/],
    ['a redundant router', isolated('x', { serviceCapabilityList: [{ service: 'SourceNat', capabilityType: 'RedundantRouter', capabilityValue: 'true' }] }), 'servicecapabilitylist', /RedundantRouter/],
    ['shared LB isolation', isolated('x', { serviceCapabilityList: [{ service: 'Lb', capabilityType: 'SupportedLBIsolation', capabilityValue: 'shared' }] }), 'servicecapabilitylist', /SupportedLBIsolation shared/],
    ['a persistent shared offering', { name: 'x', displayText: 'x', guestIpType: 'Shared', supportedServices: ['Dhcp'], specifyVlan: true, specifyIpRanges: true, isPersistent: true }, 'ispersistent', /isPersistent/],
    ['a shared offering without an admin-given VLAN', { name: 'x', displayText: 'x', guestIpType: 'Shared', supportedServices: ['Dhcp'], specifyIpRanges: true }, 'specifyvlan', /specifyVlan/],
    ['a shared offering without admin-given IP ranges', { name: 'x', displayText: 'x', guestIpType: 'Shared', supportedServices: ['Dhcp'], specifyVlan: true }, 'specifyipranges', /specifyIpRanges should always be true/],
    ['admin-given IP ranges with source NAT', isolated('x', { specifyIpRanges: true }), 'specifyipranges', /no SourceNat/],
    ['Required without source NAT', isolated('x', { supportedServices: ['Dhcp', 'Dns'], availability: 'Required' }), 'availability', /Required only for .* Isolated with SourceNat/],
    ['a second Required offering', isolated('x', { availability: 'Required' }), 'availability', /already has network offering DefaultIsolatedNetworkOfferingWithSourceNatService/],
    ['a VPC offering mixing providers', isolated('x', { supportedServices: ['Dhcp', 'SourceNat', 'NetworkACL'], conserveMode: false, serviceProviderList: [{ service: 'NetworkACL', provider: 'VpcVirtualRouter' }] }), 'serviceproviderlist', /only provider VpcVirtualRouter/],
    ['a VPC offering with conserve mode on', isolated('x', { supportedServices: ['SourceNat', 'NetworkACL'], serviceProviderList: [{ service: 'SourceNat', provider: 'VpcVirtualRouter' }, { service: 'NetworkACL', provider: 'VpcVirtualRouter' }] }), 'conservemode', /conserve mode off/],
    ['a VPC offering without source NAT', isolated('x', { supportedServices: ['Dhcp', 'NetworkACL'], conserveMode: false, serviceProviderList: [{ service: 'Dhcp', provider: 'VpcVirtualRouter' }, { service: 'NetworkACL', provider: 'VpcVirtualRouter' }] }), 'supportedservices', /valid for a VPC/],
    ['a taken name', isolated(N.isolated), 'name', /already a network offering named/],
    ['an unknown guest IP type', { ...isolated('x'), guestIpType: 'Direct' as never }, 'guestiptype', /Isolated/],
    ['a missing display text', { ...isolated('x'), displayText: undefined as never }, 'displaytext', /Missing required parameter/],
    ['a zero network rate', isolated('x', { networkRate: 0 }), 'networkrate', /networkrate/],
    ['a router offering that does not exist', isolated('x', { serviceOfferingId: 'no-such-offering' }), 'serviceofferingid', /Unable to find service offering/],
  ];

  it.each(createCases)('create: %s (431)', async (_label, input, param, reason) => {
    const cloud = await createTestCloud();
    const before = await footprint(cloud);
    const error = await refusal(cloud.system.networkOfferings.create(input));
    expect(error).toMatchObject({ code: 431, param });
    expect(error.message).toMatch(reason);
    expect(await footprint(cloud)).toBe(before);
  });

  it('create: a service offering that is not the routers\' system offering (431)', async () => {
    const cloud = await createTestCloud();
    const [small] = (await cloud.system.serviceOfferings.list({ name: 'Small Instance' })).items;
    const [proxy] = (await cloud.system.serviceOfferings.list({ isSystem: true, systemVmType: 'consoleproxy' })).items;
    const before = await footprint(cloud);
    for (const id of [small!.id, proxy!.id]) {
      expect(await refusal(cloud.system.networkOfferings.create(isolated('x', { serviceOfferingId: id })))).toMatchObject({ code: 431, param: 'serviceofferingid' });
    }
    expect(await footprint(cloud)).toBe(before);
    const [router] = (await cloud.system.serviceOfferings.list({ isSystem: true, systemVmType: 'domainrouter' })).items;
    expect((await cloud.system.networkOfferings.create(isolated('x', { serviceOfferingId: router!.id }))).serviceOfferingId).toBe(router!.id);
  });

  it('non-root callers may not create, update or delete (531)', async () => {
    const cloud = await createTestCloud();
    const target = await byName(cloud, N.isolated);
    const before = await footprint(cloud);
    for (const caller of [user, domainAdmin]) {
      const as = cloud.as(caller).networkOfferings;
      expect((await refusal(as.create(isolated('x')))).code).toBe(531);
      expect((await refusal(as.update({ id: target.id, state: 'Disabled' }))).code).toBe(531);
      expect((await refusal(as.delete(target.id))).code).toBe(531);
    }
    expect(await footprint(cloud)).toBe(before);
  });

  it('update: an unknown offering, a taken name, Required on a shared offering (431)', async () => {
    const cloud = await createTestCloud();
    const mine = await cloud.system.networkOfferings.create(isolated('mine'));
    const shared = await byName(cloud, N.shared);
    const before = await footprint(cloud);
    expect(await refusal(cloud.system.networkOfferings.update({ id: 'nope', state: 'Enabled' }))).toMatchObject({ code: 431, param: 'id' });
    expect(await refusal(cloud.system.networkOfferings.update({ id: mine.id, name: N.shared }))).toMatchObject({ code: 431, param: 'name' });
    expect(await refusal(cloud.system.networkOfferings.update({ id: shared.id, availability: 'Required' }))).toMatchObject({ code: 431, param: 'availability' });
    expect(await refusal(cloud.system.networkOfferings.update({ id: mine.id, state: 'Gone' as never }))).toMatchObject({ code: 431, param: 'state' });
    expect(await footprint(cloud)).toBe(before);
  });

  it('delete: a default offering, and one a network uses (431)', async () => {
    const cloud = await createTestCloud();
    const used = await cloud.system.networkOfferings.create(isolated('used'));
    await cloud.store.transaction((tx) =>
      tx.repo('networks').insert({
        id: 'net-1', name: 'net', displayText: 'net', zoneId: 'z', physicalNetworkId: 'pn', networkOfferingId: used.id, guestType: 'Isolated',
        aclType: 'Account', accountId: 'a-1', domainId: SYSTEM.domainId, cidr: '10.1.1.0/24', gateway: '10.1.1.1', netmask: '255.255.255.0',
        networkDomain: 'cs1cloud.internal', state: 'Allocated', isPersistent: false, restartRequired: false,
        createdAt: '2013-05-28T00:00:00.000Z', updatedAt: '2013-05-28T00:00:00.000Z',
      }),
    );
    const before = await footprint(cloud);
    for (const name of Object.values(N)) {
      expect(await refusal(cloud.system.networkOfferings.delete((await byName(cloud, name)).id))).toMatchObject({ code: 431, param: 'id' });
    }
    const inUse = await refusal(cloud.system.networkOfferings.delete(used.id));
    expect(inUse).toMatchObject({ code: 431, param: 'id' });
    expect(inUse.message).toMatch(/used by 1 network/);
    expect(await footprint(cloud)).toBe(before);
  });

  it('get and requireUsable: an unknown id (431 naming the parameter)', async () => {
    const cloud = await createTestCloud();
    const service = cloud.container.resolve(NetworkOfferingService);
    expect(await refusal(cloud.store.transaction((tx) => service.get(tx, 'nope')))).toMatchObject({ code: 431, param: 'networkofferingid' });
    expect(await refusal(cloud.store.transaction((tx) => service.requireUsable(tx, 'nope', 'networkid')))).toMatchObject({ code: 431, param: 'networkid' });
  });
});
