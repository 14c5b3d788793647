import { describe, expect, it } from 'vitest';
import { CATALOG_4_1, builtInCommands, NO_NETWORK_FACTS } from '../src/index.js';
import { USER } from './support/test-authenticator.js';
import { apiFixture, callJson } from './support/api-fixture.js';

describe('listCapabilities', () => {
  it("reports 4.1's fields from configuration and state", async () => {
    const { api } = await apiFixture();
    const { json } = await callJson(api, { command: 'listCapabilities' }, USER);
    expect(json).toEqual({
      listcapabilitiesresponse: {
        capability: {
          securitygroupsenabled: false,
          cloudstackversion: '4.1.0',
          userpublictemplateenabled: true,
          supportELB: 'false',
          projectinviterequired: false,
          allowusercreateprojects: true,
          customdiskofferingmaxsize: 1024,
        },
      },
    });
  });

  it('follows configuration changes, adds the API limit while throttling is on, and reports the ELB network', async () => {
    const { api, cloud } = await apiFixture({ capabilityFacts: { securityGroupsEnabled: async () => true } });
    for (const [name, value] of Object.entries({
      'allow.public.user.templates': 'false',
      'project.invite.required': 'true',
      'custom.diskoffering.size.max': '2048',
      'api.throttling.enabled': 'true',
      'api.throttling.max': '40',
      'network.loadbalancer.basiczone.elb.enabled': 'true',
      'network.loadbalancer.basiczone.elb.network': 'guest',
    })) {
      await cloud.system.config.update({ name, value });
    }
    const { json } = await callJson(api, { command: 'listCapabilities' });
    expect(json.listcapabilitiesresponse?.capability).toEqual({
      securitygroupsenabled: true,
      cloudstackversion: '4.1.0',
      userpublictemplateenabled: false,
      supportELB: 'guest',
      projectinviterequired: true,
      allowusercreateprojects: true,
      customdiskofferingmaxsize: 2048,
      apilimitinterval: 1,
      apilimitmax: 40,
    });
  });
});

describe('listApis', () => {
  it('lists the implemented commands the role may run, generated from the declarations', async () => {
    const { api } = await apiFixture();
    const admin = (await callJson(api, { command: 'listApis' })).json.listapisresponse ?? {};
    const names = (admin.api as { name: string }[]).map((a) => a.name);
    expect(names).toEqual(builtInCommands(NO_NETWORK_FACTS).map((c) => c.name).sort());
    expect(admin.count).toBe(names.length);
    const user = (await callJson(api, { command: 'listApis' }, USER)).json.listapisresponse ?? {};
    const userNames = (user.api as { name: string }[]).map((a) => a.name);
    expect(userNames).not.toContain('listConfigurations');
    expect(userNames).toContain('queryAsyncJobResult');
  });

  it('describes one command: isasync, parameters with type and required, reply fields', async () => {
    const { api } = await apiFixture();
    const { json } = await callJson(api, { command: 'listApis', name: 'queryAsyncJobResult' });
    expect(json.listapisresponse).toMatchObject({
      count: 1,
      api: [
        {
          name: 'queryAsyncJobResult',
          isasync: false,
          related: 'listAsyncJobs',
          params: [{ name: 'jobid', type: 'uuid', required: true, length: 255 }],
          response: expect.arrayContaining([{ name: 'jobstatus', description: expect.any(String), type: 'integer' }]),
        },
      ],
    });
    expect((await callJson(api, { command: 'listApis', name: 'createProject' })).response.status).toBe(431);
  });
});

describe('configuration commands', () => {
  it('updates a value and answers the configuration object; a bad value is 431', async () => {
    const { api } = await apiFixture();
    const { response, json } = await callJson(api, { command: 'updateConfiguration', name: 'expunge.delay', value: '90' });
    expect(response.status).toBe(200);
    expect(json.updateconfigurationresponse).toEqual({
      configuration: { category: expect.any(String), name: 'expunge.delay', value: '90', description: expect.any(String) },
    });
    const bad = await callJson(api, { command: 'updateConfiguration', name: 'expunge.delay', value: 'soon' });
    expect(bad.response.status).toBe(431);
    expect(Object.keys(bad.json)).toEqual(['updateconfigurationresponse']);
    const unknown = await callJson(api, { command: 'updateConfiguration', name: 'no.such.parameter', value: '1' });
    expect(unknown.response.status).toBe(431);
  });

  it('lists by name and category, with a value omitted when unset', async () => {
    const { api } = await apiFixture();
    const { json } = await callJson(api, { command: 'listConfigurations', name: 'integration.api.port' });
    expect(json.listconfigurationsresponse).toEqual({
      count: 1,
      configuration: [{ category: 'Advanced', name: 'integration.api.port', description: expect.any(String) }],
    });
  });
});

describe('listEvents', () => {
  it('shows the event of a configuration change, filtered by type, level and keyword, with 4.1 dates', async () => {
    const { api } = await apiFixture();
    await callJson(api, { command: 'updateConfiguration', name: 'expunge.delay', value: '77' });
    const { json } = await callJson(api, { command: 'listEvents', type: 'CONFIGURATION.VALUE.EDIT', level: 'info', keyword: 'expunge' });
    const body = json.listeventsresponse ?? {};
    expect(body.count).toBe(1);
    const [event] = body.event as Record<string, unknown>[];
    expect(event).toMatchObject({ type: 'CONFIGURATION.VALUE.EDIT', level: 'INFO', state: 'Completed' });
    expect(String(event?.description)).toMatch(/expunge.delay/);
    expect(String(event?.created)).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{4}$/);
    expect((await callJson(api, { command: 'listEvents', level: 'ERROR' })).json).toEqual({ listeventsresponse: {} });
    expect((await callJson(api, { command: 'listEvents', level: 'LOUD' })).response.status).toBe(431);
  });

  it("hides another account's events from a user", async () => {
    const { api } = await apiFixture();
    await callJson(api, { command: 'updateConfiguration', name: 'expunge.delay', value: '78' });
    expect((await callJson(api, { command: 'listEvents' }, USER)).json).toEqual({ listeventsresponse: {} });
  });
});

describe('declarations agree with the 4.1 catalogue', () => {
  it('declares every built-in 4.1 command with its catalogue kind, bits and response name', () => {
    const byName = new Map(CATALOG_4_1.map((e) => [e.name, e]));
    for (const command of builtInCommands(NO_NETWORK_FACTS)) {
      const entry = byName.get(command.name);
      expect(entry, command.name).toBeDefined();
      expect({ kind: command.kind, permission: command.permission, responseName: command.responseName }).toEqual({
        kind: entry?.kind,
        permission: entry?.permission,
        responseName: entry?.responseName,
      });
    }
  });
});
