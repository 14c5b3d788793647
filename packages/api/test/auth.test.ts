import { describe, expect, it } from 'vitest';
import { SYSTEM } from '@cloudstack-sdk/core';
import type { RequestLogEntry } from '../src/index.js';
import { ADMIN, DISABLED, USER } from './support/test-authenticator.js';
import { apiFixture, callJson, expiresAt, get, signedQuery } from './support/api-fixture.js';

function json(body: string): Record<string, Record<string, unknown>> {
  return JSON.parse(body) as Record<string, Record<string, unknown>>;
}

describe('API-key authentication through handle()', () => {
  it('answers a signed request signed as cs signs it', async () => {
    const { api } = await apiFixture();
    const { response, json: body } = await callJson(api, { command: 'listCapabilities' });
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('text/javascript; charset=UTF-8');
    expect(body.listcapabilitiesresponse?.capability).toMatchObject({ cloudstackversion: '4.1.0' });
  });

  it('accepts libcloud-style signing (lower-cased name order, [ ] and ~ unencoded)', async () => {
    const { api } = await apiFixture();
    const response = await api.handle(get(signedQuery({ command: 'listEvents', response: 'json', keyword: 'a~b[1]', Zebra: 'x' }, ADMIN, 'libcloud')));
    expect(response.status).toBe(200);
    expect(json(response.body)).toEqual({ listeventsresponse: {} });
  });

  it('accepts cs-style signing of a value with ~ and spaces', async () => {
    const { api } = await apiFixture();
    const response = await api.handle(get(signedQuery({ command: 'listEvents', response: 'json', keyword: 'web 01 ~x*' })));
    expect(response.status).toBe(200);
  });

  it('answers a wrong signature with 401 under the response name, without cserrorcode', async () => {
    const { api } = await apiFixture();
    const query = signedQuery({ command: 'listEvents', response: 'json' }).replace(/signature=[^&]+/, 'signature=AAAAAAAAAAAAAAAAAAAAAAAAAAA%3D');
    const response = await api.handle(get(query));
    expect(response.status).toBe(401);
    expect(json(response.body)).toEqual({ listeventsresponse: { errorcode: 401, errortext: 'unable to verify user credentials and/or request signature' } });
    expect(response.headers['x-description']).toBe('unable to verify user credentials and/or request signature');
  });

  it('answers a request whose signed value was changed with 401', async () => {
    const { api } = await apiFixture();
    const query = signedQuery({ command: 'listEvents', response: 'json', keyword: 'abc' }).replace('keyword=abc', 'keyword=abd');
    expect((await api.handle(get(query))).status).toBe(401);
  });

  it('answers a missing signature, a missing or unknown apiKey, a disabled user and a missing command with 401', async () => {
    const { api } = await apiFixture();
    expect((await api.handle(get('command=listEvents&response=json&apiKey=TestApiKey-abcdef'))).status).toBe(401);
    expect((await api.handle(get('command=listEvents&response=json&signature=abc'))).status).toBe(401);
    const unknownKey = signedQuery({ command: 'listEvents', response: 'json' }, { ...ADMIN, apiKey: 'nobody' });
    expect((await api.handle(get(unknownKey))).status).toBe(401);
    expect((await api.handle(get(signedQuery({ command: 'listEvents', response: 'json' }, DISABLED)))).status).toBe(401);
    const noCommand = await api.handle(get(signedQuery({ response: 'json' })));
    expect(noCommand.status).toBe(401);
    expect(json(noCommand.body)).toEqual({ errorresponse: { errorcode: 401, errortext: 'unable to verify user credentials and/or request signature' } });
  });

  it('matches the apiKey parameter name in any case', async () => {
    const { api } = await apiFixture();
    const query = signedQuery({ command: 'listEvents', response: 'json' }).replace('apiKey=', 'APIKEY=');
    // The name is part of the string to sign, and the whole string is lower-cased, so the signature still holds.
    expect((await api.handle(get(query))).status).toBe(200);
  });
});

describe('signature version 3', () => {
  it('accepts a future expires and refuses a stale one with 401', async () => {
    const { api, clock } = await apiFixture();
    const fresh = signedQuery({ command: 'listEvents', response: 'json', signatureVersion: '3', expires: expiresAt(clock.now() + 600_000) });
    expect((await api.handle(get(fresh))).status).toBe(200);
    clock.advance(601_000);
    const stale = await api.handle(get(fresh));
    expect(stale.status).toBe(401);
    expect(json(stale.body)).toEqual({ listeventsresponse: { errorcode: 401, errortext: 'unable to verify user credentials and/or request signature' } });
  });

  it('needs a parseable expires; accepts Z and +00:00', async () => {
    const { api, clock } = await apiFixture();
    const missing = signedQuery({ command: 'listEvents', response: 'json', signatureVersion: '3' });
    expect((await api.handle(get(missing))).status).toBe(401);
    const garbage = signedQuery({ command: 'listEvents', response: 'json', signatureVersion: '3', expires: 'tomorrow' });
    expect((await api.handle(get(garbage))).status).toBe(401);
    const iso = new Date(clock.now() + 60_000).toISOString().slice(0, 19);
    for (const expires of [`${iso}Z`, `${iso}+00:00`]) {
      const response = await api.handle(get(signedQuery({ command: 'listEvents', response: 'json', signatureVersion: '3', expires })));
      expect(response.status).toBe(200);
    }
  });

  it('lets signatures without version 3 never expire', async () => {
    const { api, clock } = await apiFixture();
    const query = signedQuery({ command: 'listEvents', response: 'json', expires: expiresAt(clock.now() - 1000) });
    expect((await api.handle(get(query))).status).toBe(200);
  });
});

describe('command resolution and permission', () => {
  it('answers an unknown command with 432 errorresponse before checking the signature', async () => {
    const { api } = await apiFixture();
    const response = await api.handle(get('command=noSuchCommand&response=json&apiKey=x&signature=y'));
    expect(response.status).toBe(432);
    expect(json(response.body)).toEqual({
      errorresponse: { errorcode: 432, cserrorcode: 9999, errortext: 'The given command does not exist or it is not available for user' },
    });
  });

  it('matches command names case-sensitively: listevents is unknown', async () => {
    const { api } = await apiFixture();
    expect((await api.handle(get(signedQuery({ command: 'listevents', response: 'json' })))).status).toBe(432);
  });

  it('answers a 4.1 command that is not implemented yet with 432, never a fake success', async () => {
    const { api } = await apiFixture();
    for (const command of ['listProjects', 'createProject', 'listVPCs']) {
      const response = await api.handle(get(signedQuery({ command, response: 'json' })));
      expect(response.status).toBe(432);
      expect(Object.keys(json(response.body))).toEqual(['errorresponse']);
    }
  });

  it('answers a command the role may not run with 432 errorresponse', async () => {
    const { api } = await apiFixture();
    const { response, json: body } = await callJson(api, { command: 'listConfigurations' }, USER);
    expect(response.status).toBe(432);
    expect(body).toEqual({ errorresponse: { errorcode: 432, cserrorcode: 9999, errortext: 'The given command does not exist or it is not available for user' } });
  });

  it('checks the role before the signature: a denied command with a bad signature is still 432', async () => {
    const { api } = await apiFixture();
    const query = signedQuery({ command: 'updateConfiguration', response: 'json', name: 'x' }, USER).replace(/signature=[^&]+/, 'signature=bad');
    expect((await api.handle(get(query))).status).toBe(432);
  });
});

describe('parameters', () => {
  it('answers a bad parameter value with 431 under the response name', async () => {
    const { api } = await apiFixture();
    const { response, json: body } = await callJson(api, { command: 'listEvents', page: 'abc', pagesize: '10' });
    expect(response.status).toBe(431);
    expect(body.listeventsresponse).toMatchObject({ errorcode: 431, cserrorcode: 4350 });
    expect(String(body.listeventsresponse?.errortext)).toMatch(/^Invalid parameter page value=abc due to incorrect long value format/);
  });

  it('answers a missing required parameter with 431 naming the command and parameter', async () => {
    const { api } = await apiFixture();
    const { response, json: body } = await callJson(api, { command: 'queryAsyncJobResult' });
    expect(response.status).toBe(431);
    expect(body).toEqual({
      queryasyncjobresultresponse: { errorcode: 431, cserrorcode: 9999, errortext: 'Unable to execute API command queryasyncjobresult due to missing parameter jobid' },
    });
  });

  it('answers page without pagesize and a pagesize above default.page.size with 431', async () => {
    const { api } = await apiFixture();
    const pageOnly = await callJson(api, { command: 'listEvents', page: '1' });
    expect(pageOnly.response.status).toBe(431);
    expect(String(pageOnly.json.listeventsresponse?.errortext)).toMatch(/"pagesize" parameter is required when "page" is specified/);
    const tooBig = await callJson(api, { command: 'listEvents', page: '1', pagesize: '501' });
    expect(tooBig.response.status).toBe(431);
    expect(String(tooBig.json.listeventsresponse?.errortext)).toMatch(/Page size can't exceed max allowed page size value: 500/);
  });

  it('answers a value with a control character with 431', async () => {
    const { api } = await apiFixture();
    const { response, json: body } = await callJson(api, { command: 'listEvents', keyword: 'a\u0001b' });
    expect(response.status).toBe(431);
    expect(String(body.listeventsresponse?.errortext)).toMatch(/illegal ASCII non-printable characters/);
  });

  it('matches parameter names in any case, ignores unknown ones and reads booleans in any case', async () => {
    const { api } = await apiFixture();
    const { response, json: body } = await callJson(api, { command: 'listConfigurations', NAME: 'default.page.size', rootdisksize: '10', listAll: 'TRUE' });
    expect(response.status).toBe(200);
    expect(body.listconfigurationsresponse).toMatchObject({ count: 1, configuration: [{ name: 'default.page.size', value: '500' }] });
  });

  it('merges a POST form body with the query string, + read as a space', async () => {
    const { api } = await apiFixture();
    const signed = new URLSearchParams(signedQuery({ command: 'listConfigurations', response: 'json', name: 'default.page.size', keyword: 'per page' }));
    const query = new URLSearchParams({ command: signed.get('command') ?? '', response: 'json' });
    signed.delete('command');
    signed.delete('response');
    const response = await api.handle({
      method: 'POST',
      path: '/client/api',
      query: query.toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: signed.toString(),
    });
    expect(signed.toString()).toContain('keyword=per+page');
    expect(response.status).toBe(200);
    expect(json(response.body).listconfigurationsresponse).toMatchObject({ count: 1 });
  });
});

describe('request log', () => {
  it('reports each request once with its command, caller, status and duration', async () => {
    const entries: RequestLogEntry[] = [];
    const { api } = await apiFixture({ onRequest: (entry) => entries.push(entry) });
    await callJson(api, { command: 'listEvents' });
    await api.handle(get('command=noSuchCommand'));
    await api.handleIntegration(get('command=listCapabilities'));
    expect(entries).toEqual([
      { transport: 'api', command: 'listEvents', userId: ADMIN.caller.userId, status: 200, durationMs: 0 },
      { transport: 'api', command: 'noSuchCommand', status: 432, durationMs: 0 },
      { transport: 'integration', command: 'listCapabilities', userId: SYSTEM.userId, status: 200, durationMs: 0 },
    ]);
  });
});
