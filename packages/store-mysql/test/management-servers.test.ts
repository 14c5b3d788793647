import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MysqlStore } from '../src/index.js';
import { createTestDatabase, mariadbReachable, type TestDatabase } from './support/mariadb.js';

const reachable = await mariadbReachable();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.skipIf(!reachable)('management server heartbeats', () => {
  let db: TestDatabase;
  let first: MysqlStore;
  let second: MysqlStore;

  beforeAll(async () => {
    db = await createTestDatabase();
    first = new MysqlStore({ url: db.url, connectionLimit: 2 });
    second = new MysqlStore({ url: db.url, connectionLimit: 2 });
    await first.init();
    await second.init();
  });
  afterAll(async () => {
    await Promise.all([first?.close(), second?.close()]);
    await db?.drop();
  });

  it('registers servers on their first beat and finds the one whose heartbeat stopped', async () => {
    await first.heartbeat('ms-1');
    await second.heartbeat('ms-2');
    await sleep(400);
    await second.heartbeat('ms-2');
    const stale = await second.findStaleServers(300);
    expect(stale.map((s) => s.serverId)).toEqual(['ms-1']);
    expect(stale[0]?.silentForMs).toBeGreaterThanOrEqual(300);
    expect(stale[0]?.lastHeartbeat).toBeInstanceOf(Date);
    expect(stale[0]!.startedAt.getTime()).toBeLessThanOrEqual(stale[0]!.lastHeartbeat.getTime());
    const all = await first.listServers();
    expect(all.map((s) => s.serverId)).toEqual(['ms-1', 'ms-2']);
    expect(all[1]!.silentForMs).toBeLessThan(300);
  });

  it('keeps the first start time across beats and forgets a removed server', async () => {
    await first.heartbeat('ms-3');
    const [before] = (await first.listServers()).filter((s) => s.serverId === 'ms-3');
    await sleep(20);
    await first.heartbeat('ms-3');
    const [after] = (await first.listServers()).filter((s) => s.serverId === 'ms-3');
    expect(after?.startedAt).toEqual(before?.startedAt);
    expect(after!.lastHeartbeat.getTime()).toBeGreaterThan(before!.lastHeartbeat.getTime());
    expect(await second.removeServer('ms-3')).toBe(true);
    expect(await second.removeServer('ms-3')).toBe(false);
    expect((await first.listServers()).map((s) => s.serverId)).not.toContain('ms-3');
  });

  it('lets exactly one of several survivors claim a dead server, and a claim whose holder died be taken again', async () => {
    await first.heartbeat('dead-1');
    await sleep(400);
    await Promise.all(['ms-a', 'ms-b', 'ms-c'].map((id) => second.heartbeat(id)));
    const registries = [first.serverRegistry, second.serverRegistry];
    const claims = await Promise.all(
      ['ms-a', 'ms-b', 'ms-c', 'ms-a', 'ms-b', 'ms-c'].map((id, i) => registries[i % 2]!.claimTakeover('dead-1', id, 300, Date.now())),
    );
    expect(claims.filter(Boolean)).toHaveLength(1);
    const winner = ['ms-a', 'ms-b', 'ms-c', 'ms-a', 'ms-b', 'ms-c'][claims.indexOf(true)];
    const row = (await first.serverRegistry.list(Date.now())).find((b) => b.serverId === 'dead-1');
    expect(row?.takenOverBy).toBe(winner);
    expect(typeof row?.lastHeartbeat).toBe('string');
    expect(await first.serverRegistry.claimTakeover('ms-a', 'ms-a', 0, Date.now())).toBe(false);
    // Not silent long enough: no claim.
    expect(await first.serverRegistry.claimTakeover('ms-b', 'ms-a', 60_000, Date.now())).toBe(false);
    // The winner dies too: a live survivor may take the claim over.
    await sleep(400);
    const other = ['ms-a', 'ms-b', 'ms-c'].find((id) => id !== winner)!;
    await second.heartbeat(other);
    expect(await second.serverRegistry.claimTakeover('dead-1', other, 300, Date.now())).toBe(true);
    expect(await second.serverRegistry.forget('dead-1')).toBe(true);
    expect((await second.serverRegistry.findStale(300, Date.now())).map((b) => b.serverId)).not.toContain('dead-1');
  });
});
