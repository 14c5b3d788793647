import { describe, expect, it } from 'vitest';
import { refused } from '../accounts/tenants.js';
import { deployMember, enforced, sgCloud, sgFootprint, slash32 } from './sg-fixtures.js';

describe('security groups across tenants', () => {
  it('one account cannot attach, change, revoke, delete or list another account’s group', async () => {
    const t = await sgCloud();
    const alice = t.cloud.as(t.as.alice);
    const bob = t.cloud.as(t.as.bob);
    const web = await alice.securityGroups.create({ name: 'web' });
    const rule = await alice.securityGroupRules.authorizeIngress({ securityGroupId: web.id, protocol: 'tcp', startPort: 80, endPort: 80, cidrList: '0.0.0.0/0' });

    // Attach: by id it reads as not found; by name it is looked up in bob's own account.
    const created = await bob.vms.deploy({ zoneId: t.zone.id, templateId: t.template.id, serviceOfferingId: t.offering.id, startVm: false });
    const join = (request: { securityGroupIds?: string[]; securityGroupNames?: string[] }) =>
      t.cloud.store.transaction(async (tx) => {
        const vm = (await tx.repo('vms').get(created.id))!;
        return t.membership.join(tx, t.as.bob, vm, (await tx.repo('accounts').get(vm.accountId))!, (await tx.repo('zones').get(t.zone.id))!, request);
      });
    const afterDeploy = await sgFootprint(t.cloud);
    await refused(() => join({ securityGroupIds: [web.id] }), 431, 'securitygroupids');
    await refused(() => join({ securityGroupNames: ['web'] }), 431, 'securitygroupnames');
    expect(await sgFootprint(t.cloud)).toBe(afterDeploy);
    await bob.vms.destroy({ id: created.id });
    await t.cloud.system.vms.expunge({ id: created.id });

    // Listing bob's groups (which makes sure bob's default group exists) never shows alice's.
    expect((await bob.securityGroups.list({ id: web.id })).items).toEqual([]);
    const mark = await sgFootprint(t.cloud);
    await refused(() => bob.securityGroupRules.authorizeIngress({ securityGroupId: web.id, protocol: 'tcp', startPort: 22, endPort: 22, cidrList: '0.0.0.0/0' }), 431, 'securitygroupid');
    await refused(() => bob.securityGroupRules.authorizeEgress({ securityGroupName: 'web', account: 'alice', domainId: t.domains.comp1.id, protocol: 'all', cidrList: '0.0.0.0/0' }), 431, 'domainid');
    await refused(() => bob.securityGroupRules.revokeIngress({ id: rule.ruleIds[0]! }), 431, 'id');
    await refused(() => bob.securityGroups.delete({ id: web.id }), 431, 'id');
    await refused(() => bob.securityGroups.get(web.id), 431, 'id');
    // The domain admin of the other domain fares no better.
    await refused(() => t.cloud.as(t.as.admin2).securityGroups.delete({ id: web.id }), 431, 'id');
    expect(await sgFootprint(t.cloud)).toBe(mark);
    expect((await alice.securityGroups.get(web.id)).ingressRules).toHaveLength(1);
  });

  it("a rule may name another account's group of the same domain by (account, group); an account of another domain cannot be named", async () => {
    const t = await sgCloud();
    const alice = t.cloud.as(t.as.alice);
    const web = await alice.securityGroups.create({ name: 'web' });
    await t.cloud.as(t.as.carol).securityGroups.create({ name: 'monitoring' });
    await t.cloud.as(t.as.bob).securityGroups.create({ name: 'monitoring' });
    const change = await alice.securityGroupRules.authorizeIngress({ securityGroupId: web.id, protocol: 'icmp', icmpType: 8, icmpCode: 0, userSecurityGroupList: [{ account: 'carol', group: 'monitoring' }] });
    expect(change.group.ingressRules[0]).toMatchObject({ account: 'carol', securityGroupName: 'monitoring' });
    const before = await sgFootprint(t.cloud);
    await refused(() => alice.securityGroupRules.authorizeIngress({ securityGroupId: web.id, protocol: 'icmp', icmpType: 8, icmpCode: 0, userSecurityGroupList: [{ account: 'bob', group: 'monitoring' }] }), 431, 'usersecuritygrouplist');
    await refused(() => alice.securityGroupRules.authorizeIngress({ securityGroupId: web.id, protocol: 'icmp', icmpType: 8, icmpCode: 0, userSecurityGroupList: [{ account: 'sam', group: 'default' }] }), 431, 'usersecuritygrouplist');
    expect(await sgFootprint(t.cloud)).toBe(before);

    // Carol's monitoring VMs reach alice's web VM; carol's other VMs and bob's do not.
    const webVm = await deployMember(t, t.as.alice, { securityGroupIds: [web.id] });
    const probe = await deployMember(t, t.as.carol, { securityGroupNames: ['monitoring'] });
    const carolOther = await deployMember(t, t.as.carol);
    const bobProbe = await deployMember(t, t.as.bob, { securityGroupNames: ['monitoring'] });
    expect(enforced(t, webVm)?.ingress.rules).toEqual([{ protocol: 'icmp', icmpType: 8, icmpCode: 0, cidrs: [slash32(probe)] }]);
    expect(enforced(t, webVm)?.ingress.rules[0]?.cidrs).not.toContain(slash32(carolOther));
    expect(enforced(t, webVm)?.ingress.rules[0]?.cidrs).not.toContain(slash32(bobProbe));

    // Carol cannot delete her group while alice's rule allows it.
    await refused(() => t.cloud.as(t.as.carol).securityGroups.delete({ name: 'monitoring' }), 536, 'name');
  });

  it('a domain admin manages the groups of its domain; deleting an account removes its groups and the rules naming them', async () => {
    const t = await sgCloud();
    const admin1 = t.cloud.as(t.as.admin1);
    const web = await t.cloud.as(t.as.alice).securityGroups.create({ name: 'web' });
    await t.cloud.as(t.as.carol).securityGroups.create({ name: 'ops' });
    await admin1.securityGroupRules.authorizeIngress({ securityGroupId: web.id, protocol: 'tcp', startPort: 22, endPort: 22, userSecurityGroupList: [{ account: 'carol', group: 'ops' }] });
    await admin1.securityGroupRules.authorizeIngress({ securityGroupName: 'web', account: 'alice', domainId: t.domains.comp1.id, protocol: 'tcp', startPort: 80, endPort: 80, cidrList: '0.0.0.0/0' });
    const webVm = await deployMember(t, t.as.alice, { securityGroupIds: [web.id] });
    const ops = await deployMember(t, t.as.carol, { securityGroupNames: ['ops'] });
    expect(enforced(t, webVm)?.ingress.rules).toEqual(expect.arrayContaining([{ protocol: 'tcp', startPort: 22, endPort: 22, cidrs: [slash32(ops)] }]));

    await t.cloud.system.accounts.delete({ id: t.accounts.carol.account.id });
    const after = await t.cloud.as(t.as.alice).securityGroups.get(web.id);
    expect(after.ingressRules.map((r) => r.cidr)).toEqual(['0.0.0.0/0']);
    expect(await t.cloud.store.transaction((tx) => tx.repo('securityGroups').count({ accountId: t.accounts.carol.account.id }))).toBe(0);
    await waitFor(() => enforced(t, webVm)?.ingress.rules.length === 1);
    expect(enforced(t, webVm)?.ingress.rules).toEqual([{ protocol: 'tcp', startPort: 80, endPort: 80, cidrs: ['0.0.0.0/0'] }]);
  });
});

async function waitFor(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !condition(); i += 1) await new Promise((resolve) => setTimeout(resolve, 5));
  expect(condition()).toBe(true);
}
