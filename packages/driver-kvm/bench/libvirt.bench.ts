// libvirt remote-protocol calls per second against the local libvirtd (127.0.0.1:16509, test
// driver): over TCP and over SSH (an in-process ssh2 host running the real virt-ssh-helper),
// one call at a time (latency-bound) and 16 in flight (pipelined on one connection). Each
// figure is bounded by a call count and a time budget. Also, through the driver on a test-driver
// host whose NFS primary pool has a template cached: VM cycles per second (ROOT volume cloned
// from the template, define + create, destroy + undefine, ROOT volume deleted) and volume
// create/delete cycles per second through the KVM primary-storage driver.
// Prints `BENCH <name> <value> <unit>`.
// Needs libvirtd: packages/driver-kvm/scripts/start-libvirtd.sh
import type { VmSpec } from '@cloudstack-sdk/core';
import { connectLibvirt, KvmHypervisorDriver, type LibvirtProcedures } from '../src/index.js';
import { LIBVIRTD_HOST, libvirtdReachable, PRIMARY_NODE_XML, TEST_DEFAULT_URI } from '../test/support/libvirtd.js';
import { startFakeSshHost } from '../test/support/ssh-host.js';

const MAX_CALLS = 5_000;
const BUDGET_MS = 3_000;
const IN_FLIGHT = 16;

async function sequential(lv: LibvirtProcedures, dom: Parameters<LibvirtProcedures['domainGetState']>[0]): Promise<number> {
  const started = performance.now();
  let calls = 0;
  while (calls < MAX_CALLS && performance.now() - started < BUDGET_MS) {
    await lv.domainGetState(dom);
    calls += 1;
  }
  return calls / ((performance.now() - started) / 1000);
}

async function pipelined(lv: LibvirtProcedures, dom: Parameters<LibvirtProcedures['domainGetState']>[0]): Promise<number> {
  const started = performance.now();
  let calls = 0;
  const worker = async (): Promise<void> => {
    while (calls < MAX_CALLS && performance.now() - started < BUDGET_MS) {
      calls += 1;
      await lv.domainGetState(dom);
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
  return calls / ((performance.now() - started) / 1000);
}

async function measure(label: string, lv: LibvirtProcedures): Promise<void> {
  const dom = await lv.domainLookupByName('test');
  for (let i = 0; i < 200; i += 1) await lv.domainGetState(dom); // warm-up
  console.log(`BENCH libvirt.${label}.calls_sequential ${(await sequential(lv, dom)).toFixed(0)} calls/s`);
  console.log(`BENCH libvirt.${label}.calls_${IN_FLIGHT}_in_flight ${(await pipelined(lv, dom)).toFixed(0)} calls/s`);
}

if (!(await libvirtdReachable())) {
  console.error('libvirtd does not answer on 127.0.0.1:16509; run packages/driver-kvm/scripts/start-libvirtd.sh');
  process.exit(1);
}

const tcp = await connectLibvirt(TEST_DEFAULT_URI);
try {
  await measure('tcp', tcp);
} finally {
  await tcp.close();
}

const host = await startFakeSshHost();
try {
  const connectStarted = performance.now();
  const ssh = await connectLibvirt(`test+ssh://root@127.0.0.1:${host.port}/default`, {
    password: host.password,
    hostKeyFingerprint: host.hostKeyFingerprint,
  });
  console.log(`BENCH libvirt.ssh.connect_ms ${(performance.now() - connectStarted).toFixed(1)} ms`);
  try {
    await measure('ssh', ssh);
  } finally {
    await ssh.close();
  }
} finally {
  await host.close();
}

/** The fixture host's NFS primary pool, as core names it to the storage driver. */
const PRIMARY = { poolId: 'primary', protocol: 'NFS', hypervisorType: 'KVM', server: '10.0.0.5', path: '/export/primary' } as const;
/** The template the fixture host has cached on that pool. */
const TEMPLATE_PATH = 'template/tmpl/2/6f1c3e2a-1d2b-4c5d-8e9f-0a1b2c3d4e5f';

/** Cycles per second of `cycle` on a fresh driver connected to the fixture host, within the budget. */
async function cyclesPerSecond(cycle: (driver: KvmHypervisorDriver, url: string, n: number) => Promise<void>): Promise<number> {
  const url = `test+tcp://${LIBVIRTD_HOST}${PRIMARY_NODE_XML}`;
  const driver = new KvmHypervisorDriver();
  await driver.connectHost({ url, username: 'root', password: '', hypervisorType: 'KVM', clusterName: 'bench' });
  try {
    const started = performance.now();
    let cycles = 0;
    while (cycles < 2_000 && performance.now() - started < BUDGET_MS) {
      await cycle(driver, url, cycles);
      cycles += 1;
    }
    return cycles / ((performance.now() - started) / 1000);
  } finally {
    await driver.close();
  }
}

/** A VM deployed and expunged: ROOT cloned from the cached template, started, destroyed, ROOT deleted. */
async function vmCycle(driver: KvmHypervisorDriver, url: string, n: number): Promise<void> {
  const name = `bench-${n}`;
  const spec: VmSpec = {
    name,
    id: name,
    cpuNumber: 1,
    cpuSpeedMhz: 500,
    memoryBytes: 128 * 1024 ** 2,
    limitCpuUse: false,
    disks: [{ volumeId: `${name}-root`, type: 'ROOT', deviceId: 0, sizeBytes: 1024 ** 3, poolId: 'primary', poolUrl: 'nfs://10.0.0.5/export/primary', templatePath: TEMPLATE_PATH }],
    nics: [{ deviceId: 0, macAddress: '02:00:00:00:00:01', ipAddress: '10.1.1.2', netmask: '255.255.255.0', gateway: '10.1.1.1', vlan: '100', trafficType: 'Guest', trafficLabel: 'cloudbr0', isDefault: true }],
  };
  const host = { url };
  await driver.startVm({ host, spec });
  await driver.destroyVm({ host, vmName: name });
  await driver.primaryStorage().deleteVolume({ pool: { ...PRIMARY, hostUrls: [url] }, volumeId: `${name}-root`, sizeBytes: 1024 ** 3 });
}

/** A data volume created and deleted through the primary-storage driver. */
async function volumeCycle(driver: KvmHypervisorDriver, url: string, n: number): Promise<void> {
  const volume = { pool: { ...PRIMARY, hostUrls: [url] }, volumeId: `bench-vol-${n}`, sizeBytes: 1024 ** 3 };
  const storage = driver.primaryStorage();
  await storage.createVolume(volume);
  await storage.deleteVolume(volume);
}

console.log(`BENCH kvm.vm_deploy_expunge_cycles ${(await cyclesPerSecond(vmCycle)).toFixed(0)} cycles/s`);
console.log(`BENCH kvm.volume_create_delete_cycles ${(await cyclesPerSecond(volumeCycle)).toFixed(0)} cycles/s`);
