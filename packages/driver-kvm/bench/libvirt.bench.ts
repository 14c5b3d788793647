// libvirt remote-protocol calls per second against the local libvirtd (127.0.0.1:16509, test
// driver): over TCP and over SSH (an in-process ssh2 host running the real virt-ssh-helper),
// one call at a time (latency-bound) and 16 in flight (pipelined on one connection). Each
// figure is bounded by a call count and a time budget. Also VM start/destroy cycles per second
// through KvmHypervisorDriver (define + create, then destroy + undefine) on the test driver.
// Prints `BENCH <name> <value> <unit>`.
// Needs libvirtd: packages/driver-kvm/scripts/start-libvirtd.sh
import type { VmSpec } from '@cloudstack-sdk/core';
import { connectLibvirt, KvmHypervisorDriver, type LibvirtProcedures } from '../src/index.js';
import { EMPTY_NODE_XML, LIBVIRTD_HOST, libvirtdReachable, TEST_DEFAULT_URI } from '../test/support/libvirtd.js';
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

/** VM start/destroy cycles per second through the driver on an empty test-driver host. */
async function vmCycles(): Promise<number> {
  const url = `test+tcp://${LIBVIRTD_HOST}${EMPTY_NODE_XML}`;
  const driver = new KvmHypervisorDriver();
  await driver.connectHost({ url, username: 'root', password: '', hypervisorType: 'KVM', clusterName: 'bench' });
  const spec = (name: string): VmSpec => ({
    name,
    id: name,
    cpuNumber: 1,
    cpuSpeedMhz: 500,
    memoryBytes: 128 * 1024 ** 2,
    limitCpuUse: false,
    disks: [{ volumeId: `${name}-root`, type: 'ROOT', deviceId: 0, sizeBytes: 1024 ** 3, poolId: 'primary', poolUrl: 'nfs://10.0.0.5/export/primary' }],
    nics: [{ deviceId: 0, macAddress: '02:00:00:00:00:01', ipAddress: '10.1.1.2', netmask: '255.255.255.0', gateway: '10.1.1.1', vlan: '100', trafficType: 'Guest', trafficLabel: 'cloudbr0', isDefault: true }],
  });
  try {
    const host = { url };
    const started = performance.now();
    let cycles = 0;
    while (cycles < 2_000 && performance.now() - started < BUDGET_MS) {
      const name = `bench-${cycles}`;
      await driver.startVm({ host, spec: spec(name) });
      await driver.destroyVm({ host, vmName: name });
      cycles += 1;
    }
    return cycles / ((performance.now() - started) / 1000);
  } finally {
    await driver.close();
  }
}

console.log(`BENCH kvm.vm_start_destroy_cycles ${(await vmCycles()).toFixed(0)} cycles/s`);
