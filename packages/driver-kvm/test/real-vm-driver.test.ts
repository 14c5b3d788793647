// The KVM driver's VM calls on real QEMU (qemu+tcp://127.0.0.1/system, TCG): a 64 MiB diskless
// VM from a VmSpec, with a NIC on a throwaway Linux bridge when this machine lets the test create
// one, booted to Running; a clean stop that the OS-less guest cannot honour fails within its
// bound; a forced stop; SCSI disk hot-plug and unplug through attachVolume/detachVolume on a
// dir pool; destroy. Everything created is removed at the end.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { VmDiskSpec, VmSpec } from '@cloudstack-sdk/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DomainState, KvmHypervisorDriver, type LibvirtProcedures, type StoragePoolRef } from '../src/index.js';
import { libvirtdReachable, QEMU_URI, uniqueName } from './support/libvirtd.js';

const reachable = await libvirtdReachable();

async function waitFor(predicate: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const started = Date.now();
  while (!(await predicate())) {
    if (Date.now() - started > timeoutMs) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Creates a Linux bridge with no address or uplink; false when this machine does not allow it. */
function createBridge(name: string): boolean {
  try {
    execFileSync('ip', ['link', 'add', name, 'type', 'bridge'], { stdio: 'ignore', timeout: 5_000 });
    execFileSync('ip', ['link', 'set', name, 'up'], { stdio: 'ignore', timeout: 5_000 });
    return true;
  } catch {
    return false;
  }
}

describe.skipIf(!reachable)('KVM driver VM calls on real QEMU (TCG)', () => {
  const host = { url: QEMU_URI };
  const vmName = uniqueName('i-2-qemu');
  const bridge = `cssdk${process.pid % 100_000}`;
  const poolName = uniqueName('cssdk-prim');
  const driver = new KvmHypervisorDriver({ client: { callTimeoutMs: 60_000 }, vm: { cleanStopTimeoutMs: 1_500, pollIntervalMs: 100, diskBus: 'scsi' } });
  let lv: LibvirtProcedures;
  let dir: string;
  let pool: StoragePoolRef | undefined;
  let withBridge = false;

  const spec = (): VmSpec => ({
    name: vmName,
    id: 'qemu-tier-vm',
    cpuNumber: 1,
    cpuSpeedMhz: 500,
    memoryBytes: 64 * 1024 ** 2,
    limitCpuUse: true,
    disks: [],
    nics: withBridge
      ? [{ deviceId: 0, macAddress: '02:00:7f:00:00:01', ipAddress: '10.9.9.9', netmask: '255.255.255.0', gateway: '10.9.9.1', vlan: 'untagged', trafficType: 'Guest', trafficLabel: bridge, isDefault: true }]
      : [],
  });
  const dataDisk = (): VmDiskSpec => ({ volumeId: 'data.qcow2', type: 'DATADISK', deviceId: 1, sizeBytes: 16 * 1024 ** 2, poolId: poolName, poolUrl: `file://${dir}` });

  beforeAll(async () => {
    // The first QEMU call of a fresh libvirtd probes QEMU's capabilities (8-12 s).
    const answer = await driver.connectHost({ url: QEMU_URI, username: 'root', password: '', hypervisorType: 'KVM', clusterName: 'c1' });
    expect(answer.hypervisorVersion).toMatch(/^\d+\.\d+\.\d+$/);
    lv = await driver.libvirtFor(host);
    dir = mkdtempSync(join(tmpdir(), 'cssdk-prim-'));
    withBridge = createBridge(bridge);
  });

  afterAll(async () => {
    await driver.destroyVm({ host, vmName }).catch(() => undefined);
    if (pool !== undefined) {
      for (const vol of await lv.storagePoolListAllVolumes(pool).catch(() => [])) await lv.storageVolDelete(vol).catch(() => undefined);
      await lv.storagePoolDestroy(pool).catch(() => undefined);
      await lv.storagePoolUndefine(pool).catch(() => undefined);
    }
    if (withBridge) execFileSync('ip', ['link', 'del', bridge], { stdio: 'ignore', timeout: 5_000 });
    await driver.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('starts a 64 MiB VM from its spec to Running as a qemu (TCG) domain, idempotently', async () => {
    expect(await driver.startVm({ host, spec: spec() })).toEqual({ name: vmName, powerState: 'Running' });
    expect(await driver.startVm({ host, spec: spec() })).toEqual({ name: vmName, powerState: 'Running' });
    const dom = await lv.domainLookupByName(vmName);
    const xml = await lv.domainGetXmlDesc(dom);
    const kvmUsable = (await lv.connectGetCapabilities()).includes("<domain type='kvm'");
    expect(xml).toMatch(new RegExp(`^<domain type='${kvmUsable ? 'kvm' : 'qemu'}' id='\\d+'`));
    expect(await lv.domainGetInfo(dom)).toMatchObject({ state: DomainState.RUNNING, memoryKiB: 65_536, vcpus: 1 });
    // limitCpuUse with a 500 MHz vCPU: a quota relative to the host's MHz.
    expect(xml).toMatch(/<quota>\d+<\/quota>/);
    if (withBridge) {
      expect(xml).toContain(`<source bridge='${bridge}'/>`);
      expect(xml).toMatch(/<target dev='vnet\d+'\/>/);
    }
    expect(await driver.listVmStates(host)).toContainEqual({ name: vmName, powerState: 'Running' });
  });

  it('hot-plugs a volume of a dir pool as a SCSI disk and unplugs it, both idempotently', async () => {
    pool = await lv.storagePoolDefineXml(`<pool type='dir'><name>${poolName}</name><target><path>${dir}</path></target></pool>`);
    await lv.storagePoolBuild(pool);
    await lv.storagePoolCreate(pool);
    await lv.storageVolCreateXml(pool, `<volume><name>data.qcow2</name><capacity unit='M'>16</capacity><target><format type='qcow2'/></target></volume>`);
    const dom = await lv.domainLookupByName(vmName);
    await driver.attachVolume({ host, vmName, disk: dataDisk() });
    await driver.attachVolume({ host, vmName, disk: dataDisk() });
    const xml = await lv.domainGetXmlDesc(dom);
    expect(xml).toContain("<target dev='sdb' bus='scsi'/>");
    expect(xml).toContain(`<source pool='${poolName}' volume='data.qcow2'`);
    await driver.detachVolume({ host, vmName, disk: dataDisk() });
    await waitFor(async () => !(await lv.domainGetXmlDesc(dom)).includes("dev='sdb'"));
    await expect(driver.detachVolume({ host, vmName, disk: dataDisk() })).resolves.toBeUndefined();
  });

  it('fails a clean stop the OS-less guest cannot honour within its bound (534, timeout), leaving it running', async () => {
    const started = Date.now();
    const error = await driver.stopVm({ host, vmName, mode: 'clean' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'CloudError', code: 534, details: { libvirtError: 'VIR_ERR_OPERATION_TIMEOUT', origin: 'client' } });
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(await driver.listVmStates(host)).toContainEqual({ name: vmName, powerState: 'Running' });
  });

  it('stops it forced, idempotently, and it stays defined as Stopped', async () => {
    await driver.stopVm({ host, vmName, mode: 'forced' });
    await driver.stopVm({ host, vmName, mode: 'forced' });
    expect(await driver.listVmStates(host)).toContainEqual({ name: vmName, powerState: 'Stopped' });
    const error = await driver.rebootVm({ host, vmName }).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'CloudError', code: 534, details: { libvirtError: 'VIR_ERR_OPERATION_INVALID' } });
  });

  it('destroys it idempotently: the domain is gone from the host', async () => {
    await driver.startVm({ host, spec: spec() });
    await driver.destroyVm({ host, vmName });
    await driver.destroyVm({ host, vmName });
    expect((await lv.connectListAllDomains()).map((d) => d.name)).not.toContain(vmName);
  });
});
