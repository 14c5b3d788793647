// End to end: the example management server in process with HYPERVISORS=KVM (and
// NETWORK_BRIDGE_TYPE=openvswitch), driven through the signed CloudStack API like a real client:
// a basic zone whose cluster is KVM; the libvirt TEST host (test+tcp://127.0.0.1/default through
// libvirtd) added with addHost; NFS primary storage added with createStoragePool, which the KVM
// storage driver defines on the host as a running netfs pool named by the pool's id; a KVM
// template registered and downloaded (onto the simulator's secondary storage); and
// deployVirtualMachine, after which `virsh`, from its own process, sees the domain defined and
// running, its ROOT volume on the pool (cloned from the template cached there) and its NIC on the
// Guest label's Open vSwitch bridge. Stopping it through the API shuts it off on the host.
//
// The one step the test does by hand: secondary storage is the simulator's (in memory), which a
// real host cannot read, so the template's image is put on the primary pool as the cache volume
// `template-<template id>` the KVM driver clones ROOT disks from, standing in for the copy from
// secondary storage a real zone's NFS store would give.
//
// Why virsh sees it: through a daemon, libvirt's test driver keeps ONE shared instance of
// test:///default alive while at least one connection to it stays open (reference/libvirt.md §2).
// The KVM driver holds its host connection open while the host is managed, and the test holds
// one more from before the host is added until after the last check.
import { execFile } from 'node:child_process';
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startManagementServer, type ManagementServer } from '../../../examples/server/src/management-server.js';
import type { ServerLog } from '../../../examples/server/src/log.js';
import { connectLibvirt, DomainState, templateVolumeName, type LibvirtProcedures } from '../src/index.js';
import { libvirtdReachable, TEST_DEFAULT_URI } from './support/libvirtd.js';

const reachable = await libvirtdReachable();
const run = promisify(execFile);

const quietLog: ServerLog = { info: () => undefined, warn: () => undefined, error: () => undefined };

/** Signs like a CloudStack client: sorted, URL-encoded (a space as %20), lower-cased, HMAC-SHA1. */
function signedQuery(params: Readonly<Record<string, string>>, apiKey: string, secretKey: string): string {
  const all: Record<string, string> = { ...params, apiKey, response: 'json' };
  const encoded = Object.keys(all)
    .sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase()))
    .map((k) => `${k}=${encodeURIComponent(all[k] ?? '')}`)
    .join('&');
  const signature = createHmac('sha1', secretKey).update(encoded.toLowerCase()).digest('base64');
  return `${encoded}&signature=${encodeURIComponent(signature)}`;
}

/** `virsh -c test+tcp://127.0.0.1/default <args>`, from its own process. */
async function virsh(...args: string[]): Promise<string> {
  return (await run('virsh', ['-c', TEST_DEFAULT_URI, ...args], { timeout: 10_000 })).stdout;
}

/** The state column `virsh list --all` shows for a domain. */
function listedState(list: string, name: string): string | undefined {
  const line = list.split('\n').find((l) => l.trim().split(/\s+/)[1] === name);
  return line?.trim().split(/\s+/).slice(2).join(' ');
}

type Row = Record<string, unknown>;

describe.skipIf(!reachable)('example server with HYPERVISORS=KVM deploys a VM on a libvirt test host', () => {
  let server: ManagementServer;
  let keys: { apiKey: string; secretKey: string };
  // Held for the whole test: it keeps the daemon's test:///default instance (and what is done to
  // it) alive from before the host is added until after the last check.
  let holder: LibvirtProcedures;
  const previousBridgeType = process.env.NETWORK_BRIDGE_TYPE;
  const created: { vmName?: string; poolId?: string } = {};

  const api = async (command: string, params: Readonly<Record<string, string>> = {}): Promise<Row> => {
    const response = await fetch(`${server.endpoint}?${signedQuery({ command, ...params }, keys.apiKey, keys.secretKey)}`, { signal: AbortSignal.timeout(30_000) });
    const body = (await response.json()) as Record<string, Row>;
    const payload = Object.values(body)[0] ?? {};
    if (response.status !== 200) throw new Error(`${command} answered ${response.status}: ${JSON.stringify(payload)}`);
    return payload;
  };

  const jobResult = async (jobId: string): Promise<Row> => {
    const started = Date.now();
    while (Date.now() - started < 60_000) {
      const job = await api('queryAsyncJobResult', { jobid: jobId });
      if (job.jobstatus !== 0) {
        if (job.jobstatus !== 1) throw new Error(`job ${jobId} failed: ${JSON.stringify(job.jobresult)}`);
        return job.jobresult as Row;
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`job ${jobId} did not finish within 60 s`);
  };

  beforeAll(async () => {
    // test:///default starts with one running domain, `test`; core adds only hosts with no VMs
    // running (as CloudStack does), so power it off first, on the shared instance.
    holder = await connectLibvirt(TEST_DEFAULT_URI);
    const preexisting = await holder.domainLookupByName('test');
    if ((await holder.domainGetState(preexisting)).state !== DomainState.SHUTOFF) await holder.domainDestroy(preexisting);
    process.env.NETWORK_BRIDGE_TYPE = 'openvswitch';
    server = await startManagementServer(
      {
        port: 0,
        host: '127.0.0.1',
        databaseUrl: undefined,
        integrationPort: undefined,
        secretKey: randomBytes(32).toString('base64'),
        secretKeyGenerated: false,
        hypervisors: ['KVM'],
        demo: false,
        serverId: 'ms-kvm-e2e',
      },
      quietLog,
    );
    const admin = server.cloud.system;
    const adminUser = (await admin.users.list({ listAll: true, username: 'admin' })).items.find((u) => u.username === 'admin');
    if (adminUser === undefined) throw new Error('no admin user');
    keys = await admin.users.registerKeys({ id: adminUser.id });
  }, 60_000);

  afterAll(async () => {
    if (previousBridgeType === undefined) delete process.env.NETWORK_BRIDGE_TYPE;
    else process.env.NETWORK_BRIDGE_TYPE = previousBridgeType;
    // Whatever the run left on the shared test host goes, so a rerun starts clean.
    if (holder !== undefined) {
      if (created.vmName !== undefined) {
        const dom = await holder.domainLookupByName(created.vmName).catch(() => undefined);
        if (dom !== undefined) {
          await holder.domainDestroy(dom).catch(() => undefined);
          await holder.domainUndefine(dom).catch(() => undefined);
        }
      }
      if (created.poolId !== undefined) {
        const pool = await holder.storagePoolLookupByName(created.poolId).catch(() => undefined);
        if (pool !== undefined) {
          for (const vol of await holder.storagePoolListAllVolumes(pool).catch(() => [])) await holder.storageVolDelete(vol).catch(() => undefined);
          await holder.storagePoolDestroy(pool).catch(() => undefined);
          await holder.storagePoolUndefine(pool).catch(() => undefined);
        }
      }
    }
    await server?.close();
    await holder?.close();
  }, 60_000);

  it('adds the host and NFS primary storage, deploys a VM through the API, and virsh sees it defined and running on the pool and the OVS bridge', async () => {
    const admin = server.cloud.system;
    // The zone, as the install guide's sequence (examples/server/src/demo-cloud.ts), with a KVM cluster.
    const zone = await admin.zones.create({ name: 'kvm-basic', networkType: 'Basic', dns1: '8.8.8.8', internalDns1: '192.168.30.2', securityGroupEnabled: true });
    const physnet = await admin.physicalNetworks.create({ zoneId: zone.id, name: 'kvm-physnet' });
    const [sgProvider] = await admin.physicalNetworks.listServiceProviders({ physicalNetworkId: physnet.id, name: 'SecurityGroupProvider' });
    if (sgProvider !== undefined) await admin.physicalNetworks.updateServiceProvider({ id: sgProvider.id, state: 'Enabled' });
    for (const trafficType of ['Guest', 'Management', 'Storage'] as const) {
      await admin.physicalNetworks.addTrafficType({ physicalNetworkId: physnet.id, trafficType, kvmNetworkLabel: 'cloudbr0' });
    }
    const pod = await admin.pods.create({ zoneId: zone.id, name: 'kvm-pod', gateway: '192.168.30.1', netmask: '255.255.255.0', startIp: '192.168.30.20', endIp: '192.168.30.49' });
    await admin.ipRanges.createVlanIpRange({ zoneId: zone.id, podId: pod.id, forVirtualNetwork: false, gateway: '192.168.30.1', netmask: '255.255.255.0', startIp: '192.168.30.100', endIp: '192.168.30.149' });
    const cluster = await admin.clusters.add({ zoneId: zone.id, podId: pod.id, clusterName: 'kvm-cluster', hypervisor: 'KVM' });

    // addHost: the libvirt test host, hypervisor KVM, reported Up with its libvirt facts.
    const added = await api('addHost', { zoneid: zone.id, podid: pod.id, clusterid: cluster.id, hypervisor: 'KVM', url: TEST_DEFAULT_URI, username: 'root', password: 'unused' });
    const hosts = added.host as Row[];
    expect(hosts).toHaveLength(1);
    expect(hosts[0]).toMatchObject({ hypervisor: 'KVM', state: 'Up', clusterid: cluster.id });
    const node = await holder.nodeGetInfo();
    expect(hosts[0]).toMatchObject({ cpunumber: node.cpus, cpuspeed: node.mhz });

    // createStoragePool: NFS primary storage, defined and started on the host as a netfs pool.
    const pool = (await api('createStoragePool', { zoneid: zone.id, podid: pod.id, clusterid: cluster.id, name: 'kvm-primary', url: 'nfs://192.168.30.5/export/primary' })).storagepool as Row;
    const poolId = String(pool.id);
    created.poolId = poolId;
    expect(pool).toMatchObject({ state: 'Up', type: 'NetworkFilesystem' });
    expect(await virsh('pool-list', '--all')).toMatch(new RegExp(`${poolId}\\s+active`));
    const poolXml = await virsh('pool-dumpxml', poolId);
    expect(poolXml).toMatch(/<pool type='netfs'>/);
    expect(poolXml).toContain("<host name='192.168.30.5'/>");
    expect(poolXml).toContain("<dir path='/export/primary'/>");

    await api('addSecondaryStorage', { zoneid: zone.id, url: 'nfs://192.168.30.5/export/secondary' });
    await api('updateZone', { id: zone.id, allocationstate: 'Enabled' });

    // registerTemplate: a KVM qcow2 template, downloaded onto the (simulated) secondary storage.
    const image = 'cloudstack-sdk e2e KVM template';
    const url = 'http://images.e2e.test/tiny.qcow2';
    server.simulator.lab.publishImage(url, { content: image, virtualSizeBytes: 512 * 1024 ** 2 });
    const osType = ((await api('listOsTypes')).ostype as Row[])[0];
    const registered = ((await api('registerTemplate', {
      name: 'tiny-kvm',
      displaytext: 'tiny KVM template',
      url,
      format: 'QCOW2',
      hypervisor: 'KVM',
      ostypeid: String(osType?.id),
      zoneid: zone.id,
      ispublic: 'true',
      checksum: createHash('md5').update(image).digest('hex'),
    })).template as Row[])[0];
    const templateId = String(registered?.id);
    const started = Date.now();
    for (;;) {
      const listed = ((await api('listTemplates', { templatefilter: 'all', id: templateId })).template as Row[] | undefined)?.[0];
      if (listed?.isready === true) break;
      if (Date.now() - started > 30_000) throw new Error(`template not ready: ${JSON.stringify(listed)}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    // The stand-in for the copy from secondary storage (see the file comment).
    const poolRef = await holder.storagePoolLookupByName(poolId);
    const cacheName = templateVolumeName(`template/tmpl/x/${templateId}`);
    await holder.storageVolCreateXml(poolRef, `<volume><name>${cacheName}</name><capacity unit='bytes'>${512 * 1024 ** 2}</capacity><target><format type='qcow2'/></target></volume>`);

    // deployVirtualMachine through the API, as an async job.
    const offering = ((await api('listServiceOfferings')).serviceoffering as Row[])[0];
    const deploy = await api('deployVirtualMachine', { zoneid: zone.id, templateid: templateId, serviceofferingid: String(offering?.id) });
    const vm = (await jobResult(String(deploy.jobid))).virtualmachine as Row;
    expect(vm).toMatchObject({ state: 'Running', hypervisor: 'KVM', hostid: hosts[0]?.id, templateid: templateId });
    const vmName = String(vm.instancename);
    created.vmName = vmName;

    // virsh, its own process on its own connection: the domain is defined and running.
    expect(listedState(await virsh('list', '--all'), vmName)).toBe('running');
    expect((await virsh('dominfo', vmName)).match(/^Persistent:\s+(\S+)/m)?.[1]).toBe('yes');
    const xml = await virsh('dumpxml', vmName);
    // The ROOT disk is the libvirt volume named after the VM's ROOT volume in the cloud.
    const root = ((await api('listVolumes', { virtualmachineid: String(vm.id), type: 'ROOT' })).volume as Row[] | undefined)?.[0];
    const rootId = String(root?.id);
    expect(xml).toMatch(new RegExp(`<source pool='${poolId}' volume='${rootId}'/>`));
    expect(xml).toMatch(/<source bridge='cloudbr0'\/>/);
    expect(xml).toMatch(/<virtualport type='openvswitch'/);
    const nic = (vm.nic as Row[])[0];
    expect(xml).toContain(`<mac address='${String(nic?.macaddress).toLowerCase()}'/>`);
    const volumes = await virsh('vol-list', poolId);
    expect(volumes).toContain(rootId);
    expect(volumes).toContain(cacheName);

    // stopVirtualMachine through the API: shut off on the host, still defined.
    const stop = await api('stopVirtualMachine', { id: String(vm.id) });
    expect(((await jobResult(String(stop.jobid))).virtualmachine as Row).state).toBe('Stopped');
    expect(listedState(await virsh('list', '--all'), vmName)).toBe('shut off');
  }, 120_000);
});
