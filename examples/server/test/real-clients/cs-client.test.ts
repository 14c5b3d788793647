import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IN_CI, openSshPublicKey, pythonCanImport, runClientScript, startDemoServer, type Credentials, type RunningServer } from './harness.js';

/** How one cs call ended: 200 and the reply, or the status and the error cs raised. */
interface CsOutcome {
  readonly status: number;
  readonly reply?: Record<string, unknown>;
  readonly error?: { readonly errorcode?: number; readonly errortext?: string; readonly cserrorcode?: number };
  readonly message?: string;
}

/** A cs call for `py/cs_calls.py`. */
interface CsCall {
  readonly command: string;
  readonly params?: Readonly<Record<string, string | number | boolean>>;
}

/** What `py/cs_signature.py` prints. */
interface SignatureRun {
  readonly plain: CsOutcome;
  readonly plain_sent: Record<string, string>;
  readonly expired: CsOutcome;
  readonly expired_sent: Record<string, string>;
  readonly far_future: CsOutcome;
  readonly moved_expiry: CsOutcome;
  readonly moved_expiry_sent: Record<string, string>;
  readonly wrong_secret: CsOutcome;
  readonly post: CsOutcome;
  readonly unencoded_chars: CsOutcome;
  readonly unencoded_chars_sent: Record<string, string>;
}

/** What `py/cs_paging.py` prints. */
interface PagingRun {
  readonly names: string[];
  readonly pages: { page: string; pagesize: string; count: number; rows: number }[];
}

const available = pythonCanImport('cs');

function csCalls(endpoint: string, who: Credentials, calls: readonly CsCall[]): Promise<CsOutcome[]> {
  return runClientScript<CsOutcome[]>('cs_calls.py', { endpoint, apiKey: who.apiKey, secretKey: who.secretKey, calls });
}

// Outside CI a machine without python3-cs skips; under CI=true the first test fails instead.
describe.skipIf(!available && !IN_CI)('cs 2.7.1 (Debian python3-cs) against the example server', () => {
  let running: RunningServer;
  let signatureRun: Promise<SignatureRun> | undefined;
  /** `py/cs_signature.py`, run once for the tests that read it. */
  const signatures = (): Promise<SignatureRun> =>
    (signatureRun ??= runClientScript<SignatureRun>('cs_signature.py', { endpoint: running.endpoint, ...running.tenant }));

  beforeAll(async () => {
    running = await startDemoServer();
  }, 60_000);
  afterAll(async () => {
    await running?.server.close();
  });

  it('is importable by /usr/bin/python3 (apt-get install python3-cs)', () => {
    expect(available).toBe(true);
  });

  it('signs with signatureVersion=3 and expires, which the server checks as part of the signature', async () => {
    const run = await signatures();

    expect(run.plain.status).toBe(200);
    expect(run.plain.reply).toMatchObject({ capability: { cloudstackversion: '4.1.0' } });
    expect(run.plain_sent).toMatchObject({ command: 'listCapabilities', signatureVersion: '3', response: 'json', apiKey: running.tenant.apiKey });
    expect(run.plain_sent.expires).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+0000$/);
    const ahead = Date.parse(run.plain_sent.expires!.replace(/\+0000$/, 'Z')) - Date.now();
    expect(ahead).toBeGreaterThan(8 * 60_000);
    expect(ahead).toBeLessThanOrEqual(10 * 60_000);

    // The same request with expires changed after signing no longer verifies.
    expect(run.moved_expiry_sent.expires).toBe('2099-01-01T00:00:00+0000');
    expect(run.moved_expiry).toMatchObject({ status: 401, error: { errorcode: 401 } });
    expect(run.wrong_secret).toMatchObject({ status: 401, error: { errorcode: 401 } });

    const logged = running.requests().filter((r) => r.command === 'listCapabilities');
    expect(logged.filter((r) => r.status === 200).every((r) => r.userId === running.tenant.userId)).toBe(true);
    expect(logged.filter((r) => r.status === 401).length).toBeGreaterThanOrEqual(3);
  });

  it('gets 401 for an expires in the past, raised by cs as an API error', async () => {
    const run = await signatures();
    expect(run.expired_sent).toMatchObject({ signatureVersion: '3', command: 'listCapabilities' });
    expect(Date.parse(run.expired_sent.expires!.replace(/\+0000$/, 'Z'))).toBeLessThan(Date.now());
    expect(run.expired).toMatchObject({ status: 401, message: 'HTTP 401 response from CloudStack', error: { errorcode: 401 } });
    // The same call with an expires far ahead passes: 4.1 sets no upper bound.
    expect(run.far_future).toMatchObject({ status: 200, reply: { capability: { cloudstackversion: '4.1.0' } } });
  });

  it('is served the same with POST (form body), and values cs signs unencoded (* and ~) verify', async () => {
    const run = await signatures();
    expect(run.post.status).toBe(200);
    const names = ((run.post.reply?.zone ?? []) as { name: string }[]).map((z) => z.name).sort();
    expect(names).toEqual(['demo-advanced', 'demo-basic']);
    expect(run.unencoded_chars_sent.keyword).toBe('demo*~');
    expect(run.unencoded_chars).toEqual({ status: 200, reply: {} });
  });

  it('fetch_list=True pages listConfigurations over several pages to exactly the server count, without duplicates', async () => {
    const pagesize = 50;
    const run = await runClientScript<PagingRun>('cs_paging.py', { endpoint: running.endpoint, ...running.admin, pagesize });
    const everything = (await running.server.cloud.system.config.list({})).map((entry) => entry.name);
    expect(everything.length).toBeGreaterThan(270);

    const pageCount = Math.ceil(everything.length / pagesize);
    expect(run.pages.map((p) => p.page)).toEqual(Array.from({ length: pageCount }, (_, i) => String(i + 1)));
    expect(run.pages.every((p) => p.pagesize === String(pagesize) && p.count === everything.length)).toBe(true);
    expect(run.pages.slice(0, -1).every((p) => p.rows === pagesize)).toBe(true);
    expect(run.names).toHaveLength(everything.length);
    expect(new Set(run.names).size).toBe(run.names.length);
    expect([...run.names].sort()).toEqual([...everything].sort());
  });

  it('lists both demo zones and the capabilities for the demo tenant', async () => {
    const [zones, capabilities] = await csCalls(running.endpoint, running.tenant, [{ command: 'listZones' }, { command: 'listCapabilities' }]);
    expect(zones?.status).toBe(200);
    const listed = (zones?.reply?.zone ?? []) as { id: string; name: string; networktype: string; allocationstate?: string }[];
    expect(zones?.reply?.count).toBe(2);
    expect(listed.map((z) => [z.name, z.networktype]).sort()).toEqual([
      ['demo-advanced', 'Advanced'],
      ['demo-basic', 'Basic'],
    ]);
    expect(listed.every((z) => /^[0-9a-f-]{36}$/.test(z.id))).toBe(true);
    // fetch_list over listZones one zone a page: two pages, both zones.
    const [paged] = await csCalls(running.endpoint, running.tenant, [{ command: 'listZones', params: { fetch_list: true, pagesize: 1 } }]);
    expect(paged?.status).toBe(200);
    expect((paged?.reply as unknown as { name: string }[]).map((z) => z.name).sort()).toEqual(['demo-advanced', 'demo-basic']);
    expect(capabilities).toMatchObject({
      status: 200,
      reply: { capability: { cloudstackversion: '4.1.0', securitygroupsenabled: expect.any(Boolean) as unknown, userpublictemplateenabled: expect.any(Boolean) as unknown } },
    });
  });

  it('raises the 431 error text for a bad parameter, and 432 for a root-admin or unknown command', async () => {
    const [badUuid, unpaired, denied, unknown] = await csCalls(running.endpoint, running.tenant, [
      { command: 'listZones', params: { id: 'not-a-uuid' } },
      { command: 'listZones', params: { pagesize: 10 } },
      { command: 'listConfigurations', params: { name: 'expunge.delay' } },
      { command: 'listVirtualMachinez' },
    ]);
    expect(badUuid).toMatchObject({ status: 431, message: 'HTTP 431 response from CloudStack', error: { errorcode: 431 } });
    expect(badUuid?.error?.errortext).toMatch(/id/);
    expect(unpaired).toMatchObject({ status: 431, error: { errorcode: 431 } });
    expect(unpaired?.error?.errortext).toContain('"page" parameter is required when "pagesize" is specified');
    expect(denied).toMatchObject({ status: 432, message: 'HTTP 432 response from CloudStack', error: { errorcode: 432 } });
    expect(denied?.error?.errortext).toMatch(/does not exist or it is not available for user/);
    expect(unknown).toMatchObject({ status: 432, error: { errorcode: 432 } });
  });

  it('lists service and disk offerings, the caller\'s account and its resource limits for the demo tenant; domains and users for the admin', async () => {
    const [offerings, disks, accounts, limits] = await csCalls(running.endpoint, running.tenant, [
      { command: 'listServiceOfferings' },
      { command: 'listDiskOfferings' },
      { command: 'listAccounts' },
      { command: 'listResourceLimits' },
    ]);
    expect(offerings?.status).toBe(200);
    expect(offerings?.reply?.serviceoffering).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: 'Small Instance', cpunumber: 1, cpuspeed: 500, memory: 512 }),
        expect.objectContaining({ name: 'Medium Instance', cpunumber: 1, cpuspeed: 1000, memory: 1024 }),
      ]),
    );
    expect(disks?.reply?.diskoffering).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'Medium', disksize: 20 })]));
    expect(accounts?.reply).toMatchObject({ count: 1, account: [{ name: 'demo', domain: 'Demo', accounttype: 0 }] });
    const limitTypes = ((limits?.reply?.resourcelimit ?? []) as { resourcetype: string; max: number }[]).map((l) => l.resourcetype);
    expect(limitTypes).toEqual(expect.arrayContaining(['0', '1', '2', '3', '4']));

    const [domains, users, tenantDomains] = [
      ...(await csCalls(running.endpoint, running.admin, [{ command: 'listDomains', params: { listall: 'true' } }, { command: 'listUsers', params: { listall: 'true' } }])),
      ...(await csCalls(running.endpoint, running.tenant, [{ command: 'listDomains' }])),
    ];
    const domainPaths = ((domains?.reply?.domain ?? []) as { path: string }[]).map((d) => d.path);
    expect(domainPaths).toEqual(expect.arrayContaining(['ROOT', 'ROOT/Demo']));
    const usernames = ((users?.reply?.user ?? []) as { username: string }[]).map((u) => u.username);
    expect(usernames).toEqual(expect.arrayContaining(['admin', 'demo']));
    expect(tenantDomains).toMatchObject({ status: 432, error: { errorcode: 432 } });
  });

  it('creates, registers, lists and deletes SSH key pairs; a taken name is refused with 431', async () => {
    const key = openSshPublicKey('cs test ~key');
    const outcomes = await csCalls(running.endpoint, running.tenant, [
      { command: 'createSSHKeyPair', params: { name: 'cs-made' } },
      { command: 'registerSSHKeyPair', params: { name: 'cs-registered', publickey: key.line } },
      { command: 'listSSHKeyPairs' },
      { command: 'listSSHKeyPairs', params: { name: 'cs-registered' } },
      { command: 'createSSHKeyPair', params: { name: 'cs-made' } },
      { command: 'deleteSSHKeyPair', params: { name: 'cs-made' } },
      { command: 'deleteSSHKeyPair', params: { name: 'cs-registered' } },
      { command: 'listSSHKeyPairs' },
      { command: 'deleteSSHKeyPair', params: { name: 'cs-made' } },
    ]);
    const [created, registered, listed, byName, taken, deleteMade, deleteRegistered, after, deleteAgain] = outcomes;
    const made = created?.reply?.keypair as { name: string; fingerprint: string; privatekey: string } | undefined;
    expect(made?.name).toBe('cs-made');
    expect(made?.fingerprint).toMatch(/^([0-9a-f]{2}:){15}[0-9a-f]{2}$/);
    expect(made?.privatekey).toMatch(/^-----BEGIN (RSA )?PRIVATE KEY-----/);
    expect(registered).toEqual({ status: 200, reply: { keypair: { name: 'cs-registered', fingerprint: key.fingerprint } } });
    expect(listed?.reply).toEqual({
      count: 2,
      sshkeypair: expect.arrayContaining([
        { name: 'cs-made', fingerprint: made?.fingerprint },
        { name: 'cs-registered', fingerprint: key.fingerprint },
      ]) as unknown,
    });
    expect(byName?.reply).toEqual({ count: 1, sshkeypair: [{ name: 'cs-registered', fingerprint: key.fingerprint }] });
    expect(taken).toMatchObject({ status: 431, error: { errorcode: 431 } });
    expect(deleteMade).toEqual({ status: 200, reply: { success: 'true' } });
    expect(deleteRegistered).toEqual({ status: 200, reply: { success: 'true' } });
    expect(after).toEqual({ status: 200, reply: {} });
    expect(deleteAgain?.status).toBe(431);
  });

  it('fetch_result=True polls queryAsyncJobResult to the job result (jobresultcode 0), and reports a failed job', async () => {
    const hosts = await running.server.cloud.system.hosts.list({});
    const host = hosts.find((h) => h.type === 'Routing' && h.name === 'advanced-cluster-host1');
    const other = hosts.find((h) => h.type === 'Routing' && h.name === 'advanced-cluster-host2');
    expect(host).toBeDefined();
    const id = host?.id ?? '';
    const [accepted, reconnected, maintenance, again, cancelled] = await csCalls(running.endpoint, running.admin, [
      { command: 'reconnectHost', params: { id: other?.id ?? '' } },
      { command: 'reconnectHost', params: { id, fetch_result: true } },
      { command: 'prepareHostForMaintenance', params: { id, fetch_result: true } },
      { command: 'prepareHostForMaintenance', params: { id, fetch_result: true } },
      { command: 'cancelHostMaintenance', params: { id, fetch_result: true } },
    ]);
    expect(accepted?.status).toBe(200);
    expect(accepted?.reply?.jobid).toMatch(/^[0-9a-f-]{36}$/);
    expect(reconnected).toMatchObject({ status: 200, reply: { host: { id, name: 'advanced-cluster-host1', state: 'Up', resourcestate: 'Enabled' } } });
    expect(maintenance?.status).toBe(200);
    expect(['PrepareForMaintenance', 'Maintenance']).toContain((maintenance?.reply?.host as { resourcestate?: string } | undefined)?.resourcestate);
    // cs raises "Job failure" carrying the jobresult (errorcode, errortext) of a job that ended with jobstatus 2.
    expect(again).toMatchObject({ status: 200, message: 'Job failure', error: { errorcode: expect.any(Number) as unknown } });
    expect(again?.error?.errortext).toMatch(/advanced-cluster-host1 cannot move from .*Maintenance/);
    expect(cancelled).toMatchObject({ status: 200, reply: { host: { id, resourcestate: 'Enabled' } } });
  });

  it('signs with keys that registerUserKeys issued to an account made through the API, until the account is deleted', async () => {
    const admin = (calls: readonly CsCall[]) => csCalls(running.endpoint, running.admin, calls);
    const [domain] = await admin([{ command: 'createDomain', params: { name: 'cs-made' } }]);
    const domainId = (domain?.reply?.domain as { id: string } | undefined)?.id ?? '';
    const [account] = await admin([
      { command: 'createAccount', params: { accounttype: 0, username: 'cs-user', password: 'cs-password', firstname: 'C', lastname: 'S', email: 'cs@example.org', domainid: domainId } },
    ]);
    const made = account?.reply?.account as { id: string; name: string; user: { id: string; username: string }[] } | undefined;
    expect(made).toMatchObject({ name: 'cs-user', user: [{ username: 'cs-user' }] });
    const [keys] = await admin([{ command: 'registerUserKeys', params: { id: made?.user[0]?.id ?? '' } }]);
    const issued = keys?.reply?.userkeys as { apikey: string; secretkey: string } | undefined;
    expect(issued?.apikey.length).toBeGreaterThan(20);
    expect(issued?.secretkey.length).toBeGreaterThan(20);

    const user: Credentials = { apiKey: issued?.apikey ?? '', secretKey: issued?.secretkey ?? '', userId: made?.user[0]?.id ?? '' };
    const [own, zones] = await csCalls(running.endpoint, user, [{ command: 'listAccounts' }, { command: 'listZones' }]);
    expect(own?.reply).toMatchObject({ count: 1, account: [{ id: made?.id, name: 'cs-user', domain: 'cs-made' }] });
    expect(zones?.reply?.count).toBe(2);

    const [deleted, domainDeleted] = await admin([
      { command: 'deleteAccount', params: { id: made?.id ?? '', fetch_result: true } },
      { command: 'deleteDomain', params: { id: domainId, fetch_result: true } },
    ]);
    expect(deleted).toEqual({ status: 200, reply: { success: true } });
    expect(domainDeleted).toEqual({ status: 200, reply: { success: true } });
    const [afterDelete] = await csCalls(running.endpoint, user, [{ command: 'listZones' }]);
    expect(afterDelete).toMatchObject({ status: 401, error: { errorcode: 401 } });
  });
});
