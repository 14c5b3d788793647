import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IN_CI, openSshPublicKey, pythonCanImport, runClientScript, startDemoServer, type RunningServer } from './harness.js';

/** How one Libcloud call ended: 200 and the reply, or the HTTP status and the exception Libcloud raised. */
interface LibcloudOutcome {
  readonly status: number;
  readonly reply?: Record<string, unknown>;
  readonly error?: 'InvalidCredsError' | 'ProviderError';
  readonly message?: string;
}

/** What `py/libcloud_locations.py` prints. */
interface LocationsRun {
  readonly locations: { id: string; name: string; country: string }[];
  readonly by_url: string[];
  readonly by_id_mixed_case: LibcloudOutcome;
  readonly unencoded_chars: LibcloudOutcome;
  readonly wrong_secret: LibcloudOutcome;
  readonly bad_parameter: LibcloudOutcome;
  readonly denied: LibcloudOutcome;
}

/** What `py/libcloud_sizes.py` prints. */
interface SizesRun {
  readonly sizes: { id: string; name: string; ram: number; cpu: number }[];
  readonly disk_offerings: { id: string; name: string; size: number; customizable: boolean }[];
  readonly limits: Record<string, number>;
}

/** A key pair as `py/libcloud_key_pairs.py` shows it. */
interface ShownKeyPair {
  readonly name: string;
  readonly fingerprint: string;
  readonly has_private_key: boolean;
}

/** What `py/libcloud_key_pairs.py` prints. */
interface KeyPairsRun {
  readonly before: ShownKeyPair[];
  readonly created: ShownKeyPair;
  readonly imported: ShownKeyPair;
  readonly listed: ShownKeyPair[];
  readonly got: ShownKeyPair;
  readonly duplicate: { status: number; message?: string };
  readonly deleted: boolean[];
  readonly after: ShownKeyPair[];
  readonly get_deleted: string;
}

/** One async call as `py/libcloud_async.py` shows it. */
interface AsyncOutcome {
  readonly status?: number;
  readonly reply?: { host?: { id: string; name: string; resourcestate: string } };
  readonly error?: string;
  readonly message?: string;
}

/** What `py/libcloud_async.py` prints. */
interface AsyncRun {
  readonly reconnect: AsyncOutcome;
  readonly maintenance: AsyncOutcome;
  readonly maintenance_again: AsyncOutcome;
  readonly cancel: AsyncOutcome;
}

const available = pythonCanImport('libcloud');

// Outside CI a machine without python3-libcloud skips; under CI=true the first test fails instead.
describe.skipIf(!available && !IN_CI)('Apache Libcloud 3.4.1 (Debian python3-libcloud) compute driver against the example server', () => {
  let running: RunningServer;

  beforeAll(async () => {
    running = await startDemoServer();
  }, 60_000);
  afterAll(async () => {
    await running?.server.close();
  });

  it('is importable by /usr/bin/python3 (apt-get install python3-libcloud)', () => {
    expect(available).toBe(true);
  });

  it('list_locations() gives the two demo zones; its signing (names sorted lowercased, ~ [ ] unencoded) verifies; errors map to Libcloud exceptions', async () => {
    const run = await runClientScript<LocationsRun>('libcloud_locations.py', { endpoint: running.endpoint, ...running.tenant });
    const zones = await running.server.cloud.system.zones.list({});
    expect(run.locations.map((l) => l.name).sort()).toEqual(['demo-advanced', 'demo-basic']);
    for (const location of run.locations) {
      expect(location.id).toBe(zones.find((z) => z.name === location.name)?.id);
      expect(location.country).toBe('Unknown');
    }

    expect([...run.by_url].sort()).toEqual(['demo-advanced', 'demo-basic']);

    // `Id` sorts before `apiKey` in 4.1's case-sensitive order but after `command` in Libcloud's.
    expect(run.by_id_mixed_case.status).toBe(200);
    expect(run.by_id_mixed_case.reply).toMatchObject({ count: 1, zone: [{ id: run.locations[0]!.id, name: run.locations[0]!.name }] });
    expect(run.unencoded_chars).toEqual({ status: 200, reply: {} });

    expect(run.wrong_secret).toEqual({ status: 401, error: 'InvalidCredsError', message: 'Invalid provider credentials' });
    expect(run.bad_parameter).toMatchObject({ status: 431, error: 'ProviderError' });
    expect(run.bad_parameter.message).toMatch(/id/);
    expect(run.denied).toMatchObject({ status: 432, error: 'ProviderError' });
    expect(run.denied.message).toMatch(/does not exist or it is not available for user/);

    const logged = running.requests().filter((r) => r.command === 'listZones' && r.status === 200);
    expect(logged.length).toBeGreaterThanOrEqual(3);
    expect(logged.every((r) => r.userId === running.tenant.userId)).toBe(true);
  });

  it('list_sizes() gives the service offerings (id, name, ram, cpu); ex_list_disk_offerings() and ex_limits() read theirs', async () => {
    const run = await runClientScript<SizesRun>('libcloud_sizes.py', { endpoint: running.endpoint, ...running.tenant });
    const offerings = (await running.server.cloud.system.serviceOfferings.list({})).items;
    expect(run.sizes.length).toBeGreaterThanOrEqual(2);
    for (const size of run.sizes) {
      const offering = offerings.find((o) => o.id === size.id);
      expect(offering).toBeDefined();
      expect(size).toEqual({ id: offering?.id, name: offering?.name, ram: offering?.memory, cpu: offering?.cpuNumber });
    }
    expect(run.sizes).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: 'Small Instance', ram: 512, cpu: 1 }),
        expect.objectContaining({ name: 'Medium Instance', ram: 1024, cpu: 1 }),
      ]),
    );

    const disks = (await running.server.cloud.system.diskOfferings.list({})).items;
    expect(run.disk_offerings.length).toBeGreaterThanOrEqual(1);
    for (const disk of run.disk_offerings) {
      const offering = disks.find((d) => d.id === disk.id);
      expect(offering?.name).toBe(disk.name);
      expect(typeof disk.size).toBe('number');
      expect(typeof disk.customizable).toBe('boolean');
    }
    expect(run.disk_offerings).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'Medium', size: 20, customizable: false })]));

    // ex_limits() maps resource types 0..11 to names; a new account's limits are unlimited (-1) by default.
    expect(Object.keys(run.limits)).toEqual(expect.arrayContaining(['max_instances', 'max_public_ips', 'max_volumes', 'max_snapshots', 'max_images', 'max_projects', 'max_networks', 'max_vpc']));
    expect(Object.values(run.limits).every((value) => Number.isInteger(value))).toBe(true);
  });

  it('creates, imports, lists, gets and deletes SSH key pairs (create/register/list/deleteSSHKeyPair)', async () => {
    const key = openSshPublicKey('libcloud test ~key');
    const run = await runClientScript<KeyPairsRun>('libcloud_key_pairs.py', {
      endpoint: running.endpoint,
      ...running.tenant,
      createName: 'libcloud-made',
      importName: 'libcloud-imported',
      publicKey: key.line,
    });
    expect(run.before).toEqual([]);
    expect(run.created).toMatchObject({ name: 'libcloud-made', has_private_key: true });
    expect(run.created.fingerprint).toMatch(/^([0-9a-f]{2}:){15}[0-9a-f]{2}$/);
    expect(run.imported).toEqual({ name: 'libcloud-imported', fingerprint: key.fingerprint, has_private_key: false });
    expect(run.listed).toEqual([
      { name: 'libcloud-imported', fingerprint: key.fingerprint, has_private_key: false },
      { name: 'libcloud-made', fingerprint: run.created.fingerprint, has_private_key: false },
    ]);
    expect(run.got).toEqual({ name: 'libcloud-imported', fingerprint: key.fingerprint, has_private_key: false });
    expect(run.duplicate.status).toBe(431);
    expect(run.duplicate.message).toMatch(/libcloud-made/);
    expect(run.deleted).toEqual([true, true]);
    expect(run.after).toEqual([]);
    expect(run.get_deleted).toBe('KeyPairDoesNotExistError');
  });

  it('runs async commands as Libcloud does (jobid, then queryAsyncJobResult until jobstatus 1 or 2): host reconnect and maintenance', async () => {
    const host = (await running.server.cloud.system.hosts.list({})).find((h) => h.type === 'Routing' && h.name === 'basic-cluster-host1');
    expect(host).toBeDefined();
    const run = await runClientScript<AsyncRun>('libcloud_async.py', { endpoint: running.endpoint, ...running.admin, hostId: host?.id });
    expect(run.reconnect).toMatchObject({ status: 200, reply: { host: { id: host?.id, name: 'basic-cluster-host1', type: 'Routing', state: 'Up', resourcestate: 'Enabled' } } });
    expect(run.maintenance.status).toBe(200);
    expect(['PrepareForMaintenance', 'Maintenance']).toContain(run.maintenance.reply?.host?.resourcestate);
    // A job that fails (jobstatus 2): Libcloud raises its errortext as a bare Exception.
    expect(run.maintenance_again).toEqual({ error: 'Exception', message: expect.stringMatching(/basic-cluster-host1 cannot move from .*Maintenance/) as unknown });
    expect(run.cancel).toMatchObject({ status: 200, reply: { host: { id: host?.id, resourcestate: 'Enabled' } } });
    const polled = running.requests().filter((r) => r.command === 'queryAsyncJobResult' && r.userId === running.admin.userId);
    expect(polled.length).toBeGreaterThanOrEqual(4);
    expect(polled.every((r) => r.status === 200)).toBe(true);
  });
});
