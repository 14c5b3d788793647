import { describe, expect, it } from 'vitest';
import { createSimulator } from '../src/index.js';

const TIB = 1024 ** 4;

describe('simulator storage', () => {
  const spec = { poolId: 'p1', protocol: 'NFS' as const, hypervisorType: 'Simulator' as const, server: 'nfs1', path: '/export/primary', hostUrls: ['http://sim/h1'] };

  it('attaches pools with 1 TiB by default or the size the lab gives, idempotently', async () => {
    const sim = createSimulator();
    const primary = sim.storage.primary[0]!;
    expect(await primary.createPool(spec)).toEqual({ capacityBytes: TIB, usedBytes: 0 });
    expect(await primary.createPool(spec)).toEqual({ capacityBytes: TIB, usedBytes: 0 });
    sim.lab.sizePool('nfs://nfs2/export/p', { capacityBytes: 500, usedBytes: 20 });
    expect(await primary.createPool({ ...spec, poolId: 'p2', server: 'nfs2', path: '/export/p' })).toEqual({ capacityBytes: 500, usedBytes: 20 });
    expect(await primary.poolCapacity({ ...spec, poolId: 'p2' })).toEqual({ capacityBytes: 500, usedBytes: 20 });
    await primary.deletePool({ ...spec, poolId: 'p2' });
    await primary.deletePool({ ...spec, poolId: 'p2' });
    await expect(primary.poolCapacity({ ...spec, poolId: 'p2' })).rejects.toThrow(/not attached/);
  });

  it('refuses a pool the cluster hosts cannot reach', async () => {
    const sim = createSimulator({ autoProvisionHosts: false });
    await expect(sim.storage.primary[0]!.createPool(spec)).rejects.toThrow(/cannot reach/);
  });

  it('adds NFS and Swift stores with capacity; Swift needs a key', async () => {
    const sim = createSimulator();
    const secondary = sim.storage.secondary!;
    expect(await secondary.addStore({ storeId: 's1', protocol: 'NFS', url: 'nfs://n/sec' })).toEqual({ capacityBytes: 2 * TIB, usedBytes: 0 });
    await expect(secondary.addStore({ storeId: 's2', protocol: 'Swift', url: 'http://swift/v1' })).rejects.toThrow(/no key/);
    expect(await secondary.storeCapacity({ storeId: 's1', protocol: 'NFS', url: 'nfs://n/sec' })).toEqual({ capacityBytes: 2 * TIB, usedBytes: 0 });
  });

  it('injects faults into storage calls per pool', async () => {
    const sim = createSimulator();
    sim.lab.faults.fail('createPool', 'nfs1', 'export not found');
    await expect(sim.storage.primary[0]!.createPool(spec)).rejects.toThrow('export not found');
  });
});
