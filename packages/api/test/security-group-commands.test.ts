import { describe, expect, it } from 'vitest';
import { deployMember, enforced, sgCloud, sgFootprint, slash32 } from '../../core/test/security-groups/sg-fixtures.js';
import { CloudStackApi, coreAuthenticator } from '../src/index.js';
import { call, callAsync, keyedUser } from './support/core-api.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The security-group core cloud (basic zone with security groups) behind the API, with keys for alice, bob and carol. */
async function sgApi() {
  const t = await sgCloud();
  const api = new CloudStackApi({ cloud: t.cloud, authenticator: coreAuthenticator(t.cloud) });
  return {
    t,
    api,
    cloud: t.cloud,
    alice: await keyedUser(t.cloud, t.accounts.alice.user.id, 'alice-pw-1', '/Comp1/'),
    bob: await keyedUser(t.cloud, t.accounts.bob.user.id, 'bob-pw-1', '/Comp2/'),
    carol: await keyedUser(t.cloud, t.accounts.carol.user.id, 'carol-pw-1', '/Comp1/'),
  };
}

describe('security group commands over a real core cloud', () => {
  it('createSecurityGroup answers the securitygroup object; listSecurityGroups shows the default group beside it', async () => {
    const f = await sgApi();
    const created = await call(f.api, f.alice, { command: 'createSecurityGroup', name: 'web', description: 'web servers' });
    expect(created.json).toEqual({
      createsecuritygroupresponse: {
        securitygroup: { id: expect.stringMatching(UUID), name: 'web', description: 'web servers', account: 'alice', domainid: f.t.domains.comp1.id, domain: 'Comp1', ingressrule: [], egressrule: [], tags: [] },
      },
    });
    const list = await call(f.api, f.alice, { command: 'listSecurityGroups' });
    expect(list.body.count).toBe(2);
    expect((list.body.securitygroup as { name: string }[]).map((g) => g.name)).toEqual(['default', 'web']);
    const one = await call(f.api, f.alice, { command: 'listSecurityGroups', securitygroupname: 'WEB' });
    expect(one.body).toMatchObject({ count: 1, securitygroup: [{ name: 'web' }] });
    expect((await call(f.api, f.bob, { command: 'listSecurityGroups', id: String((created.body.securitygroup as { id: string }).id) })).json).toEqual({ listsecuritygroupsresponse: {} });

    const before = await sgFootprint(f.cloud);
    const duplicate = await call(f.api, f.alice, { command: 'createSecurityGroup', name: 'Web' });
    expect(duplicate.status).toBe(431);
    const reserved = await call(f.api, f.alice, { command: 'createSecurityGroup', name: 'default' });
    expect(reserved.status).toBe(431);
    expect((await call(f.api, f.alice, { command: 'createSecurityGroup', name: 'x', projectid: f.t.domains.comp1.id })).status).toBe(431);
    expect(await sgFootprint(f.cloud)).toBe(before);
  });

  it('authorizeSecurityGroupIngress runs as a job answering the whole group; by CIDR and by usersecuritygrouplist; the running member’s host gets the rule', async () => {
    const f = await sgApi();
    await call(f.api, f.alice, { command: 'createSecurityGroup', name: 'web' });
    const vm = await deployMember(f.t, f.t.as.alice, { securityGroupNames: ['web'] });
    const byCidr = await callAsync(f, f.alice, { command: 'authorizeSecurityGroupIngress', securitygroupname: 'web', protocol: 'TCP', startport: '80', endport: '80', cidrlist: '0.0.0.0/0' });
    expect(byCidr.accepted).toEqual({ jobid: expect.stringMatching(UUID) });
    expect(byCidr.result).toMatchObject({ jobstatus: 1, jobresulttype: 'object' });
    const group = (byCidr.result.jobresult as { securitygroup: Record<string, unknown> }).securitygroup;
    expect(group).toMatchObject({ name: 'web', account: 'alice', ingressrule: [{ ruleid: expect.stringMatching(UUID), protocol: 'tcp', startport: 80, endport: 80, cidr: '0.0.0.0/0' }], egressrule: [] });
    expect(enforced(f.t, vm)?.ingress.rules).toEqual([{ protocol: 'tcp', startPort: 80, endPort: 80, cidrs: ['0.0.0.0/0'] }]);

    const byGroup = await callAsync(f, f.alice, {
      command: 'authorizeSecurityGroupIngress',
      securitygroupid: String(group.id),
      protocol: 'icmp',
      icmptype: '-1',
      icmpcode: '-1',
      'usersecuritygrouplist[0].account': 'carol',
      'usersecuritygrouplist[0].group': 'default',
    });
    const rules = (byGroup.result.jobresult as { securitygroup: { ingressrule: Record<string, unknown>[] } }).securitygroup.ingressrule;
    expect(rules[1]).toEqual({ ruleid: expect.stringMatching(UUID), protocol: 'icmp', icmptype: -1, icmpcode: -1, account: 'carol', securitygroupname: 'default' });
    const probe = await deployMember(f.t, f.t.as.carol);
    expect(enforced(f.t, vm)?.ingress.rules).toEqual(expect.arrayContaining([{ protocol: 'icmp', icmpType: -1, icmpCode: -1, cidrs: [slash32(probe)] }]));
  });

  it('refuses bad rules at accept with 431 naming the parameter, before any job exists', async () => {
    const f = await sgApi();
    await call(f.api, f.alice, { command: 'createSecurityGroup', name: 'web' });
    const before = await sgFootprint(f.cloud);
    const cases: [Record<string, string>, string][] = [
      [{ protocol: 'gre', cidrlist: '0.0.0.0/0' }, 'protocol'],
      [{ protocol: 'tcp', startport: '90', endport: '80', cidrlist: '0.0.0.0/0' }, 'endport'],
      [{ protocol: 'icmp', icmpcode: '0', cidrlist: '0.0.0.0/0' }, 'icmptype'],
      [{ protocol: 'tcp', startport: '22', endport: '22', cidrlist: '10.0.0.0/40' }, 'cidrlist'],
      [{ protocol: 'tcp', startport: 'x', endport: '22', cidrlist: '10.0.0.0/8' }, 'startport'],
    ];
    for (const [extra, param] of cases) {
      const reply = await call(f.api, f.alice, { command: 'authorizeSecurityGroupIngress', securitygroupname: 'web', ...extra });
      expect(reply.status).toBe(431);
      expect(String(reply.body.errortext).toLowerCase()).toContain(param);
    }
    const unknown = await call(f.api, f.alice, { command: 'authorizeSecurityGroupEgress', securitygroupname: 'nope', cidrlist: '0.0.0.0/0' });
    expect(unknown.status).toBe(431);
    const both = await call(f.api, f.alice, { command: 'authorizeSecurityGroupEgress', cidrlist: '0.0.0.0/0' });
    expect(both.status).toBe(431);
    expect(await sgFootprint(f.cloud)).toBe(before);
    expect((await f.cloud.system.jobs.list({ listAll: true, pageSize: -1 })).items.filter((j) => j.command.includes('SecurityGroup'))).toEqual([]);
  });

  it('revoke commands answer under their suffix-less response names, and only for a rule of their direction', async () => {
    const f = await sgApi();
    await call(f.api, f.alice, { command: 'createSecurityGroup', name: 'web' });
    const egress = await callAsync(f, f.alice, { command: 'authorizeSecurityGroupEgress', securitygroupname: 'web', protocol: 'udp', startport: '123', endport: '123', cidrlist: '192.0.2.0/24' });
    const ruleid = String(((egress.result.jobresult as { securitygroup: { egressrule: { ruleid: string }[] } }).securitygroup.egressrule[0])?.ruleid);
    const wrong = await call(f.api, f.alice, { command: 'revokeSecurityGroupIngress', id: ruleid });
    expect(wrong.status).toBe(431);
    expect(Object.keys(wrong.json)).toEqual(['revokesecuritygroupingress']);
    const foreign = await call(f.api, f.bob, { command: 'revokeSecurityGroupEgress', id: ruleid });
    expect(foreign.status).toBe(431);
    const accepted = await call(f.api, f.alice, { command: 'revokeSecurityGroupEgress', id: ruleid });
    expect(accepted.json).toEqual({ revokesecuritygroupegress: { jobid: expect.stringMatching(UUID) } });
    await f.cloud.system.jobs.wait(String(accepted.body.jobid));
    const result = await call(f.api, f.alice, { command: 'queryAsyncJobResult', jobid: String(accepted.body.jobid) });
    expect(result.body).toMatchObject({ jobstatus: 1, jobresult: { success: true } });
    expect((await call(f.api, f.alice, { command: 'listSecurityGroups', securitygroupname: 'web' })).body).toMatchObject({ securitygroup: [{ egressrule: [] }] });
  });

  it('deleteSecurityGroup answers success "true"; refuses the default group (431) and a group in use (536)', async () => {
    const f = await sgApi();
    await call(f.api, f.alice, { command: 'createSecurityGroup', name: 'spare' });
    await call(f.api, f.alice, { command: 'createSecurityGroup', name: 'used' });
    await deployMember(f.t, f.t.as.alice, { securityGroupNames: ['used'] }, { start: false });
    expect((await call(f.api, f.alice, { command: 'deleteSecurityGroup', name: 'default' })).status).toBe(431);
    expect((await call(f.api, f.alice, { command: 'deleteSecurityGroup', name: 'used' })).status).toBe(536);
    const bobTries = await call(f.api, f.bob, { command: 'deleteSecurityGroup', name: 'spare' });
    expect(bobTries.status).toBe(431);
    expect((await call(f.api, f.alice, { command: 'deleteSecurityGroup', name: 'spare' })).json).toEqual({ deletesecuritygroupresponse: { success: 'true' } });
  });

  it('one tenant cannot authorise rules on another tenant’s group', async () => {
    const f = await sgApi();
    const created = await call(f.api, f.alice, { command: 'createSecurityGroup', name: 'web' });
    const id = String((created.body.securitygroup as { id: string }).id);
    const before = await sgFootprint(f.cloud);
    const reply = await call(f.api, f.bob, { command: 'authorizeSecurityGroupIngress', securitygroupid: id, protocol: 'tcp', startport: '22', endport: '22', cidrlist: '0.0.0.0/0' });
    expect(reply.status).toBe(431);
    expect(String(reply.body.errortext)).toContain('securitygroupid');
    expect(await sgFootprint(f.cloud)).toBe(before);
  });
});
