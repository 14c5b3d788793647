// The real-VM tier: real QEMU (TCG, no KVM needed) under libvirtd on qemu+tcp://127.0.0.1/system.
// It boots a tiny domain (64 MiB, no disk, SeaBIOS on a serial file) to running, hot-plugs and
// unplugs a disk, resizes and clones volumes in a dir pool, and tries a peer-to-peer migration:
// what libvirt's test driver cannot do. Everything it creates is destroyed at the end.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  connectLibvirt,
  DeviceModifyFlags,
  DomainState,
  isLibvirtError,
  StoragePoolState,
  type DomainLifecycleEvent,
  type DomainRef,
  type LibvirtProcedures,
  type StoragePoolRef,
  type StorageVolRef,
} from '../src/index.js';
import { libvirtdReachable, QEMU_URI, uniqueName } from './support/libvirtd.js';

const reachable = await libvirtdReachable();

async function waitFor(predicate: () => boolean | Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const started = Date.now();
  while (!(await predicate())) {
    if (Date.now() - started > timeoutMs) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe.skipIf(!reachable)('real QEMU domain (qemu+tcp://127.0.0.1/system, TCG)', () => {
  const name = uniqueName('cssdk-vm');
  const poolName = uniqueName('cssdk-pool');
  let lv: LibvirtProcedures;
  let dir: string;
  let pool: StoragePoolRef | undefined;
  let dom: DomainRef | undefined;
  const volumes: StorageVolRef[] = [];
  const events: DomainLifecycleEvent[] = [];

  beforeAll(async () => {
    // The first QEMU call of a fresh libvirtd probes QEMU's capabilities (8-12 s).
    lv = await connectLibvirt(QEMU_URI, { callTimeoutMs: 60_000 });
    dir = mkdtempSync(join(tmpdir(), 'cssdk-vm-'));
  });

  afterAll(async () => {
    if (dom !== undefined) {
      await lv.domainDestroy(dom).catch(() => undefined);
      await lv.domainUndefine(dom).catch(() => undefined);
    }
    for (const vol of volumes.reverse()) await lv.storageVolDelete(vol).catch(() => undefined);
    if (pool !== undefined) {
      await lv.storagePoolDestroy(pool).catch(() => undefined);
      await lv.storagePoolUndefine(pool).catch(() => undefined);
    }
    await lv?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reports a QEMU host', async () => {
    expect(await lv.connectGetType()).toBe('QEMU');
    expect(await lv.connectGetVersion()).toBeGreaterThan(1_000_000);
    const info = await lv.nodeGetInfo();
    expect(info.cpus).toBeGreaterThan(0);
    expect(info.memoryKiB).toBeGreaterThan(0);
    expect(await lv.connectGetCapabilities()).toContain("<domain type='qemu'");
  });

  it('builds and starts a dir pool, creates, resizes and clones volumes in it', async () => {
    pool = await lv.storagePoolDefineXml(`<pool type='dir'><name>${poolName}</name><target><path>${dir}</path></target></pool>`);
    await lv.storagePoolBuild(pool);
    await lv.storagePoolCreate(pool);
    expect((await lv.storagePoolGetInfo(pool)).state).toBe(StoragePoolState.RUNNING);

    const vol = await lv.storageVolCreateXml(
      pool,
      `<volume><name>data.qcow2</name><capacity unit='M'>16</capacity><target><format type='qcow2'/></target></volume>`,
    );
    volumes.push(vol);
    expect((await lv.storageVolGetInfo(vol)).capacity).toBe(16 * 1024 ** 2);
    await lv.storageVolResize(vol, 32 * 1024 ** 2);
    expect((await lv.storageVolGetInfo(vol)).capacity).toBe(32 * 1024 ** 2);

    const clone = await lv.storageVolCreateXmlFrom(
      pool,
      `<volume><name>clone.qcow2</name><capacity unit='M'>32</capacity><target><format type='qcow2'/></target></volume>`,
      vol,
    );
    volumes.push(clone);
    expect(await lv.storageVolGetPath(clone)).toBe(join(dir, 'clone.qcow2'));
    expect(existsSync(join(dir, 'clone.qcow2'))).toBe(true);

    await lv.storagePoolRefresh(pool);
    expect((await lv.storagePoolListAllVolumes(pool)).map((v) => v.name).sort()).toEqual(['clone.qcow2', 'data.qcow2']);
    expect((await lv.storagePoolGetInfo(pool)).allocation).toBeGreaterThan(0);
  });

  it('boots a 64 MiB diskless domain to running and sees it start as an event', async () => {
    const serial = join(dir, 'serial.log');
    const subscription = await lv.onDomainLifecycle((event) => events.push(event));
    dom = await lv.domainDefineXml(`
      <domain type='qemu'>
        <name>${name}</name>
        <memory unit='MiB'>64</memory>
        <vcpu>1</vcpu>
        <os><type arch='x86_64' machine='pc'>hvm</type><bios useserial='yes'/></os>
        <on_poweroff>destroy</on_poweroff>
        <devices>
          <serial type='file'><source path='${serial}'/><target port='0'/></serial>
          <controller type='scsi' model='virtio-scsi' index='0'/>
          <memballoon model='none'/>
        </devices>
      </domain>`);
    const started = await lv.domainCreate(dom);
    expect(started.id).toBeGreaterThan(0);
    dom = started;
    expect(await lv.domainGetState(dom)).toMatchObject({ state: DomainState.RUNNING });
    const info = await lv.domainGetInfo(dom);
    expect(info).toMatchObject({ state: DomainState.RUNNING, memoryKiB: 65_536, vcpus: 1 });
    const listed = await lv.connectListDomainsWithState();
    expect(listed.find((d) => d.domain.name === name)?.state).toBe(DomainState.RUNNING);
    await waitFor(() => events.some((e) => e.domain.name === name && e.eventName === 'started'));
    // SeaBIOS writes to the serial file once the guest has really booted.
    await waitFor(() => existsSync(serial) && readFileSync(serial, 'utf8').length > 0);
    await subscription.unsubscribe();
  });

  it('hot-plugs a volume as a SCSI disk and unplugs it again', async () => {
    const running = dom as DomainRef;
    const disk = `<disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='${join(dir, 'clone.qcow2')}'/><target dev='sdb' bus='scsi'/></disk>`;
    await lv.domainAttachDevice(running, disk, DeviceModifyFlags.LIVE);
    expect(await lv.domainGetXmlDesc(running)).toContain("dev='sdb'");
    await lv.domainDetachDevice(running, disk, DeviceModifyFlags.LIVE);
    await waitFor(async () => !(await lv.domainGetXmlDesc(running)).includes("dev='sdb'"));
  });

  it('sends a peer-to-peer migration that QEMU refuses because source and destination are one host', async () => {
    const error = await lv.domainMigrate(dom as DomainRef, QEMU_URI).catch((e: unknown) => e);
    expect(isLibvirtError(error)).toBe(true);
    expect((error as Error).message).toMatch(/same host/i);
  });

  it('destroys and undefines the domain', async () => {
    const running = dom as DomainRef;
    await lv.domainDestroy(running);
    expect((await lv.domainGetState(running)).state).toBe(DomainState.SHUTOFF);
    await lv.domainUndefine(running);
    dom = undefined;
    expect((await lv.connectListAllDomains()).map((d) => d.name)).not.toContain(name);
  });
});
