import { describe, expect, it } from 'vitest';
import { MemoryServerRegistry } from '../../src/servers.js';

const T0 = Date.UTC(2013, 4, 28, 12, 0, 0);

describe('MemoryServerRegistry', () => {
  it('registers servers on their first beat, keeps their start time, and lists the silent ones as stale', async () => {
    const registry = new MemoryServerRegistry();
    await registry.heartbeat('ms-1', T0);
    await registry.heartbeat('ms-2', T0);
    await registry.heartbeat('ms-2', T0 + 5_000);
    const all = await registry.list(T0 + 6_000);
    expect(all.map((b) => [b.serverId, b.silentForMs])).toEqual([['ms-1', 6_000], ['ms-2', 1_000]]);
    expect(all[1]).toMatchObject({ startedAt: new Date(T0).toISOString(), lastHeartbeat: new Date(T0 + 5_000).toISOString() });
    expect((await registry.findStale(3_000, T0 + 6_000)).map((b) => b.serverId)).toEqual(['ms-1']);
    expect(await registry.findStale(6_000, T0 + 6_000)).toEqual([]);
  });

  it('lets exactly one survivor claim a dead server, and only once it is silent long enough', async () => {
    const registry = new MemoryServerRegistry();
    for (const id of ['ms-1', 'ms-2', 'ms-3']) await registry.heartbeat(id, T0);
    expect(await registry.claimTakeover('ms-1', 'ms-2', 3_000, T0 + 1_000)).toBe(false);
    await registry.heartbeat('ms-2', T0 + 4_000);
    await registry.heartbeat('ms-3', T0 + 4_000);
    const claims = await Promise.all([
      registry.claimTakeover('ms-1', 'ms-2', 3_000, T0 + 4_000),
      registry.claimTakeover('ms-1', 'ms-3', 3_000, T0 + 4_000),
      registry.claimTakeover('ms-1', 'ms-2', 3_000, T0 + 4_000),
    ]);
    expect(claims.filter(Boolean)).toHaveLength(1);
    expect(claims[0]).toBe(true);
    expect((await registry.list(T0 + 4_000)).find((b) => b.serverId === 'ms-1')?.takenOverBy).toBe('ms-2');
    expect(await registry.claimTakeover('ms-2', 'ms-2', 0, T0 + 9_000)).toBe(false);
    expect(await registry.claimTakeover('unknown', 'ms-2', 0, T0 + 9_000)).toBe(false);
  });

  it('hands a claim whose holder went silent too to another survivor, and forgets a server', async () => {
    const registry = new MemoryServerRegistry();
    for (const id of ['ms-1', 'ms-2', 'ms-3']) await registry.heartbeat(id, T0);
    await registry.heartbeat('ms-2', T0 + 4_000);
    expect(await registry.claimTakeover('ms-1', 'ms-2', 3_000, T0 + 4_000)).toBe(true);
    await registry.heartbeat('ms-3', T0 + 9_000);
    expect(await registry.claimTakeover('ms-1', 'ms-3', 3_000, T0 + 9_000)).toBe(true);
    expect(await registry.forget('ms-1')).toBe(true);
    expect(await registry.forget('ms-1')).toBe(false);
    expect((await registry.list(T0 + 9_000)).map((b) => b.serverId)).toEqual(['ms-2', 'ms-3']);
  });
});
