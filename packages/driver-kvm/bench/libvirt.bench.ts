// libvirt remote-protocol calls per second against the local libvirtd (127.0.0.1:16509, test
// driver): over TCP and over SSH (an in-process ssh2 host running the real virt-ssh-helper),
// one call at a time (latency-bound) and 16 in flight (pipelined on one connection). Each
// figure is bounded by a call count and a time budget. Prints `BENCH <name> <value> <unit>`.
// Needs libvirtd: packages/driver-kvm/scripts/start-libvirtd.sh
import { connectLibvirt, type LibvirtProcedures } from '../src/index.js';
import { libvirtdReachable, TEST_DEFAULT_URI } from '../test/support/libvirtd.js';
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
