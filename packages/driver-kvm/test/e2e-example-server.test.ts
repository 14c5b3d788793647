// End to end, as far as the example server's wiring allows today: the example management server
// in process with HYPERVISORS=Simulator,KVM; a basic zone whose cluster is KVM; the libvirt TEST
// host (test+tcp://127.0.0.1/default through libvirtd) added with the signed addHost API and
// reported Up with its libvirt facts; and `virsh`, from its own process, sharing the test
// driver's state with the driver's held connection.
//
// Not yet: deployVirtualMachine. Core adds primary storage to a cluster only through a storage
// driver, and the example server's only one is the simulator's, which attaches pools only for
// `http://sim/<name>` hosts ("Host test+tcp://127.0.0.1/default cannot reach nfs://…"); so a KVM
// cluster gets no pool and a deployment has nowhere to put the root disk.
//
// Why virsh sees it: through a daemon, libvirt's test driver keeps ONE shared instance of
// test:///default alive while at least one connection to it stays open (reference/libvirt.md §2).
// The KVM driver holds its host connection open for as long as the host is managed, so another
// client (virsh) opening test+tcp://127.0.0.1/default joins that same instance.
import { execFile } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startManagementServer, type ManagementServer } from '../../../examples/server/src/management-server.js';
import type { ServerLog } from '../../../examples/server/src/log.js';
import { connectLibvirt, DomainState, type LibvirtProcedures } from '../src/index.js';
import { libvirtdReachable, TEST_DEFAULT_URI } from './support/libvirtd.js';

const reachable = await libvirtdReachable();
const run = promisify(execFile);

const quietLog: ServerLog = { info: () => undefined, warn: () => undefined, error: () => undefined };

/** Signs like a CloudStack client: sorted, URL-encoded, lower-cased, HMAC-SHA1. */
function signedQuery(params: Readonly<Record<string, string>>, apiKey: string, secretKey: string): string {
  const all: Record<string, string> = { ...params, apiKey, response: 'json' };
  const encoded = Object.keys(all)
    .sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase()))
    .map((k) => `${k}=${encodeURIComponent(all[k] ?? '').replace(/%20/g, '+')}`)
    .join('&');
  const signature = createHmac('sha1', secretKey).update(encoded.toLowerCase()).digest('base64');
  return `${encoded}&signature=${encodeURIComponent(signature)}`;
}

describe.skipIf(!reachable)('example server with HYPERVISORS=Simulator,KVM deploys a VM on a libvirt test host', () => {
  let server: ManagementServer;
  let keys: { apiKey: string; secretKey: string };
  // Held for the whole test: it keeps the daemon's test:///default instance (and what is done to
  // it) alive from before the host is added until after the last check.
  let holder: LibvirtProcedures;

  const api = async (command: string, params: Readonly<Record<string, string>> = {}): Promise<Record<string, unknown>> => {
    const response = await fetch(`${server.endpoint}?${signedQuery({ command, ...params }, keys.apiKey, keys.secretKey)}`, { signal: AbortSignal.timeout(30_000) });
    const body = (await response.json()) as Record<string, Record<string, unknown>>;
    const payload = Object.values(body)[0] ?? {};
    if (response.status !== 200) throw new Error(`${command} answered ${response.status}: ${JSON.stringify(payload)}`);
    return payload;
  };

  const jobResult = async (jobId: string): Promise<Record<string, unknown>> => {
    const started = Date.now();
    while (Date.now() - started < 30_000) {
      const job = await api('queryAsyncJobResult', { jobid: jobId });
      if (job.jobstatus !== 0) return job;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`job ${jobId} did not finish within 30 s`);
  };

  beforeAll(async () => {
    // test:///default starts with one running domain, `test`; core adds only hosts with no VMs
    // running (as CloudStack does), so power it off first, on the shared instance.
    holder = await connectLibvirt(TEST_DEFAULT_URI);
    const preexisting = await holder.domainLookupByName('test');
    if ((await holder.domainGetState(preexisting)).state !== DomainState.SHUTOFF) await holder.domainDestroy(preexisting);
    server = await startManagementServer(
      {
        port: 0,
        host: '127.0.0.1',
        databaseUrl: undefined,
        integrationPort: undefined,
        secretKey: randomBytes(32).toString('base64'),
        secretKeyGenerated: false,
        hypervisors: ['Simulator', 'KVM'],
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
    await server?.close();
    await holder?.close();
  }, 60_000);

  it('builds a basic zone with a KVM cluster and adds the libvirt test host through the signed API; virsh shares its state', async () => {
    const admin = server.cloud.system;
    // The zone, as the install guide's sequence (examples/server/src/demo-cloud.ts), with a KVM cluster.
    const zone = await admin.zones.create({ name: 'kvm-basic', networkType: 'Basic', dns1: '8.8.8.8', internalDns1: '192.168.30.2', securityGroupEnabled: true });
    const physnet = await admin.physicalNetworks.create({ zoneId: zone.id, name: 'kvm-physnet' });
    for (const trafficType of ['Guest', 'Management', 'Storage'] as const) {
      await admin.physicalNetworks.addTrafficType({ physicalNetworkId: physnet.id, trafficType, kvmNetworkLabel: 'cloudbr0' });
    }
    const pod = await admin.pods.create({ zoneId: zone.id, name: 'kvm-pod', gateway: '192.168.30.1', netmask: '255.255.255.0', startIp: '192.168.30.20', endIp: '192.168.30.49' });
    const cluster = await admin.clusters.add({ zoneId: zone.id, podId: pod.id, clusterName: 'kvm-cluster', hypervisor: 'KVM' });

    // addHost through the API: the libvirt test host, hypervisor KVM.
    const added = await api('addHost', { zoneid: zone.id, podid: pod.id, clusterid: cluster.id, hypervisor: 'KVM', url: TEST_DEFAULT_URI, username: 'root', password: 'unused' });
    const hosts = added.host as Array<Record<string, unknown>>;
    expect(hosts).toHaveLength(1);
    expect(hosts[0]).toMatchObject({ hypervisor: 'KVM', state: 'Up', clusterid: cluster.id });
    const node = await holder.nodeGetInfo();
    expect(hosts[0]).toMatchObject({ cpunumber: node.cpus, cpuspeed: node.mhz });
    const listed = (await api('listHosts', { clusterid: cluster.id })).host as Array<Record<string, unknown>>;
    expect(listed.map((h) => h.name)).toEqual([hosts[0]?.name]);

    // The shared test:///default instance: a domain started on one connection is seen running by
    // virsh, its own process with its own connection, while the driver's connection is held.
    const name = `e2e-${process.pid}`;
    const dom = await holder.domainDefineXml(`<domain type='qemu'><name>${name}</name><memory unit='KiB'>65536</memory><vcpu>1</vcpu><os><type>hvm</type></os></domain>`);
    await holder.domainCreate(dom);
    try {
      const virsh = await run('virsh', ['-c', TEST_DEFAULT_URI, 'list', '--all'], { timeout: 10_000 });
      expect(virsh.stdout.split('\n').find((line) => line.trim().split(/\s+/)[1] === name), virsh.stdout).toMatch(/running$/);
      expect(virsh.stdout.split('\n').find((line) => line.trim().split(/\s+/)[1] === 'test'), virsh.stdout).toMatch(/shut off$/);
    } finally {
      await holder.domainDestroy(dom);
      await holder.domainUndefine(dom);
    }
  }, 120_000);
});
