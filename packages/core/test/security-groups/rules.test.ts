import { describe, expect, it } from 'vitest';
import { refused } from '../accounts/tenants.js';
import { deployMember, enforced, sgCloud, sgFootprint, slash32, startMember, stopMember } from './sg-fixtures.js';

const DNS_DHCP = [
  { protocol: 'udp', startPort: 53, endPort: 53, cidrs: ['0.0.0.0/0'] },
  { protocol: 'tcp', startPort: 53, endPort: 53, cidrs: ['0.0.0.0/0'] },
  { protocol: 'udp', startPort: 67, endPort: 67, cidrs: ['0.0.0.0/0'] },
];

describe('ingress and egress rules (guide 13.7.5)', () => {
  it("lets in what an ingress rule by CIDR allows (the guide's HTTP from anywhere), and nothing else", async () => {
    const t = await sgCloud();
    const alice = t.cloud.as(t.as.alice);
    await alice.securityGroups.create({ name: 'web' });
    const vm = await deployMember(t, t.as.alice, { securityGroupNames: ['web'] });
    expect(enforced(t, vm)?.ingress).toEqual({ policy: 'deny', rules: [] });

    const change = await alice.securityGroupRules.authorizeIngress({ securityGroupName: 'web', protocol: 'TCP', startPort: 80, endPort: 80, cidrList: '0.0.0.0/0' });
    expect(change.ruleIds).toHaveLength(1);
    expect(change.group.ingressRules).toEqual([{ ruleId: change.ruleIds[0], protocol: 'tcp', startPort: 80, endPort: 80, cidr: '0.0.0.0/0' }]);
    expect(enforced(t, vm)).toMatchObject({ ingress: { policy: 'deny', rules: [{ protocol: 'tcp', startPort: 80, endPort: 80, cidrs: ['0.0.0.0/0'] }] }, egress: { policy: 'allow', rules: [] } });
    expect(t.sim.lab.securityGroupRules(t.sim.lab.hostOfVm(vm.instanceName)!.name, vm.instanceName)).toMatchObject({ vmIp: vm.nics[0]!.ipAddress, macAddress: vm.nics[0]!.macAddress });
    expect((await alice.events.list({ pageSize: -1 })).items.map((e) => e.type)).toContain('SG.AUTH.INGRESS');
  });

  it('stores one rule per CIDR, merges rules of one traffic on the host, and reads tcp 0-0 as every port, icmp by type and code, and no protocol as all', async () => {
    const t = await sgCloud();
    const alice = t.cloud.as(t.as.alice);
    const web = await alice.securityGroups.create({ name: 'web' });
    const vm = await deployMember(t, t.as.alice, { securityGroupIds: [web.id] });
    const ssh = await alice.securityGroupRules.authorizeIngress({ securityGroupId: web.id, protocol: 'tcp', startPort: 22, endPort: 22, cidrList: '10.1.0.0/16, 192.168.5.7/24' });
    expect(ssh.group.ingressRules.map((r) => r.cidr)).toEqual(['10.1.0.0/16', '192.168.5.0/24']);
    // One more CIDR for the same traffic: a new rule, merged into the host's entry.
    await alice.securityGroupRules.authorizeIngress({ securityGroupId: web.id, protocol: 'tcp', startPort: 22, endPort: 22, cidrList: ['172.16.0.0/12', '10.1.0.0/16'] });
    await alice.securityGroupRules.authorizeIngress({ securityGroupId: web.id, protocol: 'udp', startPort: 0, endPort: 0, cidrList: '10.9.0.0/16' });
    await alice.securityGroupRules.authorizeIngress({ securityGroupId: web.id, protocol: 'icmp', icmpType: 8, icmpCode: 0, cidrList: '0.0.0.0/0' });
    const all = await alice.securityGroupRules.authorizeIngress({ securityGroupId: web.id, cidrList: '10.10.10.0/24' });
    expect(all.group.ingressRules.at(-1)).toEqual({ ruleId: all.ruleIds[0], protocol: 'all', cidr: '10.10.10.0/24' });
    expect(all.group.ingressRules).toHaveLength(6);
    const rules = enforced(t, vm)?.ingress.rules;
    expect(rules).toEqual(
      expect.arrayContaining([
        { protocol: 'tcp', startPort: 22, endPort: 22, cidrs: ['10.1.0.0/16', '172.16.0.0/12', '192.168.5.0/24'] },
        { protocol: 'udp', startPort: 0, endPort: 65535, cidrs: ['10.9.0.0/16'] },
        { protocol: 'icmp', icmpType: 8, icmpCode: 0, cidrs: ['0.0.0.0/0'] },
        { protocol: 'all', cidrs: ['10.10.10.0/24'] },
      ]),
    );
    expect(rules).toHaveLength(4);
  });

  it('refuses bad rules with 431 naming the parameter, and leaves nothing behind', async () => {
    const t = await sgCloud();
    const alice = t.cloud.as(t.as.alice);
    const web = await alice.securityGroups.create({ name: 'web' });
    await deployMember(t, t.as.alice, { securityGroupIds: [web.id] });
    const base = { securityGroupId: web.id, cidrList: '0.0.0.0/0' };
    const before = await sgFootprint(t.cloud);
    const cases: [Record<string, unknown>, string][] = [
      [{ ...base, protocol: 'gre' }, 'protocol'],
      [{ ...base, protocol: 'tcp', endPort: 80 }, 'startport'],
      [{ ...base, protocol: 'udp', startPort: 80 }, 'endport'],
      [{ ...base, protocol: 'tcp', startPort: 90, endPort: 80 }, 'endport'],
      [{ ...base, protocol: 'tcp', startPort: 70000, endPort: 70001 }, 'startport'],
      [{ ...base, protocol: 'tcp', startPort: -5, endPort: 80 }, 'startport'],
      [{ ...base, protocol: 'icmp', icmpCode: 0 }, 'icmptype'],
      [{ ...base, protocol: 'icmp', icmpType: 8 }, 'icmpcode'],
      [{ ...base, protocol: 'icmp', icmpType: -1, icmpCode: 3 }, 'icmpcode'],
      [{ ...base, protocol: 'icmp', icmpType: 300, icmpCode: 0 }, 'icmptype'],
      [{ ...base, protocol: 'all', startPort: 1 }, 'startport'],
      [{ ...base, protocol: 'tcp', startPort: 1, endPort: 2, cidrList: '10.0.0.0/33' }, 'cidrlist'],
      [{ ...base, protocol: 'tcp', startPort: 1, endPort: 2, cidrList: 'example.com' }, 'cidrlist'],
      [{ securityGroupId: web.id, protocol: 'tcp', startPort: 1, endPort: 2 }, 'cidrlist'],
      [{ securityGroupId: web.id, protocol: 'tcp', startPort: 1, endPort: 2, userSecurityGroupList: [{ account: 'alice' }] }, 'usersecuritygrouplist'],
      [{ securityGroupId: web.id, protocol: 'tcp', startPort: 1, endPort: 2, userSecurityGroupList: [{ account: 'nobody', group: 'default' }] }, 'usersecuritygrouplist'],
      [{ securityGroupId: web.id, protocol: 'tcp', startPort: 1, endPort: 2, userSecurityGroupList: [{ account: 'alice', group: 'nope' }] }, 'usersecuritygrouplist'],
      [{ ...base, securityGroupId: undefined, protocol: 'tcp', startPort: 1, endPort: 2 }, 'securitygroupid'],
      [{ ...base, securityGroupName: 'web', protocol: 'tcp', startPort: 1, endPort: 2 }, 'securitygroupname'],
      [{ ...base, securityGroupId: 'no-such-group', protocol: 'tcp', startPort: 1, endPort: 2 }, 'securitygroupid'],
      [{ ...base, securityGroupId: undefined, securityGroupName: 'nope', protocol: 'tcp', startPort: 1, endPort: 2 }, 'securitygroupname'],
    ];
    for (const [input, param] of cases) {
      await refused(() => alice.securityGroupRules.authorizeIngress(input), 431, param);
      await refused(() => alice.securityGroupRules.authorizeEgress(input), 431, param);
    }
    expect(await sgFootprint(t.cloud)).toBe(before);
  });

  it('skips rules the group already has; a request with nothing new is refused (537) and changes nothing', async () => {
    const t = await sgCloud();
    const alice = t.cloud.as(t.as.alice);
    const web = await alice.securityGroups.create({ name: 'web' });
    await alice.securityGroupRules.authorizeIngress({ securityGroupId: web.id, protocol: 'tcp', startPort: 80, endPort: 80, cidrList: '0.0.0.0/0' });
    const before = await sgFootprint(t.cloud);
    await refused(() => alice.securityGroupRules.authorizeIngress({ securityGroupId: web.id, protocol: 'tcp', startPort: 80, endPort: 80, cidrList: '0.0.0.0/0' }), 537);
    expect(await sgFootprint(t.cloud)).toBe(before);
    const more = await alice.securityGroupRules.authorizeIngress({ securityGroupId: web.id, protocol: 'tcp', startPort: 80, endPort: 80, cidrList: '0.0.0.0/0,10.0.0.0/8' });
    expect(more.ruleIds).toHaveLength(1);
    expect(more.group.ingressRules.map((r) => r.cidr)).toEqual(['0.0.0.0/0', '10.0.0.0/8']);
    // The same traffic as egress is a different rule.
    expect((await alice.securityGroupRules.authorizeEgress({ securityGroupId: web.id, protocol: 'tcp', startPort: 80, endPort: 80, cidrList: '0.0.0.0/0' })).ruleIds).toHaveLength(1);
  });

  it('allows all outbound traffic until an egress rule exists; then only listed egress plus DNS and DHCP; revoking the last egress rule allows all again', async () => {
    const t = await sgCloud();
    const alice = t.cloud.as(t.as.alice);
    const web = await alice.securityGroups.create({ name: 'web' });
    const vm = await deployMember(t, t.as.alice, { securityGroupIds: [web.id] });
    expect(enforced(t, vm)?.egress).toEqual({ policy: 'allow', rules: [], alwaysAllowed: DNS_DHCP });
    const out = await alice.securityGroupRules.authorizeEgress({ securityGroupId: web.id, protocol: 'tcp', startPort: 443, endPort: 443, cidrList: '203.0.113.0/24' });
    expect(out.group.egressRules).toEqual([{ ruleId: out.ruleIds[0], protocol: 'tcp', startPort: 443, endPort: 443, cidr: '203.0.113.0/24' }]);
    expect(enforced(t, vm)).toMatchObject({ ingress: { policy: 'deny', rules: [] }, egress: { policy: 'deny', rules: [{ protocol: 'tcp', startPort: 443, endPort: 443, cidrs: ['203.0.113.0/24'] }], alwaysAllowed: DNS_DHCP }, allowReplies: true });
    await refused(() => alice.securityGroupRules.revokeIngress({ id: out.ruleIds[0]! }), 431, 'id');
    await alice.securityGroupRules.revokeEgress({ id: out.ruleIds[0]! });
    expect(enforced(t, vm)?.egress).toEqual({ policy: 'allow', rules: [], alwaysAllowed: DNS_DHCP });
    expect((await alice.events.list({ pageSize: -1 })).items.map((e) => e.type)).toEqual(expect.arrayContaining(['SG.AUTH.EGRESS', 'SG.REVOKE.EGRESS']));
  });

  it('an egress rule naming a group with no running member still restricts egress (it allows nothing itself)', async () => {
    const t = await sgCloud();
    const alice = t.cloud.as(t.as.alice);
    const web = await alice.securityGroups.create({ name: 'web' });
    await alice.securityGroups.create({ name: 'db' });
    const vm = await deployMember(t, t.as.alice, { securityGroupIds: [web.id] });
    await alice.securityGroupRules.authorizeEgress({ securityGroupId: web.id, protocol: 'tcp', startPort: 3306, endPort: 3306, userSecurityGroupList: [{ account: 'alice', group: 'db' }] });
    expect(enforced(t, vm)?.egress).toEqual({ policy: 'deny', rules: [], alwaysAllowed: DNS_DHCP });
    const db = await deployMember(t, t.as.alice, { securityGroupNames: ['db'] });
    expect(enforced(t, vm)?.egress.rules).toEqual([{ protocol: 'tcp', startPort: 3306, endPort: 3306, cidrs: [slash32(db)] }]);
  });

  it('a rule by account and group lets in only the running members of that group, following them as they start and stop', async () => {
    const t = await sgCloud();
    const alice = t.cloud.as(t.as.alice);
    const db = await alice.securityGroups.create({ name: 'db' });
    await alice.securityGroups.create({ name: 'web' });
    const change = await alice.securityGroupRules.authorizeIngress({ securityGroupId: db.id, protocol: 'tcp', startPort: 3306, endPort: 3306, userSecurityGroupList: [{ account: 'alice', group: 'web' }] });
    expect(change.group.ingressRules).toEqual([{ ruleId: change.ruleIds[0], protocol: 'tcp', startPort: 3306, endPort: 3306, securityGroupId: expect.any(String), securityGroupName: 'web', account: 'alice' }]);

    const dbVm = await deployMember(t, t.as.alice, { securityGroupIds: [db.id] }, { name: 'db1' });
    expect(enforced(t, dbVm)?.ingress.rules).toEqual([]);
    const web1 = await deployMember(t, t.as.alice, { securityGroupNames: ['web'] }, { name: 'web1' });
    const outsider = await deployMember(t, t.as.alice, {}, { name: 'other' });
    // web1 started after db1: db1's rules now name web1's address, and only it.
    expect(enforced(t, dbVm)?.ingress.rules).toEqual([{ protocol: 'tcp', startPort: 3306, endPort: 3306, cidrs: [slash32(web1)] }]);
    const web2 = await deployMember(t, t.as.alice, { securityGroupNames: ['web'] }, { name: 'web2' });
    const both = [slash32(web1), slash32(web2)].sort();
    expect(enforced(t, dbVm)?.ingress.rules).toEqual([{ protocol: 'tcp', startPort: 3306, endPort: 3306, cidrs: both }]);
    expect(enforced(t, dbVm)?.ingress.rules[0]?.cidrs).not.toContain(slash32(outsider));
    // A web VM that stops gives its address back: the db host no longer lets it in.
    await stopMember(t, t.as.alice, web1.id);
    expect(enforced(t, dbVm)?.ingress.rules).toEqual([{ protocol: 'tcp', startPort: 3306, endPort: 3306, cidrs: [slash32(web2)] }]);
    const again = await startMember(t, t.as.alice, web1.id);
    expect(enforced(t, dbVm)?.ingress.rules[0]?.cidrs).toEqual([slash32(again), slash32(web2)].sort());
  });

  it('a rule naming its own group lets the group’s VMs talk to each other', async () => {
    const t = await sgCloud();
    const alice = t.cloud.as(t.as.alice);
    const app = await alice.securityGroups.create({ name: 'app' });
    await alice.securityGroupRules.authorizeIngress({ securityGroupId: app.id, protocol: 'udp', startPort: 5000, endPort: 5010, userSecurityGroupList: [{ account: 'alice', group: 'app' }] });
    const a = await deployMember(t, t.as.alice, { securityGroupIds: [app.id] });
    const b = await deployMember(t, t.as.alice, { securityGroupIds: [app.id] });
    const expected = [{ protocol: 'udp', startPort: 5000, endPort: 5010, cidrs: [slash32(a), slash32(b)].sort() }];
    expect(enforced(t, a)?.ingress.rules).toEqual(expected);
    expect(enforced(t, b)?.ingress.rules).toEqual(expected);
  });

  it('a VM in several groups gets the union of their rules', async () => {
    const t = await sgCloud();
    const alice = t.cloud.as(t.as.alice);
    await alice.securityGroups.create({ name: 'web' });
    await alice.securityGroups.create({ name: 'ssh' });
    await alice.securityGroupRules.authorizeIngress({ securityGroupName: 'web', protocol: 'tcp', startPort: 80, endPort: 80, cidrList: '0.0.0.0/0' });
    await alice.securityGroupRules.authorizeIngress({ securityGroupName: 'ssh', protocol: 'tcp', startPort: 22, endPort: 22, cidrList: '10.0.0.0/8' });
    await alice.securityGroupRules.authorizeEgress({ securityGroupName: 'ssh', protocol: 'tcp', startPort: 22, endPort: 22, cidrList: '10.0.0.0/8' });
    const vm = await deployMember(t, t.as.alice, { securityGroupNames: ['web', 'ssh'] });
    expect(enforced(t, vm)).toMatchObject({
      ingress: { rules: [{ protocol: 'tcp', startPort: 22, endPort: 22, cidrs: ['10.0.0.0/8'] }, { protocol: 'tcp', startPort: 80, endPort: 80, cidrs: ['0.0.0.0/0'] }] },
      egress: { policy: 'deny', rules: [{ protocol: 'tcp', startPort: 22, endPort: 22, cidrs: ['10.0.0.0/8'] }] },
    });
    expect(enforced(t, vm)?.groupIds).toHaveLength(2);
  });
});
