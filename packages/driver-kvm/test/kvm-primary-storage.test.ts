// The KVM primary-storage driver against libvirt's test driver through libvirtd (TCP): a cluster of
// two test hosts (each fixture URI is its own host: the test driver keeps a private instance per
// connection to a fixture file), NFS, SharedMountPoint, CLVM and RBD pools defined and started on
// both, volumes created, snapshotted, restored and deleted, and every refusal as a CloudError with
// nothing left behind. What the test driver lacks (volume resize, copying between pools, real
// files) is covered on real QEMU in real-storage.test.ts.
import type { PrimaryPoolSpec, StorageProtocol } from '@cloudstack-sdk/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KvmHypervisorDriver, StoragePoolState, type KvmPrimaryStorage, type LibvirtProcedures } from '../src/index.js';
import { EMPTY_NODE_XML, LIBVIRTD_HOST, libvirtdReachable, PRIMARY_NODE_XML } from './support/libvirtd.js';

const reachable = await libvirtdReachable();
const HOST_A = `test+tcp://${LIBVIRTD_HOST}${EMPTY_NODE_XML}`;
const HOST_B = `test+tcp://${LIBVIRTD_HOST}${PRIMARY_NODE_XML}`;
const NOT_CONNECTED = 'test+tcp://127.0.0.1/never-connected';

/** A deterministic UUID per test pool, as core gives pools. */
function poolId(n: number): string {
  return `7a0c5e3b-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
}

function spec(n: number, protocol: StorageProtocol, fields: Partial<PrimaryPoolSpec>, hostUrls: readonly string[] = [HOST_A, HOST_B]): PrimaryPoolSpec {
  return { poolId: poolId(n), protocol, hypervisorType: 'KVM', hostUrls, ...fields };
}

async function poolNames(lv: LibvirtProcedures): Promise<string[]> {
  return (await lv.connectListAllStoragePools()).map((p) => p.name).sort();
}

async function volumeNames(lv: LibvirtProcedures, pool: string): Promise<string[]> {
  return (await lv.storagePoolListAllVolumes(await lv.storagePoolLookupByName(pool))).map((v) => v.name).sort();
}

describe.skipIf(!reachable)('KVM primary storage on libvirt test-driver hosts', () => {
  const driver = new KvmHypervisorDriver();
  let storage: KvmPrimaryStorage;
  let a: LibvirtProcedures;
  let b: LibvirtProcedures;

  beforeAll(async () => {
    for (const url of [HOST_A, HOST_B]) await driver.connectHost({ url, username: 'root', password: '', hypervisorType: 'KVM', clusterName: 'c1' });
    a = await driver.libvirtFor({ url: HOST_A });
    b = await driver.libvirtFor({ url: HOST_B });
    storage = driver.primaryStorage();
  });
  afterAll(() => driver.close());

  it('declares the KVM protocols and every volume call', () => {
    expect([...storage.protocols].sort()).toEqual(['CLVM', 'NFS', 'RBD', 'SharedMountPoint']);
    expect([...(storage.volumeCapabilities ?? [])].sort()).toEqual(['copyVolume', 'createVolume', 'deleteSnapshot', 'deleteVolume', 'resizeVolume', 'snapshotVolume']);
  });

  it('attaches NFS as a running netfs pool on every host of the cluster and reports its capacity; again is a no-op', async () => {
    const nfs = spec(1, 'NFS', { server: '10.1.1.5', path: '/export/primary' });
    const capacity = await storage.createPool(nfs);
    const info = await a.storagePoolGetInfo(await a.storagePoolLookupByName(nfs.poolId));
    expect(capacity).toEqual({ capacityBytes: info.capacity, usedBytes: info.allocation });
    expect(capacity.capacityBytes).toBeGreaterThan(0);
    for (const lv of [a, b]) {
      const pool = await lv.storagePoolLookupByName(nfs.poolId);
      expect(pool.uuid).toBe(nfs.poolId);
      expect((await lv.storagePoolGetInfo(pool)).state).toBe(StoragePoolState.RUNNING);
      const xml = await lv.storagePoolGetXmlDesc(pool);
      expect(xml).toMatch(/^<pool type='netfs'>/);
      expect(xml).toContain("<host name='10.1.1.5'/>");
      expect(xml).toContain("<dir path='/export/primary'/>");
      expect(xml).toContain(`<path>/mnt/${nfs.poolId}</path>`);
    }
    const before = [await poolNames(a), await poolNames(b)];
    expect(await storage.createPool(nfs)).toEqual(capacity);
    expect([await poolNames(a), await poolNames(b)]).toEqual(before);
    expect(await storage.poolCapacity(nfs)).toEqual(capacity);
  });

  it('attaches SharedMountPoint as a dir pool, CLVM as a logical pool and RBD as an rbd pool', async () => {
    const cases = [
      [spec(2, 'SharedMountPoint', { path: '/mnt/gfs-cssdk' }), /^<pool type='dir'>[\s\S]*<path>\/mnt\/gfs-cssdk<\/path>/],
      [spec(3, 'CLVM', { path: 'vg_cssdk' }), /^<pool type='logical'>[\s\S]*<name>vg_cssdk<\/name>[\s\S]*<path>\/dev\/vg_cssdk<\/path>/],
      [spec(4, 'RBD', { server: '10.1.1.9:6789', path: 'cloudstack' }), /^<pool type='rbd'>[\s\S]*<host name='10\.1\.1\.9' port='6789'\/>[\s\S]*<name>cloudstack<\/name>/],
    ] as const;
    for (const [pool, xml] of cases) {
      await storage.createPool(pool);
      for (const lv of [a, b]) expect(await lv.storagePoolGetXmlDesc(await lv.storagePoolLookupByName(pool.poolId))).toMatch(xml);
      await storage.deletePool(pool);
      for (const lv of [a, b]) expect(await poolNames(lv)).not.toContain(pool.poolId);
    }
  });

  it('refuses what a KVM host cannot attach with 431, defining nothing', async () => {
    const before = [await poolNames(a), await poolNames(b)];
    for (const [bad, message] of [
      [spec(5, 'iSCSI', { server: '10.1.1.5', iqn: 'iqn.2013-01.x:t', lun: 0 }), /do not attach iSCSI/],
      [spec(5, 'NFS', { path: '/export' }), /needs a server/],
      [spec(5, 'CLVM', { path: 'vg/lv' }), /volume group/],
    ] as const) {
      const error = await storage.createPool(bad).catch((e: unknown) => e);
      expect(error).toMatchObject({ name: 'CloudError', code: 431, details: { libvirtError: 'VIR_ERR_INVALID_ARG' } });
      expect((error as Error).message).toMatch(message);
    }
    expect([await poolNames(a), await poolNames(b)]).toEqual(before);
  });

  it('refuses a cluster with a host it has no connection to (534) and leaves nothing on the others', async () => {
    const before = await poolNames(a);
    const error = await storage.createPool(spec(6, 'NFS', { server: '10.1.1.5', path: '/export/p6' }, [HOST_A, NOT_CONNECTED])).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'CloudError', code: 534, details: { libvirtError: 'VIR_ERR_NO_CONNECT' } });
    expect(await poolNames(a)).toEqual(before);
    const none = await storage.createPool(spec(6, 'NFS', { server: '10.1.1.5', path: '/export/p6' }, [])).catch((e: unknown) => e);
    expect(none).toMatchObject({ name: 'CloudError', code: 534, message: expect.stringMatching(/no KVM host/) });
    // A source another pool of the host already uses is libvirt's refusal (530); nothing stays.
    const clash = await storage.createPool(spec(7, 'SharedMountPoint', { path: '/default-pool-clash' })).then(() => storage.createPool(spec(8, 'SharedMountPoint', { path: '/default-pool-clash' })).catch((e: unknown) => e));
    expect(clash).toMatchObject({ name: 'CloudError', code: 530, details: { libvirtError: 'VIR_ERR_OPERATION_FAILED' } });
    expect(await poolNames(a)).not.toContain(poolId(8));
    await storage.deletePool(spec(7, 'SharedMountPoint', { path: '/default-pool-clash' }));
  });

  it('creates volumes idempotently, snapshots them as copies on the pool, restores from a snapshot and deletes both idempotently', async () => {
    const pool = spec(1, 'NFS', { server: '10.1.1.5', path: '/export/primary' });
    const volume = { pool, volumeId: 'vol-1', sizeBytes: 64 * 1024 ** 2 };
    expect(await storage.createVolume(volume)).toEqual({ path: `${pool.poolId}/vol-1`, sizeBytes: 64 * 1024 ** 2 });
    expect(await storage.createVolume(volume)).toEqual({ path: `${pool.poolId}/vol-1`, sizeBytes: 64 * 1024 ** 2 });
    expect(await volumeNames(a, pool.poolId)).toEqual(['vol-1']);
    // Thin qcow2: libvirt's own figures, read after a refresh.
    const ref = await a.storagePoolLookupByName(pool.poolId);
    await a.storagePoolRefresh(ref);
    const info = await a.storagePoolGetInfo(ref);
    expect(await storage.poolCapacity(pool)).toEqual({ capacityBytes: info.capacity, usedBytes: info.allocation });

    const snapshot = await storage.snapshotVolume({ volume, snapshotId: 'snap-1' });
    expect(snapshot.path).toBe(`${pool.poolId}/snapshot-snap-1`);
    expect(snapshot.physicalSizeBytes).toBe((await a.storageVolGetInfo(await a.storageVolLookupByName(ref, 'snapshot-snap-1'))).allocation);
    expect(await storage.snapshotVolume({ volume, snapshotId: 'snap-1' })).toEqual(snapshot);

    const restored = await storage.createVolume({ pool, volumeId: 'vol-2', sizeBytes: 64 * 1024 ** 2, fromSnapshotPath: snapshot.path });
    expect(restored).toEqual({ path: `${pool.poolId}/vol-2`, sizeBytes: 64 * 1024 ** 2 });
    expect(await volumeNames(a, pool.poolId)).toEqual(['snapshot-snap-1', 'vol-1', 'vol-2']);

    await storage.deleteSnapshot({ pool, snapshotId: 'snap-1', path: snapshot.path });
    await storage.deleteSnapshot({ pool, snapshotId: 'snap-1', path: snapshot.path });
    for (const volumeId of ['vol-1', 'vol-2']) {
      await storage.deleteVolume({ pool, volumeId, sizeBytes: 0 });
      await storage.deleteVolume({ pool, volumeId, sizeBytes: 0 });
    }
    expect(await volumeNames(a, pool.poolId)).toEqual([]);
  });

  it('maps volume refusals to CloudErrors: missing snapshot or volume 534, bad snapshot path 431, resize on the test driver 432', async () => {
    const pool = spec(1, 'NFS', { server: '10.1.1.5', path: '/export/primary' });
    const missing = await storage.createVolume({ pool, volumeId: 'vol-x', sizeBytes: 1024 ** 2, fromSnapshotPath: `${pool.poolId}/snapshot-none` }).catch((e: unknown) => e);
    expect(missing).toMatchObject({ name: 'CloudError', code: 534, details: { libvirtError: 'VIR_ERR_NO_STORAGE_VOL' } });
    const otherPool = await storage.createVolume({ pool, volumeId: 'vol-x', sizeBytes: 1024 ** 2, fromSnapshotPath: 'no-such-pool/snapshot-1' }).catch((e: unknown) => e);
    expect(otherPool).toMatchObject({ name: 'CloudError', code: 534, details: { libvirtError: 'VIR_ERR_NO_STORAGE_POOL' } });
    const badPath = await storage.createVolume({ pool, volumeId: 'vol-x', sizeBytes: 1024 ** 2, fromSnapshotPath: '/var/snap' }).catch((e: unknown) => e);
    expect(badPath).toMatchObject({ name: 'CloudError', code: 431, details: { libvirtError: 'VIR_ERR_INVALID_ARG' } });
    const noVolume = await storage.snapshotVolume({ volume: { pool, volumeId: 'nope', sizeBytes: 1 }, snapshotId: 's' }).catch((e: unknown) => e);
    expect(noVolume).toMatchObject({ name: 'CloudError', code: 534, details: { libvirtError: 'VIR_ERR_NO_STORAGE_VOL' } });
    const badSize = await storage.createVolume({ pool, volumeId: 'vol-x', sizeBytes: 0 }).catch((e: unknown) => e);
    expect(badSize).toMatchObject({ name: 'CloudError', code: 431 });
    expect(await volumeNames(a, pool.poolId)).toEqual([]);

    await storage.createVolume({ pool, volumeId: 'vol-r', sizeBytes: 1024 ** 2 });
    const resize = await storage.resizeVolume({ pool, volumeId: 'vol-r', sizeBytes: 1024 ** 2, newSizeBytes: 2 * 1024 ** 2 }).catch((e: unknown) => e);
    expect(resize).toMatchObject({ name: 'CloudError', code: 432, details: { libvirtError: 'VIR_ERR_NO_SUPPORT' } });
    await storage.deleteVolume({ pool, volumeId: 'vol-r', sizeBytes: 0 });

    const unreachable = { ...pool, hostUrls: [NOT_CONNECTED] };
    expect(await storage.createVolume({ pool: unreachable, volumeId: 'v', sizeBytes: 1024 }).catch((e: unknown) => e)).toMatchObject({ name: 'CloudError', code: 534 });
    expect(await storage.poolCapacity(unreachable).catch((e: unknown) => e)).toMatchObject({ name: 'CloudError', code: 534 });
  });

  it('re-attaches a pool a host lost (stopped or undefined) on the next call', async () => {
    const pool = spec(1, 'NFS', { server: '10.1.1.5', path: '/export/primary' });
    const ref = await a.storagePoolLookupByName(pool.poolId);
    await a.storagePoolDestroy(ref);
    await a.storagePoolUndefine(ref);
    expect(await poolNames(a)).not.toContain(pool.poolId);
    await storage.poolCapacity(pool);
    expect((await a.storagePoolGetInfo(await a.storagePoolLookupByName(pool.poolId))).state).toBe(StoragePoolState.RUNNING);
  });

  it('detaches a pool from every host, idempotently, skipping hosts it has no connection to', async () => {
    const pool = spec(1, 'NFS', { server: '10.1.1.5', path: '/export/primary' }, [HOST_A, HOST_B, NOT_CONNECTED]);
    await storage.deletePool(pool);
    await storage.deletePool(pool);
    for (const lv of [a, b]) expect(await poolNames(lv)).not.toContain(pool.poolId);
  });
});
