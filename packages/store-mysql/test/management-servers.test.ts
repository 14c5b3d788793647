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
});
