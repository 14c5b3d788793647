// The KVM primary-storage driver and the ROOT-from-template path on real QEMU
// (qemu+tcp://127.0.0.1/system): SharedMountPoint pools as dir pools under throwaway directories,
// qcow2 volumes checked with qemu-img, grown and shrunk, snapshotted and restored larger, copied
// to another pool; then a 64 MiB TCG VM whose ROOT disk is a linked clone of a template copied
// from a "secondary storage" pool, with a data disk grown while the VM runs (through
// virDomainBlockResize: qemu-img cannot touch an image QEMU holds) and snapshotted while it runs
// (a QEMU backup job). Everything is removed after.
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync, statfsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PrimaryPoolSpec, VmSpec } from '@cloudstack-sdk/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DomainState, KvmHypervisorDriver, templateVolumeName, type KvmPrimaryStorage, type LibvirtProcedures, type StoragePoolRef } from '../src/index.js';
import { libvirtdReachable, QEMU_URI, uniqueName } from './support/libvirtd.js';

const reachable = await libvirtdReachable();
const MiB = 1024 ** 2;

/** `qemu-img info` of an image; `-U` reads images a running QEMU holds. */
function imageInfo(path: string): { format: string; 'virtual-size': number; 'backing-filename'?: string } {
  return JSON.parse(execFileSync('qemu-img', ['info', '-U', '--output=json', path], { encoding: 'utf8', timeout: 10_000 })) as { format: string; 'virtual-size': number; 'backing-filename'?: string };
}

describe.skipIf(!reachable)('KVM primary storage on real QEMU (dir pools in throwaway directories)', () => {
  const host = { url: QEMU_URI };
  const templatePath = `template/tmpl/2/${randomUUID()}`;
  const secondaryName = uniqueName('cssdk-secondary');
  const driver = new KvmHypervisorDriver({
    client: { callTimeoutMs: 60_000 },
    vm: { templateSource: (path) => (path === templatePath ? { pool: secondaryName, volume: 'tiny.qcow2' } : undefined) },
  });
  const vmName = uniqueName('i-2-store');
  let storage: KvmPrimaryStorage;
  let lv: LibvirtProcedures;
  let dirs: { primary: string; other: string; secondary: string };
  let primary: PrimaryPoolSpec;
  let other: PrimaryPoolSpec;
  let secondary: StoragePoolRef | undefined;

  beforeAll(async () => {
    await driver.connectHost({ url: QEMU_URI, username: 'root', password: '', hypervisorType: 'KVM', clusterName: 'c1' });
    lv = await driver.libvirtFor(host);
    storage = driver.primaryStorage();
    dirs = { primary: mkdtempSync(join(tmpdir(), 'cssdk-smp-')), other: mkdtempSync(join(tmpdir(), 'cssdk-smp2-')), secondary: mkdtempSync(join(tmpdir(), 'cssdk-sec-')) };
    primary = { poolId: randomUUID(), protocol: 'SharedMountPoint', hypervisorType: 'KVM', path: dirs.primary, hostUrls: [QEMU_URI] };
    other = { poolId: randomUUID(), protocol: 'SharedMountPoint', hypervisorType: 'KVM', path: dirs.other, hostUrls: [QEMU_URI] };
  });

  afterAll(async () => {
    await driver.destroyVm({ host, vmName }).catch(() => undefined);
    for (const pool of [primary, other]) {
      if (pool === undefined) continue;
      const ref = await lv.storagePoolLookupByName(pool.poolId).catch(() => undefined);
      if (ref !== undefined) for (const vol of await lv.storagePoolListAllVolumes(ref).catch(() => [])) await lv.storageVolDelete(vol).catch(() => undefined);
      await storage.deletePool(pool).catch(() => undefined);
    }
    if (secondary !== undefined) {
      for (const vol of await lv.storagePoolListAllVolumes(secondary).catch(() => [])) await lv.storageVolDelete(vol).catch(() => undefined);
      await lv.storagePoolDestroy(secondary).catch(() => undefined);
      await lv.storagePoolUndefine(secondary).catch(() => undefined);
    }
    await driver.close();
    for (const dir of Object.values(dirs ?? {})) rmSync(dir, { recursive: true, force: true });
  });

  it('attaches SharedMountPoint as a running dir pool reporting the file system it is on', async () => {
    const capacity = await storage.createPool(primary);
    const fs = statfsSync(dirs.primary);
    expect(capacity.capacityBytes).toBe(fs.blocks * fs.bsize);
    expect(capacity.usedBytes).toBeGreaterThan(0);
    expect(await storage.createPool(other)).toMatchObject({ capacityBytes: fs.blocks * fs.bsize });
  });

  it('creates a thin qcow2 volume file, grows and shrinks it', async () => {
    const volume = { pool: primary, volumeId: 'data-1', sizeBytes: 32 * MiB };
    expect(await storage.createVolume(volume)).toEqual({ path: `${primary.poolId}/data-1`, sizeBytes: 32 * MiB });
    expect(imageInfo(join(dirs.primary, 'data-1'))).toMatchObject({ format: 'qcow2', 'virtual-size': 32 * MiB });
    expect(await storage.resizeVolume({ ...volume, newSizeBytes: 48 * MiB })).toEqual({ path: `${primary.poolId}/data-1`, sizeBytes: 48 * MiB });
    expect(imageInfo(join(dirs.primary, 'data-1'))['virtual-size']).toBe(48 * MiB);
    expect(await storage.resizeVolume({ ...volume, sizeBytes: 48 * MiB, newSizeBytes: 16 * MiB })).toMatchObject({ sizeBytes: 16 * MiB });
    expect(imageInfo(join(dirs.primary, 'data-1'))['virtual-size']).toBe(16 * MiB);
  });

  it('snapshots a volume as a copy on its pool and restores it larger; deleting the snapshot removes the file', async () => {
    const volume = { pool: primary, volumeId: 'data-1', sizeBytes: 16 * MiB };
    const snapshot = await storage.snapshotVolume({ volume, snapshotId: 's1' });
    expect(snapshot.path).toBe(`${primary.poolId}/snapshot-s1`);
    expect(snapshot.physicalSizeBytes).toBeGreaterThan(0);
    expect(imageInfo(join(dirs.primary, 'snapshot-s1'))).toMatchObject({ format: 'qcow2', 'virtual-size': 16 * MiB });
    // libvirt copies at the source's size; the driver grows the copy to the size asked for.
    expect(await storage.createVolume({ pool: primary, volumeId: 'data-2', sizeBytes: 40 * MiB, fromSnapshotPath: snapshot.path })).toEqual({ path: `${primary.poolId}/data-2`, sizeBytes: 40 * MiB });
    expect(imageInfo(join(dirs.primary, 'data-2'))['virtual-size']).toBe(40 * MiB);
    await storage.deleteSnapshot({ pool: primary, snapshotId: 's1', path: snapshot.path });
    expect(existsSync(join(dirs.primary, 'snapshot-s1'))).toBe(false);
  });

  it('copies a volume to another pool of the cluster, keeping its id and size', async () => {
    expect(await storage.copyVolume({ source: { pool: primary, volumeId: 'data-2', sizeBytes: 40 * MiB }, target: other })).toEqual({ path: `${other.poolId}/data-2`, sizeBytes: 40 * MiB });
    expect(imageInfo(join(dirs.other, 'data-2'))).toMatchObject({ format: 'qcow2', 'virtual-size': 40 * MiB });
    await storage.deleteVolume({ pool: primary, volumeId: 'data-2', sizeBytes: 40 * MiB });
    expect(existsSync(join(dirs.primary, 'data-2'))).toBe(false);
  });

  it('starts a VM whose ROOT disk is a linked clone of the template, cached on the pool from the template source', async () => {
    secondary = await lv.storagePoolDefineXml(`<pool type='dir'><name>${secondaryName}</name><target><path>${dirs.secondary}</path></target></pool>`);
    await lv.storagePoolCreate(secondary);
    await lv.storageVolCreateXml(secondary, `<volume><name>tiny.qcow2</name><capacity unit='bytes'>${8 * MiB}</capacity><target><format type='qcow2'/></target></volume>`);
    const spec: VmSpec = {
      name: vmName,
      id: 'storage-tier-vm',
      cpuNumber: 1,
      cpuSpeedMhz: 500,
      memoryBytes: 64 * MiB,
      limitCpuUse: false,
      disks: [
        { volumeId: `${vmName}-root`, type: 'ROOT', deviceId: 0, sizeBytes: 24 * MiB, poolId: primary.poolId, poolUrl: `sharedmountpoint://localhost${dirs.primary}`, templatePath },
        { volumeId: 'data-1', type: 'DATADISK', deviceId: 1, sizeBytes: 16 * MiB, poolId: primary.poolId, poolUrl: `sharedmountpoint://localhost${dirs.primary}` },
      ],
      nics: [],
    };
    expect(await driver.startVm({ host, spec })).toEqual({ name: vmName, powerState: 'Running' });
    const cached = join(dirs.primary, templateVolumeName(templatePath));
    expect(imageInfo(cached)).toMatchObject({ format: 'qcow2', 'virtual-size': 8 * MiB });
    expect(imageInfo(join(dirs.primary, `${vmName}-root`))).toMatchObject({ format: 'qcow2', 'virtual-size': 24 * MiB, 'backing-filename': cached });
    // A second VM start is idempotent and a restart reuses the ROOT volume.
    expect(await driver.startVm({ host, spec })).toEqual({ name: vmName, powerState: 'Running' });
  });

  it('grows a data disk and the ROOT disk of the running VM through QEMU', async () => {
    const dom = await lv.domainLookupByName(vmName);
    expect((await lv.domainGetState(dom)).state).toBe(DomainState.RUNNING);
    // libvirt's own volume resize uses qemu-img, which the image lock of the running QEMU refuses.
    const direct = await lv.storageVolResize(await lv.storageVolLookupByName(await lv.storagePoolLookupByName(primary.poolId), 'data-1'), 20 * MiB).catch((e: unknown) => e);
    expect(direct).toMatchObject({ name: 'LibvirtError', message: expect.stringMatching(/Failed to get "write" lock/) });
    expect(await storage.resizeVolume({ pool: primary, volumeId: 'data-1', sizeBytes: 16 * MiB, newSizeBytes: 64 * MiB })).toEqual({ path: `${primary.poolId}/data-1`, sizeBytes: 64 * MiB });
    expect(imageInfo(join(dirs.primary, 'data-1'))['virtual-size']).toBe(64 * MiB);
    await driver.resizeVolume({
      host,
      vmName,
      disk: { volumeId: `${vmName}-root`, type: 'ROOT', deviceId: 0, sizeBytes: 24 * MiB, poolId: primary.poolId, poolUrl: `sharedmountpoint://localhost${dirs.primary}` },
      newSizeBytes: 32 * MiB,
    });
    expect(imageInfo(join(dirs.primary, `${vmName}-root`))['virtual-size']).toBe(32 * MiB);
    expect((await lv.domainGetState(dom)).state).toBe(DomainState.RUNNING);
  });

  it('snapshots a volume the running VM has open through QEMU (a backup job), the VM running on, and restores it', async () => {
    const dom = await lv.domainLookupByName(vmName);
    const volume = { pool: primary, volumeId: 'data-1', sizeBytes: 64 * MiB };
    const before = readdirSync(dirs.primary);
    const snapshot = await storage.snapshotVolume({ volume, snapshotId: 'live' });
    // Only data-1 was copied: the ROOT disk, also in the backup's domain, was left out.
    expect(readdirSync(dirs.primary).filter((f) => !before.includes(f))).toEqual(['snapshot-live']);
    expect(snapshot.path).toBe(`${primary.poolId}/snapshot-live`);
    const copy = join(dirs.primary, 'snapshot-live');
    expect(imageInfo(copy)).toMatchObject({ format: 'qcow2', 'virtual-size': 64 * MiB });
    expect(snapshot.physicalSizeBytes).toBe((await lv.storageVolGetInfo(await lv.storageVolLookupByName(await lv.storagePoolLookupByName(primary.poolId), 'snapshot-live'))).allocation);
    // The guest (no OS) writes nothing: the point-in-time copy equals the disk.
    expect(() => execFileSync('qemu-img', ['compare', '-U', join(dirs.primary, 'data-1'), copy], { timeout: 20_000 })).not.toThrow();
    expect((await lv.domainGetState(dom)).state).toBe(DomainState.RUNNING);
    // The same snapshot again reports the copy made.
    expect(await storage.snapshotVolume({ volume, snapshotId: 'live' })).toEqual(snapshot);
    expect(await storage.createVolume({ pool: primary, volumeId: 'data-3', sizeBytes: 64 * MiB, fromSnapshotPath: snapshot.path })).toEqual({ path: `${primary.poolId}/data-3`, sizeBytes: 64 * MiB });
    await storage.deleteSnapshot({ pool: primary, snapshotId: 'live', path: snapshot.path });
    expect(existsSync(copy)).toBe(false);
  });

  it('detaches the pools, keeping the files on the storage', async () => {
    await driver.destroyVm({ host, vmName });
    for (const pool of [primary, other]) {
      await storage.deletePool(pool);
      await storage.deletePool(pool);
      expect((await lv.connectListAllStoragePools()).map((p) => p.name)).not.toContain(pool.poolId);
    }
    expect(existsSync(join(dirs.primary, 'data-1'))).toBe(true);
    expect(existsSync(join(dirs.other, 'data-2'))).toBe(true);
  });
});
