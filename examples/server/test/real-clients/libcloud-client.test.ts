import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IN_CI, pythonCanImport, runClientScript, startDemoServer, type RunningServer } from './harness.js';

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
  readonly by_id_mixed_case: LibcloudOutcome;
  readonly unencoded_chars: LibcloudOutcome;
  readonly wrong_secret: LibcloudOutcome;
  readonly bad_parameter: LibcloudOutcome;
  readonly denied: LibcloudOutcome;
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
});
