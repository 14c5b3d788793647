import { describe, expect, it } from 'vitest';
import { ManualClock, nextRunAfter, parseSchedule } from '../../src/index.js';
import { refused } from '../accounts/tenants.js';
import { deployInput, vmCloud, type VmCloud } from '../vms/vm-fixtures.js';

const HOUR = 3600_000;
/** ManualClock's start: Tuesday 2013-05-28 12:00 UTC. */
const START = Date.UTC(2013, 4, 28, 12, 0, 0);

async function withDataDisk(t: VmCloud) {
  const alice = t.cloud.as(t.as.alice);
  const offering = await t.cloud.system.diskOfferings.create({ name: 'small-disk', displayText: 'Small disk', diskSize: 5 });
  const vm = await alice.vms.deploy(deployInput(t));
  const volume = await alice.volumes.attach({ id: (await alice.volumes.create({ name: 'data1', zoneId: t.zone.id, diskOfferingId: offering.id })).id, virtualMachineId: vm.id });
  return { alice, vm, volume, offering };
}

function nextIso(intervalType: 'HOURLY' | 'DAILY' | 'WEEKLY' | 'MONTHLY', schedule: string, timezone: string, after = START) {
  return new Date(nextRunAfter(parseSchedule(intervalType, schedule), timezone, after)).toISOString();
}

describe('snapshot schedules', () => {
  it('reads each 4.1 format and finds the next run after the clock, in the policy time zone', () => {
    expect(parseSchedule('HOURLY', '30')).toEqual({ intervalType: 'HOURLY', minute: 30, hour: 0, day: 1 });
    expect(parseSchedule('DAILY', '15:02')).toEqual({ intervalType: 'DAILY', minute: 15, hour: 2, day: 1 });
    expect(parseSchedule('WEEKLY', '00:08:1')).toEqual({ intervalType: 'WEEKLY', minute: 0, hour: 8, day: 1 });
    expect(parseSchedule('MONTHLY', '00:06:15')).toEqual({ intervalType: 'MONTHLY', minute: 0, hour: 6, day: 15 });
    expect(nextIso('HOURLY', '30', 'UTC')).toBe('2013-05-28T12:30:00.000Z');
    expect(nextIso('HOURLY', '00', 'UTC')).toBe('2013-05-28T13:00:00.000Z');
    expect(nextIso('DAILY', '15:02', 'UTC')).toBe('2013-05-29T02:15:00.000Z');
    expect(nextIso('DAILY', '30:14', 'UTC')).toBe('2013-05-28T14:30:00.000Z');
    expect(nextIso('WEEKLY', '00:08:1', 'UTC')).toBe('2013-06-02T08:00:00.000Z');
    expect(nextIso('WEEKLY', '00:08:3', 'UTC')).toBe('2013-06-04T08:00:00.000Z');
    expect(nextIso('WEEKLY', '00:13:3', 'UTC')).toBe('2013-05-28T13:00:00.000Z');
    expect(nextIso('MONTHLY', '00:06:15', 'UTC')).toBe('2013-06-15T06:00:00.000Z');
    expect(nextIso('MONTHLY', '00:06:28', 'UTC')).toBe('2013-06-28T06:00:00.000Z');
    expect(nextIso('DAILY', '00:09', 'Europe/Prague')).toBe('2013-05-29T07:00:00.000Z');
    expect(nextIso('DAILY', '00:09', 'America/New_York')).toBe('2013-05-28T13:00:00.000Z');
    expect(nextIso('MONTHLY', '00:00:1', 'Asia/Tokyo', Date.UTC(2013, 11, 31, 16, 0))).toBe('2014-01-31T15:00:00.000Z');
  });
});

describe('snapshot policies', () => {
  it('create, list and delete a policy; one per interval per volume (a second create updates it); another tenant reads it as not found', async () => {
    const clock = new ManualClock();
    const t = await vmCloud({ clock });
    const { alice, volume } = await withDataDisk(t);
    const daily = await alice.snapshotPolicies.create({ volumeId: volume.id, intervalType: 'DAILY', schedule: '15:02', timezone: 'UTC', maxSnaps: 3 });
    expect(daily).toMatchObject({ volumeId: volume.id, intervalType: 'DAILY', schedule: '15:02', timezone: 'UTC', maxSnaps: 3, nextRun: '2013-05-29T02:15:00.000Z' });
    const hourly = await alice.snapshotPolicies.create({ volumeId: volume.id, intervalType: 'HOURLY', schedule: '45', timezone: 'UTC', maxSnaps: 8 });
    const updated = await alice.snapshotPolicies.create({ volumeId: volume.id, intervalType: 'DAILY', schedule: '00:23', timezone: 'UTC', maxSnaps: 2 });
    expect(updated).toMatchObject({ id: daily.id, schedule: '00:23', maxSnaps: 2, nextRun: '2013-05-28T23:00:00.000Z' });
    expect((await alice.snapshotPolicies.list({ volumeId: volume.id })).items.map((p) => p.id).sort()).toEqual([daily.id, hourly.id].sort());
    const bob = t.cloud.as(t.as.bob);
    expect((await bob.snapshotPolicies.list({ volumeId: volume.id })).total).toBe(0);
    await refused(() => bob.snapshotPolicies.delete({ id: daily.id }), 431, 'id');
    await refused(() => bob.snapshotPolicies.create({ volumeId: volume.id, intervalType: 'WEEKLY', schedule: '00:08:1', timezone: 'UTC', maxSnaps: 1 }), 431, 'volumeid');
    await alice.snapshotPolicies.delete({ id: hourly.id });
    expect((await alice.snapshotPolicies.list()).items.map((p) => p.id)).toEqual([daily.id]);
    await refused(() => alice.snapshotPolicies.delete({ id: hourly.id }), 431, 'id');
  });

  it('refuses bad schedules (431 schedule), unknown time zones, maxSnaps over snapshot.max.<interval> and a volume on no pool, creating nothing', async () => {
    const t = await vmCloud({ clock: new ManualClock() });
    const { alice, volume, offering } = await withDataDisk(t);
    const bad: [('HOURLY' | 'DAILY' | 'WEEKLY' | 'MONTHLY'), string][] = [
      ['HOURLY', '60'], ['HOURLY', '05:01'], ['HOURLY', 'x'], ['DAILY', '00:24'], ['DAILY', '30'], ['DAILY', '1:2:3'],
      ['WEEKLY', '00:08:0'], ['WEEKLY', '00:08:8'], ['WEEKLY', '00:08'], ['MONTHLY', '00:06:29'], ['MONTHLY', '00:06:0'], ['MONTHLY', '-1:06:10'],
    ];
    for (const [intervalType, schedule] of bad) {
      const error = await refused(() => alice.snapshotPolicies.create({ volumeId: volume.id, intervalType, schedule, timezone: 'UTC', maxSnaps: 1 }), 431, 'schedule');
      expect(error.message).toContain(intervalType);
    }
    await refused(() => alice.snapshotPolicies.create({ volumeId: volume.id, intervalType: 'DAILY', schedule: '00:01', timezone: 'Mars/Olympus', maxSnaps: 1 }), 431, 'timezone');
    await refused(() => alice.snapshotPolicies.create({ volumeId: volume.id, intervalType: 'DAILY', schedule: '00:01', timezone: 'UTC', maxSnaps: 9 }), 431, 'maxsnaps');
    const loose = await alice.volumes.create({ name: 'loose', zoneId: t.zone.id, diskOfferingId: offering.id });
    await refused(() => alice.snapshotPolicies.create({ volumeId: loose.id, intervalType: 'DAILY', schedule: '00:01', timezone: 'UTC', maxSnaps: 1 }), 431, 'volumeid');
    expect(await t.cloud.store.transaction((tx) => tx.repo('snapshotPolicies').count())).toBe(0);
  });

  it('the sweep takes due snapshots on the clock, moves the next run on and keeps the newest maxSnaps of each policy; manual snapshots are kept', async () => {
    const clock = new ManualClock();
    const t = await vmCloud({ clock });
    const { alice, volume } = await withDataDisk(t);
    const manual = await alice.snapshots.take({ volumeId: volume.id });
    const policy = await alice.snapshotPolicies.create({ volumeId: volume.id, intervalType: 'HOURLY', schedule: '05', timezone: 'UTC', maxSnaps: 2 });
    expect(await t.cloud.system.snapshotPolicies.runDueSnapshots()).toEqual({ taken: [], deleted: [], failures: [] });
    const taken: string[] = [];
    for (let run = 0; run < 4; run += 1) {
      clock.set(START + run * HOUR + 5 * 60_000);
      const result = await t.cloud.system.snapshotPolicies.runDueSnapshots();
      expect(result.failures).toEqual([]);
      expect(result.taken).toHaveLength(1);
      expect(result.taken[0]).toMatchObject({ snapshotType: 'HOURLY', intervalType: 'HOURLY', policyId: policy.id, volumeId: volume.id, state: 'BackedUp' });
      taken.push(result.taken[0]!.id);
      expect(result.deleted).toEqual(run < 2 ? [] : [taken[run - 2]]);
      expect((await t.cloud.system.snapshotPolicies.runDueSnapshots()).taken).toEqual([]);
      expect((await alice.snapshotPolicies.list({ id: policy.id })).items[0]?.nextRun).toBe(new Date(START + (run + 1) * HOUR + 5 * 60_000).toISOString());
    }
    const recurring = (await alice.snapshots.list({ snapshotType: 'RECURRING' })).items.map((s) => s.id);
    expect(recurring.sort()).toEqual(taken.slice(2).sort());
    expect((await alice.snapshots.list({ intervalType: 'HOURLY' })).total).toBe(2);
    expect((await alice.snapshots.list({ snapshotType: 'MANUAL' })).items.map((s) => s.id)).toEqual([manual.id]);
  });

  it('a failing policy is reported, its next run still moves on, and other policies run', async () => {
    const clock = new ManualClock();
    const t = await vmCloud({ clock });
    const { alice, vm, volume } = await withDataDisk(t);
    const [root] = (await alice.volumes.list({ virtualMachineId: vm.id, type: 'ROOT' })).items;
    const broken = await alice.snapshotPolicies.create({ volumeId: volume.id, intervalType: 'HOURLY', schedule: '10', timezone: 'UTC', maxSnaps: 1 });
    await alice.snapshotPolicies.create({ volumeId: root!.id, intervalType: 'HOURLY', schedule: '10', timezone: 'UTC', maxSnaps: 1 });
    t.sim.lab.faults.fail('snapshotVolume', volume.id, 'volume busy');
    clock.set(START + 10 * 60_000);
    const result = await t.cloud.system.snapshotPolicies.runDueSnapshots();
    expect(result.taken.map((s) => s.volumeId)).toEqual([root!.id]);
    expect(result.failures).toHaveLength(1);
    expect(result.failures[0]).toMatchObject({ policyId: broken.id, volumeId: volume.id, error: { code: 534 } });
    expect((await alice.snapshotPolicies.list({ id: broken.id })).items[0]?.nextRun).toBe(new Date(START + HOUR + 10 * 60_000).toISOString());
    await refused(() => alice.snapshotPolicies.runDueSnapshots(), 531);
  });

  it('deleting a volume deletes its policies', async () => {
    const t = await vmCloud({ clock: new ManualClock() });
    const { alice, volume } = await withDataDisk(t);
    await alice.snapshotPolicies.create({ volumeId: volume.id, intervalType: 'WEEKLY', schedule: '00:08:1', timezone: 'UTC', maxSnaps: 1 });
    await alice.volumes.detach({ id: volume.id });
    await alice.volumes.delete({ id: volume.id });
    expect((await alice.snapshotPolicies.list()).total).toBe(0);
  });
});
