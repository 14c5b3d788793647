import { EventRecorder, JobRunner } from '@cloudstack-sdk/core';
import { describe, expect, it } from 'vitest';
import { ADMIN, USER } from './support/test-authenticator.js';
import { apiFixture, callJson, get } from './support/api-fixture.js';

describe('account scoping of lists (§2.5)', () => {
  it("shows an admin only its own account's events unless listall=true; a user never sees others'", async () => {
    const { api, cloud } = await apiFixture();
    const recorder = cloud.container.resolve(EventRecorder);
    await cloud.store.transaction(async (tx) => {
      await recorder.record(tx, ADMIN.caller, { type: 'USER.LOGIN', description: 'admin logged in' });
      await recorder.record(tx, USER.caller, { type: 'USER.LOGIN', description: 'alice logged in' });
    });
    const own = await callJson(api, { command: 'listEvents' });
    expect(own.json.listeventsresponse).toMatchObject({ count: 1, event: [{ description: 'admin logged in' }] });
    const all = await callJson(api, { command: 'listEvents', listall: 'True' });
    expect(all.json.listeventsresponse?.count).toBe(2);
    const user = await callJson(api, { command: 'listEvents', listall: 'true' }, USER);
    expect(user.json.listeventsresponse).toMatchObject({ count: 1, event: [{ description: 'alice logged in' }] });
    const [event] = all.json.listeventsresponse?.event as { id: string }[];
    const byId = await callJson(api, { command: 'listEvents', id: String(event?.id), listall: 'true' });
    expect(byId.json.listeventsresponse?.count).toBe(1);
  });

  it("shows an admin other accounts' jobs with listall=true", async () => {
    const { api, cloud } = await apiFixture();
    const runner = cloud.container.resolve(JobRunner);
    await runner.submit(USER.caller, { command: 'a' }, async () => undefined);
    await runner.drain();
    expect((await callJson(api, { command: 'listAsyncJobs' })).json).toEqual({ listasyncjobsresponse: {} });
    expect((await callJson(api, { command: 'listAsyncJobs', listall: 'true' })).json.listasyncjobsresponse).toMatchObject({ count: 1, asyncjobs: [{ cmd: 'a' }] });
  });

  it('runs integration-port lists as SYSTEM: only the SYSTEM account without listall', async () => {
    const { api, cloud } = await apiFixture();
    const runner = cloud.container.resolve(JobRunner);
    await runner.submit(USER.caller, { command: 'a' }, async () => undefined);
    await runner.drain();
    const own = await api.handleIntegration(get('command=listAsyncJobs&response=json'));
    expect(JSON.parse(own.body)).toEqual({ listasyncjobsresponse: {} });
    const all = await api.handleIntegration(get('command=listAsyncJobs&listall=true&response=json'));
    expect(JSON.parse(all.body)).toMatchObject({ listasyncjobsresponse: { count: 1 } });
  });
});
