import { describe, expect, it } from 'vitest';
import { footprint } from '../../core/test/infrastructure/fixtures.js';
import { call, coreApi } from './support/core-api.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{4}$/;

type Offering = Record<string, unknown> & { name: string; service: { name: string; provider: { name: string }[]; capability?: { name: string; value: string }[] }[] };

describe('network offering commands over a real core cloud', () => {
  it('lists the defaults: users see the enabled ones without an admin-given VLAN, root admins all seven', async () => {
    const f = await coreApi();
    const forUser = await call(f.api, f.user, { command: 'listNetworkOfferings' });
    expect(forUser.status).toBe(200);
    expect((forUser.body.networkoffering as Offering[]).map((o) => o.name).sort()).toEqual([
      'DefaultIsolatedNetworkOfferingForVpcNetworks',
      'DefaultIsolatedNetworkOfferingForVpcNetworksNoLB',
      'DefaultIsolatedNetworkOfferingWithSourceNatService',
    ]);
    expect(forUser.body.count).toBe(3);
    const all = await call(f.api, f.admin, { command: 'listNetworkOfferings' });
    expect(all.body.count).toBe(7);

    const plain = await call(f.api, f.admin, { command: 'listNetworkOfferings', name: 'DefaultIsolatedNetworkOffering', sourcenatsupported: 'false' });
    const [offering] = plain.body.networkoffering as Offering[];
    expect(plain.body.count).toBe(1);
    expect(offering).toEqual({
      id: expect.stringMatching(UUID),
      name: 'DefaultIsolatedNetworkOffering',
      displaytext: 'Offering for Isolated networks with no Source Nat service',
      created: expect.stringMatching(DATE),
      traffictype: 'Guest',
      isdefault: true,
      specifyvlan: true,
      conservemode: true,
      specifyipranges: true,
      availability: 'Optional',
      networkrate: 200,
      state: 'Enabled',
      guestiptype: 'Isolated',
      // The router offering its virtual routers run with (Libcloud reads it from every offering).
      serviceofferingid: expect.stringMatching(UUID),
      service: [
        { name: 'Dhcp', provider: [{ name: 'VirtualRouter' }] },
        { name: 'Dns', provider: [{ name: 'VirtualRouter' }] },
        { name: 'UserData', provider: [{ name: 'VirtualRouter' }] },
      ],
      forvpc: false,
      ispersistent: false,
    });

    const sourceNat = (all.body.networkoffering as Offering[]).find((o) => o.name === 'DefaultIsolatedNetworkOfferingWithSourceNatService')!;
    expect(sourceNat).toMatchObject({ availability: 'Required', specifyvlan: false, guestiptype: 'Isolated' });
    const lb = sourceNat.service.find((s) => s.name === 'Lb')!;
    expect(lb.provider).toEqual([{ name: 'VirtualRouter' }]);
    expect(lb.capability).toEqual([
      { name: 'SupportedLBIsolation', value: 'dedicated', canchooseservicecapability: false },
      { name: 'ElasticLb', value: 'false', canchooseservicecapability: false },
      { name: 'SupportedLBAlgorithms', value: 'roundrobin,leastconn,source', canchooseservicecapability: false },
      { name: 'SupportedStickinessMethods', value: 'LbCookie,AppCookie,SourceBased', canchooseservicecapability: false },
    ]);
    expect(sourceNat.service.find((s) => s.name === 'SourceNat')!.capability).toContainEqual({ name: 'SupportedSourceNatTypes', value: 'peraccount', canchooseservicecapability: false });

    const sg = await call(f.api, f.admin, { command: 'listNetworkOfferings', supportedservices: 'SecurityGroup,StaticNat' });
    expect((sg.body.networkoffering as Offering[]).map((o) => o.name)).toEqual(['DefaultSharedNetScalerEIPandELBNetworkOffering']);
    const eip = (sg.body.networkoffering as Offering[])[0]!;
    expect(eip.service.find((s) => s.name === 'StaticNat')).toEqual({ name: 'StaticNat', provider: [{ name: 'Netscaler' }], capability: [{ name: 'ElasticIp', value: 'true', canchooseservicecapability: false }] });
  });

  it('creates an offering with provider and capability maps, enables it, and deletes it', async () => {
    const f = await coreApi();
    const created = await call(f.api, f.admin, {
      command: 'createNetworkOffering',
      name: 'srx-nat',
      displaytext: 'NAT on the SRX',
      traffictype: 'GUEST',
      guestiptype: 'isolated',
      supportedservices: 'Dhcp,Dns,SourceNat,StaticNat,Lb',
      'serviceProviderList[0].service': 'SourceNat',
      'serviceProviderList[0].provider': 'JuniperSRX',
      'serviceProviderList[1].service': 'StaticNat',
      'serviceProviderList[1].provider': 'JuniperSRX',
      'serviceCapabilityList[0].service': 'SourceNat',
      'serviceCapabilityList[0].capabilityType': 'SupportedSourceNatTypes',
      'serviceCapabilityList[0].capabilityValue': 'perzone',
      'servicecapabilitylist[1].service': 'Lb',
      'servicecapabilitylist[1].capabilitytype': 'SupportedLBAlgorithms',
      'servicecapabilitylist[1].capabilityvalue': 'leastconn',
      networkrate: '100',
      tags: 'srx',
    });
    expect(created.status).toBe(200);
    const offering = created.body.networkoffering as Offering;
    expect(offering).toMatchObject({ name: 'srx-nat', state: 'Disabled', isdefault: false, conservemode: true, availability: 'Optional', networkrate: 100, tags: 'srx', traffictype: 'Guest', guestiptype: 'Isolated' });
    expect(offering.service.map((s) => [s.name, s.provider[0]!.name])).toEqual([
      ['Dhcp', 'VirtualRouter'],
      ['Dns', 'VirtualRouter'],
      ['SourceNat', 'JuniperSRX'],
      ['StaticNat', 'JuniperSRX'],
      ['Lb', 'VirtualRouter'],
      ['Firewall', 'JuniperSRX'],
    ]);
    expect(offering.service.find((s) => s.name === 'SourceNat')!.capability).toContainEqual({ name: 'SupportedSourceNatTypes', value: 'perzone', canchooseservicecapability: false });
    expect(offering.service.find((s) => s.name === 'Lb')!.capability).toContainEqual({ name: 'SupportedLBAlgorithms', value: 'leastconn', canchooseservicecapability: false });
    const id = String(offering.id);

    expect((await call(f.api, f.user, { command: 'listNetworkOfferings', id })).json).toEqual({ listnetworkofferingsresponse: {} });
    const enabled = await call(f.api, f.admin, { command: 'updateNetworkOffering', id, state: 'enabled', displaytext: 'SRX NAT' });
    expect(enabled.body.networkoffering).toMatchObject({ id, state: 'Enabled', displaytext: 'SRX NAT' });
    expect((await call(f.api, f.user, { command: 'listNetworkOfferings', id })).body).toMatchObject({ count: 1, networkoffering: [{ id, name: 'srx-nat' }] });

    expect((await call(f.api, f.admin, { command: 'deleteNetworkOffering', id })).json).toEqual({ deletenetworkofferingresponse: { success: 'true' } });
    expect((await call(f.api, f.admin, { command: 'listNetworkOfferings', id })).json).toEqual({ listnetworkofferingsresponse: {} });
  });

  it('refuses bad input with the CloudStack code naming the parameter, leaving nothing behind', async () => {
    const f = await coreApi();
    const base = { command: 'createNetworkOffering', name: 'x', displaytext: 'x', traffictype: 'Guest', guestiptype: 'Isolated', supportedservices: 'Dhcp,SourceNat' };
    const before = await footprint(f.cloud);
    const cases: [Record<string, string>, number, string][] = [
      [{ ...base, traffictype: 'Public' }, 431, 'traffictype'],
      [{ ...base, guestiptype: 'Direct' }, 431, 'guestiptype'],
      [{ ...base, supportedservices: 'Dhcp,Gateway' }, 431, 'supportedservices'],
      [{ ...base, 'serviceproviderlist[0].service': 'Dhcp' }, 431, 'serviceproviderlist'],
      [{ ...base, 'serviceproviderlist[0].service': 'Dhcp', 'serviceproviderlist[0].provider': 'Netscaler' }, 431, 'serviceproviderlist'],
      [{ ...base, 'servicecapabilitylist[0].service': 'SourceNat', 'servicecapabilitylist[0].capabilitytype': 'SupportedSourceNatTypes', 'servicecapabilitylist[0].capabilityvalue': 'perzone' }, 431, 'servicecapabilitylist'],
      [{ ...base, availability: 'Required' }, 431, 'availability'],
      [{ ...base, guestiptype: 'Shared', supportedservices: 'Dhcp', specifyvlan: 'true', specifyipranges: 'true', ispersistent: 'true' }, 431, 'ispersistent'],
      [{ ...base, name: 'DefaultSharedNetworkOffering' }, 431, 'name'],
    ];
    for (const [params, status, param] of cases) {
      const reply = await call(f.api, f.admin, params);
      expect(reply.status, JSON.stringify(params)).toBe(status);
      expect(String(reply.body.errortext)).toContain(param);
    }
    const missing = await call(f.api, f.admin, { command: 'createNetworkOffering', name: 'x', displaytext: 'x', traffictype: 'Guest', guestiptype: 'Isolated' });
    expect(missing.status).toBe(431);
    expect(String(missing.body.errortext)).toContain('supportedservices');
    // Users and domain admins may not run the root-admin commands at all.
    expect((await call(f.api, f.user, base)).status).toBe(432);
    expect((await call(f.api, f.domainAdmin, base)).status).toBe(432);
    const [isolated] = (await f.system.networkOfferings.list({ name: 'DefaultIsolatedNetworkOffering', sourceNatSupported: false })).items;
    const deleteDefault = await call(f.api, f.admin, { command: 'deleteNetworkOffering', id: isolated!.id });
    expect(deleteDefault.status).toBe(431);
    expect((await call(f.api, f.admin, { command: 'updateNetworkOffering', id: isolated!.id, state: 'Retired' })).status).toBe(431);
    expect(await footprint(f.cloud)).toBe(before);
  });
});
