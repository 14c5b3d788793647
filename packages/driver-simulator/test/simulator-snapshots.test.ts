import { describe, expect, it } from 'vitest';
import { createSimulator, SimulatorPrimaryStorage } from '../src/index.js';

describe('simulator snapshots', () => {
  const pool = { poolId: 'p1', protocol: 'NFS' as const, hypervisorType: 'Simulator' as const, server: 'nfs1', path: '/export/primary', hostUrls: ['http://sim/h1'] };
  const volume = { pool, volumeId: 'v1', sizeBytes: 2048 };

  function primaryOf(sim: ReturnType<typeof createSimulator>): SimulatorPrimaryStorage {
    const primary = sim.storage.primary[0];
    if (!(primary instanceof SimulatorPrimaryStorage)) throw new Error('expected the simulator primary storage');
    return primary;
  }

  it('snapshots a volume idempotently, restores a volume from it, and deletes it idempotently', async () => {
    const sim = createSimulator();
    const primary = primaryOf(sim);
    expect([...(primary.volumeCapabilities ?? [])]).toEqual(expect.arrayContaining(['snapshotVolume', 'deleteSnapshot', 'createVolume']));
    await primary.createPool(pool);
    await primary.createVolume(volume);
    const answer = await primary.snapshotVolume({ volume, snapshotId: 's1' });
    expect(answer).toEqual({ path: 'snapshots/v1/s1', physicalSizeBytes: 2048 });
    expect(await primary.snapshotVolume({ volume, snapshotId: 's1' })).toEqual(answer);
    expect(primary.snapshotPaths()).toEqual(['snapshots/v1/s1']);
    expect(await primary.createVolume({ pool, volumeId: 'v2', sizeBytes: 2048, fromSnapshotPath: answer.path })).toEqual({ path: 'p1/v2', sizeBytes: 2048 });
    await primary.deleteSnapshot({ pool, snapshotId: 's1', path: answer.path });
    await primary.deleteSnapshot({ pool, snapshotId: 's1', path: answer.path });
    expect(primary.snapshotPaths()).toEqual([]);
    await expect(primary.createVolume({ pool, volumeId: 'v3', sizeBytes: 2048, fromSnapshotPath: answer.path })).rejects.toThrow(/No snapshot/);
  });

  it('injects failures into snapshot calls by volume or snapshot id', async () => {
    const sim = createSimulator();
    const primary = primaryOf(sim);
    sim.lab.faults.fail('snapshotVolume', 'v1', 'volume busy');
    await expect(primary.snapshotVolume({ volume, snapshotId: 's1' })).rejects.toThrow('volume busy');
    expect(primary.snapshotPaths()).toEqual([]);
    expect((await primary.snapshotVolume({ volume: { ...volume, volumeId: 'v9' }, snapshotId: 's2' })).path).toBe('snapshots/v9/s2');
    sim.lab.faults.fail('deleteSnapshot', 's2', 'store offline');
    await expect(primary.deleteSnapshot({ pool, snapshotId: 's2', path: 'snapshots/v9/s2' })).rejects.toThrow('store offline');
    expect(primary.snapshotPaths()).toEqual(['snapshots/v9/s2']);
  });
});
