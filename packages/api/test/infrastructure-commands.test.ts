import { describe, expect, it } from 'vitest';
import { footprint } from '../../core/test/infrastructure/fixtures.js';
import { call, callAsync, coreApi, type CoreApiFixture } from './support/core-api.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{4}$/;

/** Builds an advanced zone through the API: zone, physical network, traffic types, pod, public range. */
async function zoneThroughApi(f: CoreApiFixture) {
  const zone = await call(f.api, f.admin, { command: 'createZone', name: 'zone-1', networktype: 'Advanced', dns1: '8.8.8.8', internaldns1: '10.0.0.2', guestcidraddress: '10.1.1.0/24', domain: 'cloud.internal' });
  const zoneid = String((zone.body.zone as { id: string }).id);
  const pn = await callAsync(f, f.admin, { command: 'createPhysicalNetwork', zoneid, name: 'pn-1', vlan: '100-149' });
  const physicalnetworkid = String(pn.accepted.id);
  for (const traffictype of ['Guest', 'Management', 'Public']) {
    await callAsync(f, f.admin, { command: 'addTrafficType', physicalnetworkid, traffictype, kvmnetworklabel: 'cloudbr0' });
  }
  const pod = await call(f.api, f.admin, { command: 'createPod', zoneid, name: 'pod-1', gateway: '192.168.1.1', netmask: '255.255.255.0', startip: '192.168.1.10', endip: '192.168.1.29' });
  const podid = String((pod.body.pod as { id: string }).id);
  return { zone, zoneid, pn, physicalnetworkid, pod, podid };
}

describe('infrastructure commands over a real core cloud', () => {
  it('creates a zone with 4.1 field names, hides it from users while disabled, and lists it once enabled', async () => {
    const f = await coreApi();
    const { zone, zoneid, podid } = await zoneThroughApi(f);
    expect(zone.status).toBe(200);
    expect(zone.json).toEqual({
      createzoneresponse: {
        zone: {
          id: zoneid,
          name: 'zone-1',
          dns1: '8.8.8.8',
          internaldns1: '10.0.0.2',
          guestcidraddress: '10.1.1.0/24',
          domain: 'cloud.internal',
          networktype: 'Advanced',
          securitygroupsenabled: false,
          allocationstate: 'Disabled',
          localstorageenabled: false,
        },
      },
    });
    expect(zoneid).toMatch(UUID);
    expect((await call(f.api, f.user, { command: 'listZones', available: 'true' })).json).toEqual({ listzonesresponse: {} });

    const updated = await call(f.api, f.admin, { command: 'updateZone', id: zoneid, allocationstate: 'Enabled' });
    expect(updated.body.zone).toMatchObject({ id: zoneid, allocationstate: 'Enabled' });
    const listed = await call(f.api, f.user, { command: 'listZones', available: 'true' });
    expect(listed.body).toMatchObject({ count: 1, zone: [{ id: zoneid, name: 'zone-1', networktype: 'Advanced' }] });

    const pods = await call(f.api, f.admin, { command: 'listPods', zoneid });
    expect(pods.body).toEqual({ count: 1, pod: [{ id: podid, name: 'pod-1', zoneid, zonename: 'zone-1', gateway: '192.168.1.1', netmask: '255.255.255.0', startip: '192.168.1.10', endip: '192.168.1.29', allocationstate: 'Enabled' }] });
  });

  it('answers 432 under errorresponse when a user or domain admin calls a root-admin command', async () => {
    const f = await coreApi();
    for (const who of [f.user, f.domainAdmin]) {
      const refused = await call(f.api, who, { command: 'createZone', name: 'z', networktype: 'Basic', dns1: '8.8.8.8', internaldns1: '10.0.0.2' });
      expect(refused.status).toBe(432);
      expect(Object.keys(refused.json)).toEqual(['errorresponse']);
    }
    expect((await call(f.api, f.user, { command: 'listHosts' })).status).toBe(432);
    expect(await f.system.zones.list()).toEqual([]);
  });

  it('refuses a bad parameter with 431 naming it and leaves nothing behind', async () => {
    const f = await coreApi();
    const before = await footprint(f.cloud);
    const badType = await call(f.api, f.admin, { command: 'createZone', name: 'z', networktype: 'Hybrid', dns1: '8.8.8.8', internaldns1: '10.0.0.2' });
    expect(badType.status).toBe(431);
    expect(String(badType.body.errortext)).toContain('networktype');
    const missing = await call(f.api, f.admin, { command: 'createZone', name: 'z', networktype: 'Basic', dns1: '8.8.8.8' });
    expect(missing.status).toBe(431);
    expect(missing.body.errortext).toBe('Unable to execute API command createzone due to missing parameter internaldns1');
    const badDns = await call(f.api, f.admin, { command: 'createZone', name: 'z', networktype: 'Basic', dns1: 'not-an-ip', internaldns1: '10.0.0.2' });
    expect(badDns.status).toBe(431);
    expect(String(badDns.body.errortext)).toContain('dns1');
    expect(await footprint(f.cloud)).toBe(before);
  });

  it('runs async-create physical network and traffic type commands as jobs with the id in the accept reply', async () => {
    const f = await coreApi();
    const { zoneid, pn, physicalnetworkid } = await zoneThroughApi(f);
    expect(pn.accepted).toEqual({ id: expect.stringMatching(UUID), jobid: expect.stringMatching(UUID) });
    expect(pn.result).toMatchObject({
      cmd: 'createPhysicalNetwork',
      jobstatus: 1,
      jobresultcode: 0,
      jobresulttype: 'object',
      jobresult: { physicalnetwork: { id: physicalnetworkid, name: 'pn-1', zoneid, state: 'Disabled', vlan: '100-149', isolationmethods: 'VLAN', broadcastdomainrange: 'ZONE' } },
    });
    const types = await call(f.api, f.admin, { command: 'listTrafficTypes', physicalnetworkid });
    expect(types.body.count).toBe(3);
    expect(types.body.traffictype).toContainEqual({ id: expect.stringMatching(UUID), traffictype: 'Guest', physicalnetworkid, kvmnetworklabel: 'cloudbr0' });
    const providers = await call(f.api, f.admin, { command: 'listNetworkServiceProviders', physicalnetworkid, name: 'VirtualRouter' });
    expect(providers.body).toMatchObject({ count: 1, networkserviceprovider: [{ name: 'VirtualRouter', physicalnetworkid, state: 'Disabled', servicelist: expect.arrayContaining(['Dhcp', 'SourceNat']) }] });
    const providerId = String((providers.body.networkserviceprovider as { id: string }[])[0]?.id);
    const enabled = await callAsync(f, f.admin, { command: 'updateNetworkServiceProvider', id: providerId, state: 'Enabled' });
    expect(enabled.result).toMatchObject({ jobstatus: 1, jobresult: { networkserviceprovider: { id: providerId, state: 'Enabled' } } });
    const updated = await callAsync(f, f.admin, { command: 'updatePhysicalNetwork', id: physicalnetworkid, state: 'Enabled' });
    expect(updated.result).toMatchObject({ jobstatus: 1, jobresult: { physicalnetwork: { id: physicalnetworkid, state: 'Enabled' } } });
    const missing = await callAsync(f, f.admin, { command: 'deleteTrafficType', id: '00000000-0000-4000-8000-000000000000' });
    expect(missing.result).toMatchObject({ jobstatus: 2, jobresultcode: 530, jobresult: { errorcode: 431, errortext: expect.any(String) } });
    const deleted = await callAsync(f, f.admin, { command: 'deletePhysicalNetwork', id: physicalnetworkid });
    expect(deleted.result).toMatchObject({ cmd: 'deletePhysicalNetwork', jobstatus: 1, jobresult: { success: true } });
    expect((await call(f.api, f.admin, { command: 'listPhysicalNetworks', zoneid })).json).toEqual({ listphysicalnetworksresponse: {} });
  });

  it('answers addCluster and addHost in the list shape, lists hosts with resolved names, and runs maintenance as jobs', async () => {
    const f = await coreApi();
    const { zoneid, podid } = await zoneThroughApi(f);
    const cluster = await call(f.api, f.admin, { command: 'addCluster', zoneid, podid, clustername: 'c1', hypervisor: 'Simulator', clustertype: 'CloudManaged' });
    expect(cluster.json).toEqual({
      addclusterresponse: { count: 1, cluster: [{ id: expect.stringMatching(UUID), name: 'c1', podid, podname: 'pod-1', zoneid, zonename: 'zone-1', hypervisortype: 'Simulator', clustertype: 'CloudManaged', allocationstate: 'Enabled', managedstate: 'Managed' }] },
    });
    const clusterid = String((cluster.body.cluster as { id: string }[])[0]?.id);
    const host = await call(f.api, f.admin, { command: 'addHost', zoneid, podid, clusterid, url: 'http://sim/h1', username: 'root', password: 'password', hypervisor: 'Simulator' });
    expect(host.status).toBe(200);
    expect(host.body.count).toBe(1);
    const [h] = host.body.host as Record<string, unknown>[];
    expect(h).toMatchObject({ type: 'Routing', state: 'Up', resourcestate: 'Enabled', zoneid, zonename: 'zone-1', podid, podname: 'pod-1', clusterid, clustername: 'c1', clustertype: 'CloudManaged', hypervisor: 'Simulator' });
    expect(typeof h?.cpunumber).toBe('number');
    expect(typeof h?.memorytotal).toBe('number');
    expect(String(h?.created)).toMatch(DATE);
    expect(h).not.toHaveProperty('password');
    const hostid = String(h?.id);

    const hosts = await call(f.api, f.admin, { command: 'listHosts', type: 'Routing' });
    expect(hosts.body).toMatchObject({ count: 1, host: [{ id: hostid }] });
    const maintenance = await callAsync(f, f.admin, { command: 'prepareHostForMaintenance', id: hostid });
    expect(maintenance.result).toMatchObject({ cmd: 'prepareHostForMaintenance', jobstatus: 1, jobresult: { host: { id: hostid } } });
    expect(['PrepareForMaintenance', 'Maintenance']).toContain((maintenance.result.jobresult as { host: { resourcestate: string } }).host.resourcestate);
    const back = await callAsync(f, f.admin, { command: 'cancelHostMaintenance', id: hostid });
    expect(back.result).toMatchObject({ jobstatus: 1, jobresult: { host: { id: hostid, resourcestate: 'Enabled' } } });

    const pool = await call(f.api, f.admin, { command: 'createStoragePool', zoneid, podid, clusterid, name: 'ps1', url: 'nfs://10.0.0.5/export/primary', tags: 'fast' });
    expect(pool.body.storagepool).toMatchObject({ name: 'ps1', zoneid, zonename: 'zone-1', podid, podname: 'pod-1', clusterid, clustername: 'c1', ipaddress: '10.0.0.5', path: '/export/primary', type: 'NetworkFilesystem', tags: 'fast', state: 'Up' });
    expect((await call(f.api, f.admin, { command: 'listStoragePools', clusterid })).body.count).toBe(1);

    const secondary = await call(f.api, f.admin, { command: 'addSecondaryStorage', zoneid, url: 'nfs://10.0.0.6/export/secondary' });
    expect(secondary.body.secondarystorage).toMatchObject({ type: 'SecondaryStorage', zoneid, zonename: 'zone-1', name: 'nfs://10.0.0.6/export/secondary' });
    const stores = await call(f.api, f.admin, { command: 'listHosts', type: 'SecondaryStorage' });
    expect(stores.body.count).toBe(1);
    const storeId = String((secondary.body.secondarystorage as { id: string }).id);
    expect((await call(f.api, f.admin, { command: 'deleteHost', id: storeId })).json).toEqual({ deletehostresponse: { success: 'true' } });
    expect((await call(f.api, f.admin, { command: 'listHosts', type: 'SecondaryStorage' })).json).toEqual({ listhostsresponse: {} });

    const capacity = await call(f.api, f.admin, { command: 'listCapacity', zoneid, type: '1' });
    expect(capacity.body).toMatchObject({ count: 1, capacity: [{ type: 1, zoneid, zonename: 'zone-1', capacitytotal: expect.any(Number), capacityused: expect.any(Number) }] });
    const hypervisors = await call(f.api, f.user, { command: 'listHypervisors' });
    expect(hypervisors.body.count).toBe(4);
    expect(hypervisors.body.hypervisor).toContainEqual({ name: 'Simulator' });
  });

  it('lists, adds, updates and removes regions', async () => {
    const f = await coreApi();
    expect((await call(f.api, f.user, { command: 'listRegions' })).json).toEqual({ listregionsresponse: { count: 1, region: [{ id: 1, name: 'Local', endpoint: 'http://localhost:8080/client' }] } });
    expect((await call(f.api, f.admin, { command: 'addRegion', id: '2', name: 'East', endpoint: 'http://east:8080/client' })).json).toEqual({ addregionresponse: { region: { id: 2, name: 'East', endpoint: 'http://east:8080/client' } } });
    expect((await call(f.api, f.admin, { command: 'updateRegion', id: '2', name: 'East-2' })).body.region).toMatchObject({ name: 'East-2' });
    expect((await call(f.api, f.admin, { command: 'removeRegion', id: '2' })).json).toEqual({ removeregionresponse: { success: 'true' } });
    expect((await call(f.api, f.user, { command: 'addRegion', id: '3', name: 'x', endpoint: 'http://x/client' })).status).toBe(432);
  });
});
