import { describe, expect, it } from 'vitest';
import { refused } from '../accounts/tenants.js';
import { deployMember, enforced, sgCloud, sgFootprint } from './sg-fixtures.js';

describe('security groups (guide 13.7.1, 13.7.2)', () => {
  it('gives every account a default group that denies all inbound and allows all outbound traffic, created once', async () => {
    const t = await sgCloud();
    const alice = t.cloud.as(t.as.alice);
    // Racing first uses meet the unique key on (account, name): one default group.
    const pages = await Promise.all([alice.securityGroups.list(), alice.securityGroups.list(), alice.securityGroups.list()]);
    for (const page of pages) expect(page.items.map((g) => g.name)).toEqual(['default']);
    const [group] = pages[0]!.items;
    expect(group).toMatchObject({ name: 'default', isDefault: true, accountId: t.accounts.alice.account.id, accountName: 'alice', domainName: 'Comp1', ingressRules: [], egressRules: [] });
    expect(await t.cloud.store.transaction((tx) => tx.repo('securityGroups').count({ accountId: t.accounts.alice.account.id }))).toBe(1);

    // A VM deployed without naming a group is in the default group: nothing in, everything out.
    const vm = await deployMember(t, t.as.alice);
    expect((await alice.securityGroups.list({ virtualMachineId: vm.id })).items.map((g) => g.id)).toEqual([group!.id]);
    expect(enforced(t, vm)).toMatchObject({ vmId: vm.id, groupIds: [group!.id], ingress: { policy: 'deny', rules: [] }, egress: { policy: 'allow', rules: [] }, allowReplies: true });
  });

  it("creates groups with names unique in the account (any case); 'default' is reserved; another account may reuse a name", async () => {
    const t = await sgCloud();
    const alice = t.cloud.as(t.as.alice);
    const web = await alice.securityGroups.create({ name: 'web', description: 'web servers' });
    expect(web).toMatchObject({ name: 'web', description: 'web servers', isDefault: false, accountName: 'alice', ingressRules: [], egressRules: [] });
    const before = await sgFootprint(t.cloud);
    await refused(() => alice.securityGroups.create({ name: 'WEB' }), 431, 'name');
    await refused(() => alice.securityGroups.create({ name: 'Default' }), 431, 'name');
    await refused(() => alice.securityGroups.create({ name: '' }), 431, 'name');
    await refused(() => alice.securityGroups.create({ name: 'x', account: 'bob', domainId: t.domains.comp2.id }), 431, 'domainid');
    expect(await sgFootprint(t.cloud)).toBe(before);
    const bobs = await t.cloud.as(t.as.bob).securityGroups.create({ name: 'web' });
    expect(bobs.accountId).toBe(t.accounts.bob.account.id);
    // A domain admin creates a group for an account of its domain.
    const forCarol = await t.cloud.as(t.as.admin1).securityGroups.create({ name: 'db', account: 'carol', domainId: t.domains.comp1.id });
    expect(forCarol).toMatchObject({ accountId: t.accounts.carol.account.id, accountName: 'carol' });
    const events = (await alice.events.list({ pageSize: -1 })).items.map((e) => e.type);
    expect(events).toContain('SG.CREATE');
  });

  it('deletes a group with its rules; refuses default (431), a group VMs belong to (536) and a group another group allows (536), leaving all as it was', async () => {
    const t = await sgCloud();
    const alice = t.cloud.as(t.as.alice);
    const [defaultGroup] = (await alice.securityGroups.list()).items;
    const web = await alice.securityGroups.create({ name: 'web' });
    const db = await alice.securityGroups.create({ name: 'db' });
    const spare = await alice.securityGroups.create({ name: 'spare' });
    await alice.securityGroupRules.authorizeIngress({ securityGroupId: db.id, protocol: 'tcp', startPort: 3306, endPort: 3306, userSecurityGroupList: [{ account: 'alice', group: 'web' }] });
    await alice.securityGroupRules.authorizeIngress({ securityGroupId: spare.id, protocol: 'tcp', startPort: 22, endPort: 22, cidrList: '10.0.0.0/8' });
    const member = await deployMember(t, t.as.alice, { securityGroupNames: ['db'] }, { start: false });

    const before = await sgFootprint(t.cloud);
    await refused(() => alice.securityGroups.delete({ id: defaultGroup!.id }), 431, 'id');
    await refused(() => alice.securityGroups.delete({ name: 'default' }), 431, 'name');
    await refused(() => alice.securityGroups.delete({ id: db.id }), 536, 'id');
    await refused(() => alice.securityGroups.delete({ name: 'web' }), 536, 'name');
    await refused(() => alice.securityGroups.delete({ name: 'nope' }), 431, 'name');
    await refused(() => alice.securityGroups.delete({}), 431, 'id');
    await refused(() => alice.securityGroups.delete({ id: web.id, name: 'web' }), 431, 'name');
    expect(await sgFootprint(t.cloud)).toBe(before);

    await alice.securityGroups.delete({ name: 'SPARE' });
    expect(await t.cloud.store.transaction((tx) => tx.repo('securityGroupRules').count({ securityGroupId: spare.id }))).toBe(0);
    // Once no rule allows it, web can go.
    const rule = (await alice.securityGroups.get(db.id)).ingressRules[0]!;
    await alice.securityGroupRules.revokeIngress({ id: rule.ruleId });
    await alice.securityGroups.delete({ id: web.id });
    expect((await alice.securityGroups.list()).items.map((g) => g.name)).toEqual(['db', 'default']);
    expect(member.state).toBe('Stopped');
    expect((await alice.events.list({ pageSize: -1 })).items.map((e) => e.type)).toContain('SG.DELETE');
  });

  it('lists under the visibility rule: own groups for users, the domain subtree for a domain admin with listall, filtered by name, VM and keyword', async () => {
    const t = await sgCloud();
    const alice = t.cloud.as(t.as.alice);
    const web = await alice.securityGroups.create({ name: 'web' });
    await t.cloud.as(t.as.sam).securityGroups.create({ name: 'sales-web' });
    const bobGroup = await t.cloud.as(t.as.bob).securityGroups.create({ name: 'bobs' });

    expect((await alice.securityGroups.list()).items.map((g) => g.name)).toEqual(['default', 'web']);
    expect((await alice.securityGroups.list({ securityGroupName: 'WEB' })).items.map((g) => g.id)).toEqual([web.id]);
    expect((await alice.securityGroups.list({ keyword: 'eb' })).items.map((g) => g.id)).toEqual([web.id]);
    expect((await alice.securityGroups.list({ id: bobGroup.id })).items).toEqual([]);
    await refused(() => alice.securityGroups.get(bobGroup.id), 431, 'id');
    await refused(() => alice.securityGroups.list({ account: 'bob', domainId: t.domains.comp2.id }), 431, 'domainid');

    const admin1 = t.cloud.as(t.as.admin1);
    const seen = (await admin1.securityGroups.list({ listAll: true })).items.map((g) => `${g.accountName}/${g.name}`);
    expect(seen).toEqual(expect.arrayContaining(['alice/web', 'alice/default', 'sam/sales-web']));
    expect(seen.some((name) => name.startsWith('bob/'))).toBe(false);
    const root = (await t.cloud.system.securityGroups.list({ listAll: true })).items.map((g) => `${g.accountName}/${g.name}`);
    expect(root).toEqual(expect.arrayContaining(['alice/web', 'bob/bobs', 'sam/sales-web']));

    const vm = await deployMember(t, t.as.alice, { securityGroupNames: ['web'] }, { start: false });
    expect((await alice.securityGroups.list({ virtualMachineId: vm.id })).items.map((g) => g.name)).toEqual(['web']);
    await refused(() => t.cloud.as(t.as.bob).securityGroups.list({ virtualMachineId: vm.id }), 431, 'virtualmachineid');
  });
});
