import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { ApiResponse, CloudStackApi } from '../src/index.js';
import { ADMIN, USER } from './support/test-authenticator.js';
import { apiFixture, get, signedQuery } from './support/api-fixture.js';

function form(fields: Record<string, string>): string {
  return new URLSearchParams(fields).toString();
}

async function login(api: CloudStackApi, fields: Record<string, string>, cookie?: string): Promise<ApiResponse> {
  return api.handle({
    method: 'POST',
    path: '/client/api',
    query: '',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...(cookie === undefined ? {} : { cookie }) },
    body: form({ command: 'login', response: 'json', ...fields }),
  });
}

function cookieOf(response: ApiResponse): string {
  const header = response.headers['set-cookie'];
  const first = typeof header === 'string' ? header : header?.[0];
  const m = /^(JSESSIONID=[0-9A-F]+); Path=\/client; HttpOnly$/.exec(first ?? '');
  expect(m).not.toBeNull();
  return (m as RegExpExecArray)[1] as string;
}

function body(response: ApiResponse): Record<string, Record<string, unknown>> {
  return JSON.parse(response.body) as Record<string, Record<string, unknown>>;
}

describe('session login (§1.3)', () => {
  it('logs in with the plain password and answers every field as a string, with a JSESSIONID cookie', async () => {
    const { api } = await apiFixture();
    const response = await login(api, { username: 'admin', password: 'password', domain: '/' });
    expect(response.status).toBe(200);
    cookieOf(response);
    const reply = body(response).loginresponse ?? {};
    expect(reply).toMatchObject({
      timeout: '1800',
      userid: ADMIN.caller.userId,
      domainid: ADMIN.caller.domainId,
      username: 'admin',
      firstname: 'admin',
      lastname: 'Tester',
      account: 'admin',
      type: '1',
      registered: 'false',
      timezone: 'America/New_York',
      timezoneoffset: '-5.0',
    });
    expect(Object.values(reply).every((v) => typeof v === 'string')).toBe(true);
    expect(Buffer.from(String(reply.sessionkey), 'base64')).toHaveLength(20);
  });

  it('accepts the MD5 hex of the password too, and uses ROOT when no domain is named', async () => {
    const { api } = await apiFixture();
    const md5 = createHash('md5').update('password').digest('hex');
    expect((await login(api, { username: 'admin', password: md5 })).status).toBe(200);
  });

  it('normalises the domain path: child becomes /child/', async () => {
    const { api } = await apiFixture();
    const response = await login(api, { username: 'alice', password: 'alice-secret', domain: 'child' });
    expect(response.status).toBe(200);
    expect(body(response).loginresponse).toMatchObject({ type: '0', account: 'alice-account' });
    expect(body(response).loginresponse?.timezone).toBeUndefined();
  });

  it('refuses bad credentials with 531 errorresponse and an unknown domain likewise', async () => {
    const { api } = await apiFixture();
    const response = await login(api, { username: 'admin', password: 'wrong', domain: '/' });
    expect(response.status).toBe(531);
    expect(body(response)).toEqual({
      errorresponse: { errorcode: 531, errortext: 'Failed to authenticate user admin in domain /; please provide valid credentials' },
    });
    expect(response.headers['set-cookie']).toBeUndefined();
    expect((await login(api, { username: 'alice', password: 'alice-secret', domain: '/nowhere/' })).status).toBe(531);
  });

  it("answers with the authenticator's own refusal when it throws one (a disabled user)", async () => {
    const { api } = await apiFixture();
    const response = await login(api, { username: 'mallory', password: 'alice-secret', domain: '/child/' });
    expect(response.status).toBe(531);
    expect(body(response)).toEqual({
      errorresponse: { errorcode: 531, errortext: 'User mallory in domain /child/ is disabled or locked, or its account is; please contact an administrator' },
    });
  });

  it('answers a malformed domain id with 401', async () => {
    const { api } = await apiFixture();
    const response = await login(api, { username: 'admin', password: 'password', domainId: 'not-an-id' });
    expect(response.status).toBe(401);
    expect(Object.keys(body(response))).toEqual(['errorresponse']);
  });

  it('answers the login in XML with the ISO-8859-1 header when response is not json', async () => {
    const { api } = await apiFixture();
    const response = await api.handle(get(form({ command: 'login', username: 'admin', password: 'password' })));
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('text/xml; charset=UTF-8');
    expect(response.body).toMatch(/^<\?xml version="1.0" encoding="ISO-8859-1"\?><loginresponse cloud-stack-version="4.1.0"><timeout>1800<\/timeout><userid>/);
  });
});

describe('requests in a session', () => {
  async function session(api: CloudStackApi, user = ADMIN): Promise<{ cookie: string; key: string }> {
    const response = await login(api, { username: user.username, password: user.password, domain: user.domainPath });
    return { cookie: cookieOf(response), key: String(body(response).loginresponse?.sessionkey) };
  }

  it('runs unsigned commands with the cookie and the sessionkey', async () => {
    const { api } = await apiFixture();
    const { cookie, key } = await session(api);
    const response = await api.handle(get(form({ command: 'listCapabilities', response: 'json', sessionkey: key }), { cookie: `other=1; ${cookie}` }));
    expect(response.status).toBe(200);
    expect(body(response).listcapabilitiesresponse?.capability).toBeDefined();
  });

  it('refuses a missing or wrong sessionkey with 401 and ends the session, even with a valid signature', async () => {
    const { api } = await apiFixture();
    const { cookie, key } = await session(api);
    const signed = await api.handle(get(signedQuery({ command: 'listEvents', response: 'json' }), { cookie }));
    expect(signed.status).toBe(401);
    expect(body(signed)).toEqual({ listeventsresponse: { errorcode: 401, errortext: 'unable to verify user credentials' } });
    // The session is gone: the right key no longer works, and the signed request now passes on its own.
    expect((await api.handle(get(form({ command: 'listEvents', response: 'json', sessionkey: key }), { cookie }))).status).toBe(401);
    expect((await api.handle(get(signedQuery({ command: 'listEvents', response: 'json' }), { cookie }))).status).toBe(200);
  });

  it('answers 400 when a live session sends no command', async () => {
    const { api } = await apiFixture();
    const { cookie, key } = await session(api);
    const response = await api.handle(get(form({ response: 'json', sessionkey: key }), { cookie }));
    expect(response.status).toBe(400);
    expect(body(response)).toEqual({ errorresponse: { errorcode: 400, errortext: 'no command specified' } });
  });

  it('still checks the role: a user session gets 432 for an admin command', async () => {
    const { api } = await apiFixture();
    const { cookie, key } = await session(api, USER);
    const response = await api.handle(get(form({ command: 'listConfigurations', response: 'json', sessionkey: key }), { cookie }));
    expect(response.status).toBe(432);
    expect(Object.keys(body(response))).toEqual(['errorresponse']);
  });

  it('logs out: success reply, and the session no longer authenticates', async () => {
    const { api } = await apiFixture();
    const { cookie, key } = await session(api);
    const logout = await api.handle(get(form({ command: 'logout', response: 'json' }), { cookie }));
    expect(logout.status).toBe(200);
    expect(body(logout)).toEqual({ logoutresponse: { description: 'success' } });
    expect(api.sessions.size).toBe(0);
    const after = await api.handle(get(form({ command: 'listEvents', response: 'json', sessionkey: key }), { cookie }));
    expect(after.status).toBe(401);
    expect(body(after).listeventsresponse?.errortext).toBe('unable to verify user credentials and/or request signature');
  });

  it('ends a session after its idle timeout on the cloud clock', async () => {
    const { api, clock } = await apiFixture({ sessionTimeoutSeconds: 60 });
    const { cookie, key } = await session(api);
    clock.advance(59_000);
    expect((await api.handle(get(form({ command: 'listEvents', response: 'json', sessionkey: key }), { cookie }))).status).toBe(200);
    clock.advance(61_000);
    expect((await api.handle(get(form({ command: 'listEvents', response: 'json', sessionkey: key }), { cookie }))).status).toBe(401);
  });

  it('replaces the session of the cookie on a new login', async () => {
    const { api } = await apiFixture();
    const first = await session(api);
    const again = await login(api, { username: 'admin', password: 'password' }, first.cookie);
    expect(cookieOf(again)).not.toBe(first.cookie);
    expect(api.sessions.size).toBe(1);
  });
});
