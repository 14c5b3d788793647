import { createHmac, randomBytes } from 'node:crypto';
import { createServer, type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startManagementServer, type ManagementServer } from '../src/management-server.js';
import { readServerConfig, type ServerConfig } from '../src/server-config.js';
import type { LogFields, ServerLog } from '../src/log.js';
import { DEMO_TEMPLATE_NAME } from '../src/demo-template.js';

/** A log that keeps its lines for assertions. */
function memoryLog(): ServerLog & { lines: { level: string; message: string; fields: LogFields }[] } {
  const lines: { level: string; message: string; fields: LogFields }[] = [];
  const entry = (level: string) => (message: string, fields: LogFields = {}) => lines.push({ level, message, fields });
  return { lines, info: entry('info'), warn: entry('warn'), error: entry('error') };
}

/** Signs like a CloudStack client (cs, Libcloud): sorted, URL-encoded, lower-cased, HMAC-SHA1. */
function signedQuery(params: Record<string, string>, apiKey: string, secretKey: string): string {
  const all = { ...params, apiKey, response: 'json' };
  const encoded = Object.keys(all)
    .sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase()))
    .map((k) => `${k}=${encodeURIComponent(all[k as keyof typeof all]).replace(/%20/g, '+')}`)
    .join('&');
  const signature = createHmac('sha1', secretKey).update(encoded.toLowerCase()).digest('base64');
  return `${encoded}&signature=${encodeURIComponent(signature)}`;
}

/** A TCP port nothing listens on right now (asked of the kernel on 127.0.0.1). */
async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

const config = (overrides: Partial<ServerConfig> = {}): ServerConfig => ({
  port: 0,
  host: '127.0.0.1',
  databaseUrl: undefined,
  integrationPort: undefined,
  secretKey: randomBytes(32).toString('base64'),
  secretKeyGenerated: false,
  hypervisors: ['Simulator'],
  demo: true,
  serverId: 'ms-test',
  ...overrides,
});

describe('example management server (memory store + simulator, DEMO=1)', () => {
  let server: ManagementServer;
  const log = memoryLog();

  beforeAll(async () => {
    server = await startManagementServer(config(), log);
  }, 60_000);
  afterAll(async () => {
    await server.close();
  });

  it('builds the demo zones on the simulator and a demo tenant with API keys', async () => {
    const names = (await server.cloud.system.zones.list({})).map((z) => z.name);
    expect(names).toEqual(expect.arrayContaining(['demo-basic', 'demo-advanced']));
    expect(server.demoTenant).toMatchObject({ domainPath: '/Demo/', username: 'demo' });
    expect(server.demoTenant?.apiKey.length).toBeGreaterThan(20);
  });

  it('registers a featured demo template, downloaded in both zones, that the demo tenant can deploy', async () => {
    const tenant = server.demoTenant!;
    const owner = await server.cloud.system.authentication.byApiKey(tenant.apiKey);
    const user = server.cloud.as(owner.caller);
    const templates = (await user.templates.list({ templateFilter: 'featured' })).items;
    const demo = templates.filter((t) => t.name === DEMO_TEMPLATE_NAME);
    expect(demo.map((t) => t.status)).toEqual(['Download Complete', 'Download Complete']);
    const [basic] = (await server.cloud.system.zones.list({ name: 'demo-basic' }));
    const [small] = (await user.serviceOfferings.list({ name: 'Small Instance' })).items;
    const vm = await user.vms.deploy({ zoneId: basic!.id, serviceOfferingId: small!.id, templateId: demo[0]!.id, displayName: 'first' });
    expect(vm).toMatchObject({ state: 'Running', zoneId: basic!.id });
    await user.vms.destroy({ id: vm.id });
  });

  it('answers signed requests from the demo tenant, and refuses it root-admin commands with 432', async () => {
    const { apiKey, secretKey } = server.demoTenant!;
    const ok = await fetch(`${server.endpoint}?${signedQuery({ command: 'listCapabilities' }, apiKey, secretKey)}`);
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toBe('text/javascript; charset=UTF-8');
    const body = (await ok.json()) as { listcapabilitiesresponse: { capability: { cloudstackversion: string } } };
    expect(body.listcapabilitiesresponse.capability.cloudstackversion).toBe('4.1.0');
    const denied = await fetch(`${server.endpoint}?${signedQuery({ command: 'updateConfiguration', name: 'ha.tag', value: 'x' }, apiKey, secretKey)}`);
    expect(denied.status).toBe(432);
    expect(await denied.json()).toMatchObject({ errorresponse: { errorcode: 432 } });
    const forged = await fetch(`${server.endpoint}?${signedQuery({ command: 'listCapabilities' }, apiKey, 'not-the-secret')}`);
    expect(forged.status).toBe(401);
  });

  it('logs the install-default admin in with a session and serves it with the session key', async () => {
    const login = await fetch(server.endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'command=login&username=admin&password=password&domain=%2F&response=json',
    });
    expect(login.status).toBe(200);
    const cookie = login.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/JSESSIONID=/);
    const { loginresponse } = (await login.json()) as { loginresponse: { sessionkey: string; type: string } };
    expect(loginresponse.type).toBe('1');
    const listed = await fetch(`${server.endpoint}?command=listConfigurations&name=expunge.delay&response=json&sessionkey=${encodeURIComponent(loginresponse.sessionkey)}`, {
      headers: { cookie: cookie.split(';')[0]! },
    });
    expect(listed.status).toBe(200);
    expect(await listed.json()).toMatchObject({ listconfigurationsresponse: { count: 1, configuration: [{ name: 'expunge.delay', value: '60' }] } });
  });

  it('writes one structured log line per request with command, caller, status and duration', () => {
    const requests = log.lines.filter((l) => l.message === 'request');
    expect(requests.length).toBeGreaterThanOrEqual(4);
    const denied = requests.find((l) => l.fields.command === 'updateConfiguration');
    expect(denied?.fields).toMatchObject({ transport: 'api', status: 432 });
    expect(typeof denied?.fields.durationMs).toBe('number');
    expect(typeof denied?.fields.userId).toBe('string');
    expect(log.lines.some((l) => l.message === 'management server started')).toBe(true);
  });
});

describe('example management server options', () => {
  it('serves the unauthenticated integration port on 127.0.0.1 only when configured, acting as SYSTEM', async () => {
    const off = await startManagementServer(config({ demo: false }), memoryLog());
    expect(off.integrationEndpoint).toBeUndefined();
    await off.close();
    const on = await startManagementServer(config({ demo: false, integrationPort: await freePort() }), memoryLog());
    expect(on.integrationEndpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/client\/api$/);
    const reply = await fetch(`${on.integrationEndpoint}?command=listConfigurations&name=default.page.size&response=json`);
    expect(reply.status).toBe(200);
    expect(await reply.json()).toMatchObject({ listconfigurationsresponse: { configuration: [{ name: 'default.page.size', value: '500' }] } });
    await on.close();
  });

  it('reads its configuration from the environment and names a bad variable', () => {
    expect(readServerConfig({})).toMatchObject({ port: 8080, databaseUrl: undefined, integrationPort: undefined, hypervisors: ['Simulator'], demo: false, secretKeyGenerated: true });
    expect(readServerConfig({ PORT: '9090', DEMO: '1', HYPERVISORS: 'Simulator,KVM', INTEGRATION_API_PORT: '8096' })).toMatchObject({
      port: 9090,
      demo: true,
      hypervisors: ['Simulator', 'KVM'],
      integrationPort: 8096,
    });
    expect(() => readServerConfig({ PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => readServerConfig({ HYPERVISORS: 'Hyper-V' })).toThrow(/HYPERVISORS/);
    expect(() => readServerConfig({ DATABASE_URL: 'mysql://root@127.0.0.1/x' })).toThrow(/CLOUD_SECRET_KEY/);
    expect(() => readServerConfig({ DATABASE_URL: 'postgres://x' })).toThrow(/DATABASE_URL/);
  });

  it('refuses a hypervisor type that has no driver yet, naming HYPERVISORS', async () => {
    await expect(startManagementServer(config({ demo: false, hypervisors: ['XenServer'] }), memoryLog())).rejects.toMatchObject({ param: 'HYPERVISORS' });
  });
});
