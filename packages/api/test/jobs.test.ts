import { JobRunner, invalidParameter } from '@cloudstack-sdk/core';
import { describe, expect, it } from 'vitest';
import { CommandRegistry, defineCommand, param, type CommandDeclaration } from '../src/index.js';
import { ADMIN, USER } from './support/test-authenticator.js';
import { apiFixture, callJson, get, signedQuery } from './support/api-fixture.js';

const DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{4}$/;

/**
 * A product command (not a 4.1 one) that changes a configuration value as an async job, to
 * prove the async path end to end: accept reply, job record, result under the object name.
 */
const setConfigurationLater: CommandDeclaration = defineCommand({
  name: 'setConfigurationLater',
  kind: 'async',
  permission: 1,
  responseName: 'setconfigurationlaterresponse',
  objectName: 'configuration',
  description: 'Updates a configuration value in a job.',
  params: { name: param.string('parameter name', { required: true }), value: param.string('new value', { required: true }) },
  async start(context, params) {
    return {
      instanceType: 'None',
      async work(progress) {
        await progress(50);
        const entry = await context.services.config.update({ name: params.name, value: params.value });
        return { type: 'object', object: { name: entry.name, value: entry.value } };
      },
    };
  },
});

/** An async-create product command: the reply carries the new object's id with the job id. */
const createMarkerEvent: CommandDeclaration = defineCommand({
  name: 'createMarker',
  kind: 'async-create',
  permission: 15,
  responseName: 'createmarkerresponse',
  objectName: 'marker',
  description: 'Succeeds in a job, naming a new marker id.',
  params: { id: param.uuid('the marker id', { required: true }) },
  async start(_context, params) {
    return { instanceType: 'None', instanceId: params.id, work: async () => ({ type: 'success' }) };
  },
});

describe('async jobs through queryAsyncJobResult (§3)', () => {
  it('shows a pending job with its instance, then the finished job with its result and the instance cleared', async () => {
    const { api, cloud } = await apiFixture();
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const job = await cloud.container.resolve(JobRunner).submit(ADMIN.caller, { command: 'startVirtualMachine', instanceType: 'VirtualMachine', instanceId: 'vm-1' }, async () => {
      await gate;
      return { virtualmachine: { id: 'vm-1', state: 'Running' } };
    });
    const pending = await callJson(api, { command: 'queryAsyncJobResult', jobid: job.id });
    expect(pending.response.status).toBe(200);
    const p = pending.json.queryasyncjobresultresponse ?? {};
    expect(p).toMatchObject({ accountid: ADMIN.caller.accountId, userid: ADMIN.caller.userId, cmd: 'startVirtualMachine', jobstatus: 0, jobresultcode: 0, jobinstancetype: 'VirtualMachine', jobinstanceid: 'vm-1', jobid: job.id });
    expect(p.jobresulttype).toBeUndefined();
    expect(p.jobresult).toBeUndefined();
    expect(String(p.created)).toMatch(DATE);

    release();
    await cloud.system.jobs.wait(job.id);
    const done = (await callJson(api, { command: 'queryAsyncJobResult', jobid: job.id })).json.queryasyncjobresultresponse ?? {};
    expect(done).toMatchObject({ jobstatus: 1, jobprocstatus: 0, jobresultcode: 0, jobresulttype: 'object', jobresult: { virtualmachine: { id: 'vm-1', state: 'Running' } } });
    expect(done.jobinstancetype).toBeUndefined();
    expect(done.jobinstanceid).toBeUndefined();
  });

  it('reports a failed job with status 2, result code 530 and the real error inside', async () => {
    const { api, cloud } = await apiFixture();
    const job = await cloud.container.resolve(JobRunner).submit(ADMIN.caller, { command: 'createVolume' }, async () => {
      throw invalidParameter('size', 'must be positive');
    });
    await cloud.system.jobs.wait(job.id);
    const reply = (await callJson(api, { command: 'queryAsyncJobResult', jobid: job.id })).json.queryasyncjobresultresponse;
    expect(reply).toMatchObject({ jobstatus: 2, jobresultcode: 530, jobresulttype: 'object', jobresult: { errorcode: 431, errortext: 'Invalid parameter size: must be positive' } });
  });

  it("answers another account's job, or no job at all, with 431", async () => {
    const { api, cloud } = await apiFixture();
    const job = await cloud.container.resolve(JobRunner).submit(ADMIN.caller, { command: 'x' }, async () => undefined);
    const theirs = await callJson(api, { command: 'queryAsyncJobResult', jobid: job.id }, USER);
    expect(theirs.response.status).toBe(431);
    expect(Object.keys(theirs.json)).toEqual(['queryasyncjobresultresponse']);
    const invalid = await callJson(api, { command: 'queryAsyncJobResult', jobid: '42' });
    expect(invalid.response.status).toBe(431);
  });

  it('runs an async command as a core job: {jobid} now, the result under the object name later', async () => {
    const { api, cloud } = await apiFixture({ commands: [setConfigurationLater] });
    const accepted = await callJson(api, { command: 'setConfigurationLater', name: 'expunge.delay', value: '120' });
    expect(accepted.response.status).toBe(200);
    const jobid = String(accepted.json.setconfigurationlaterresponse?.jobid);
    expect(Object.keys(accepted.json.setconfigurationlaterresponse ?? {})).toEqual(['jobid']);
    await cloud.system.jobs.wait(jobid);
    const done = (await callJson(api, { command: 'queryAsyncJobResult', jobid })).json.queryasyncjobresultresponse;
    expect(done).toMatchObject({ cmd: 'setConfigurationLater', jobstatus: 1, jobresult: { configuration: { name: 'expunge.delay', value: '120' } } });
    const listed = await callJson(api, { command: 'listAsyncJobs' });
    expect(listed.json.listasyncjobsresponse).toMatchObject({ count: 1, asyncjobs: [{ jobid, jobstatus: 1, cmd: 'setConfigurationLater' }] });
  });

  it('answers an async-create command with id and jobid in JSON, only jobid in XML, and {success:true} as the job result', async () => {
    const { api, cloud } = await apiFixture({ commands: [createMarkerEvent] });
    const id = '0b6f4c1e-8a55-4d7e-9c1a-6e2f3d4c5b6a';
    const accepted = await callJson(api, { command: 'createMarker', id }, USER);
    expect(accepted.json.createmarkerresponse).toEqual({ id, jobid: expect.any(String) });
    const jobid = String(accepted.json.createmarkerresponse?.jobid);
    await cloud.system.jobs.wait(jobid);
    expect((await callJson(api, { command: 'queryAsyncJobResult', jobid }, USER)).json.queryasyncjobresultresponse).toMatchObject({ jobresult: { success: true } });
    const xml = await api.handle(get(signedQuery({ command: 'createMarker', id }, USER)));
    expect(xml.body).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?><createmarkerresponse cloud-stack-version="4.1.0"><jobid>[0-9a-f-]{36}<\/jobid><\/createmarkerresponse>$/);
  });

  it('answers a bad parameter of an async command synchronously, before any job exists', async () => {
    const { api, cloud } = await apiFixture({ commands: [setConfigurationLater] });
    const refused = await callJson(api, { command: 'setConfigurationLater', name: 'expunge.delay' });
    expect(refused.response.status).toBe(431);
    expect((await cloud.system.jobs.list()).total).toBe(0);
  });

  it('lists async jobs newest first, scoped to the caller, since a start date', async () => {
    const { api, cloud, clock } = await apiFixture();
    const runner = cloud.container.resolve(JobRunner);
    const older = await runner.submit(USER.caller, { command: 'a' }, async () => undefined);
    clock.advance(60_000);
    const newer = await runner.submit(USER.caller, { command: 'b' }, async () => undefined);
    await runner.submit(ADMIN.caller, { command: 'c' }, async () => undefined);
    await runner.drain();
    const mine = await callJson(api, { command: 'listAsyncJobs' }, USER);
    expect(mine.json.listasyncjobsresponse).toMatchObject({ count: 2, asyncjobs: [{ jobid: newer.id }, { jobid: older.id }] });
    const since = new Date(clock.now() - 1000).toISOString().slice(0, 19) + '+0000';
    const recent = await callJson(api, { command: 'listAsyncJobs', startdate: since }, USER);
    expect(recent.json.listasyncjobsresponse).toMatchObject({ count: 1, asyncjobs: [{ jobid: newer.id }] });
  });
});

describe('command declarations', () => {
  it('refuses a declaration of a 4.1 command whose kind, bits or response name differ from 4.1', () => {
    const wrong = defineCommand({ ...setConfigurationLater, name: 'listZones', kind: 'async', responseName: 'listzonesresponse', permission: 15 } as Parameters<typeof defineCommand>[0] & { kind: 'async' });
    expect(() => new CommandRegistry([wrong])).toThrow(/listZones is declared as async\/15\/listzonesresponse, but 4.1 has list\/15\/listzonesresponse/);
  });
});
