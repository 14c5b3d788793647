import { request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createApiServer, startIntegrationServer } from '../src/index.js';
import { apiFixture, signedQuery } from './support/api-fixture.js';

interface Reply {
  status: number;
  statusMessage: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function send(port: number, method: string, path: string, body?: string, headers: Record<string, string> = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, method, path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, statusMessage: res.statusMessage ?? '', headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

describe('node:http adapter', () => {
  it('answers a signed GET over real HTTP on an ephemeral loopback port', async () => {
    const { api } = await apiFixture();
    const server = createApiServer(api);
    servers.push(server);
    const port = await listen(server);
    const reply = await send(port, 'GET', `/client/api?${signedQuery({ command: 'listCapabilities', response: 'json' })}`);
    expect(reply.status).toBe(200);
    expect(reply.headers['content-type']).toBe('text/javascript; charset=UTF-8');
    expect(JSON.parse(reply.body)).toMatchObject({ listcapabilitiesresponse: { capability: { cloudstackversion: '4.1.0' } } });
  });

  it('reads a POST form body, sets the session cookie on login and answers errors with their code as status', async () => {
    const { api } = await apiFixture();
    const server = createApiServer(api);
    servers.push(server);
    const port = await listen(server);
    const login = await send(port, 'POST', '/client/api', 'command=login&username=admin&password=password&response=json', {
      'content-type': 'application/x-www-form-urlencoded',
    });
    expect(login.status).toBe(200);
    expect(String(login.headers['set-cookie'])).toMatch(/^JSESSIONID=[0-9A-F]{32}; Path=\/client; HttpOnly$/);
    const unknown = await send(port, 'GET', '/client/api?command=nothing&response=json');
    expect(unknown.status).toBe(432);
    expect(JSON.parse(unknown.body)).toMatchObject({ errorresponse: { errorcode: 432 } });
  });
});

describe('integration port (§1.4)', () => {
  it('is off unless integration.api.port is set', async () => {
    const { api } = await apiFixture();
    expect(await api.integrationPort()).toBeUndefined();
    expect(await startIntegrationServer(api)).toBeUndefined();
  });

  it('reads the configured port, binds loopback, runs commands as SYSTEM without auth, and ignores POST bodies', async () => {
    const { api, cloud } = await apiFixture();
    await cloud.system.config.update({ name: 'integration.api.port', value: '8096' });
    expect(await api.integrationPort()).toBe(8096);
    const server = await startIntegrationServer(api, { port: 0 });
    expect(server).toBeDefined();
    servers.push(server as Server);
    const address = (server as Server).address() as AddressInfo;
    expect(address.address).toBe('127.0.0.1');
    const reply = await send(address.port, 'GET', '/?command=listConfigurations&name=integration.api.port&response=json');
    expect(reply.status).toBe(200);
    expect(JSON.parse(reply.body)).toMatchObject({ listconfigurationsresponse: { count: 1, configuration: [{ value: '8096' }] } });
    const post = await send(address.port, 'POST', '/', 'command=listCapabilities&response=json', { 'content-type': 'application/x-www-form-urlencoded' });
    expect(post.status).toBe(432);
  });

  it('answers XML unless response is exactly json, and puts the error text in the reason phrase', async () => {
    const { api } = await apiFixture();
    const server = await startIntegrationServer(api, { port: 0 });
    servers.push(server as Server);
    const port = ((server as Server).address() as AddressInfo).port;
    const upper = await send(port, 'GET', '/?command=listCapabilities&response=JSON');
    expect(upper.headers['content-type']).toBe('text/xml; charset=UTF-8');
    expect(upper.body).toMatch(/<listcapabilitiesresponse cloud-stack-version="4.1.0"><capability>/);
    const missing = await send(port, 'GET', '/?command=queryAsyncJobResult&response=json');
    expect(missing.status).toBe(431);
    expect(missing.statusMessage).toBe('Unable to execute API command queryasyncjobresult due to missing parameter jobid');
  });
});
