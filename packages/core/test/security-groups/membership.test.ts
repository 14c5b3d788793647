import { describe, expect, it } from 'vitest';
import { refused } from '../accounts/tenants.js';
import type { CallContext, SecurityGroupJoinRequest } from '../../src/index.js';
import { deployMember, sgCloud, sgFootprint, startMember, stopMember, type SgCloud } from './sg-fixtures.js';

/** Deploys a stopped VM for `caller` without joining it, and returns a join call for it. */
/** Deploys a stopped VM of `caller` into the groups of `request`, returning the ids of the groups it joined. */
async function joinable(t: SgCloud, caller: CallContext) {
  const join = async (request: SecurityGroupJoinRequest) => {
    const vm = await t.cloud.as(caller).vms.deploy({
      zoneId: t.zone.id,
      templateId: t.template.id,
      serviceOfferingId: t.offering.id,
      startVm: false,
      ...(request.securityGroupIds === undefined ? {} : { securityGroupIds: [...request.securityGroupIds] }),
      ...(request.securityGroupNames === undefined ? {} : { securityGroupNames: [...request.securityGroupNames] }),
    });
    last.vm = vm;
    return t.cloud.store.transaction(async (tx) => (await t.membership.groupsOf(tx, vm.id)).map((g) => g.id));
  };
  const last: { vm: { id: string } } = { vm: { id: '' } };
  return { get vm() { return last.vm; }, join };
}

async function groupNamesOf(t: SgCloud, vmId: string): Promise<string[]> {
  return t.cloud.store.transaction(async (tx) => (await t.membership.groupsOf(tx, vmId)).map((g) => g.name));
}

describe('VM membership of security groups (guide 13.7.1)', () => {
  it('joins the groups named by id or by name, or the default group when none is named', async () => {
    const t = await sgCloud();
    const alice = t.cloud.as(t.as.alice);
    const web = await alice.securityGroups.create({ name: 'web' });
    await alice.securityGroups.create({ name: 'ssh' });
    const byName = await joinable(t, t.as.alice);
    expect(await byName.join({ securityGroupNames: ['WEB', 'ssh', 'web'] })).toHaveLength(2);
    expect(await groupNamesOf(t, byName.vm.id)).toEqual(['ssh', 'web']);
    const byId = await joinable(t, t.as.alice);
    expect(await byId.join({ securityGroupIds: [web.id] })).toEqual([web.id]);
    const plain = await joinable(t, t.as.alice);
    await plain.join({});
    expect(await groupNamesOf(t, plain.vm.id)).toEqual(['default']);
  });

  it('refuses ids and names together, unknown groups, and leaves nothing behind', async () => {
    const t = await sgCloud();
    const alice = t.cloud.as(t.as.alice);
    const web = await alice.securityGroups.create({ name: 'web' });
    const { join } = await joinable(t, t.as.alice);
    const before = await sgFootprint(t.cloud);
    await refused(() => join({ securityGroupIds: [web.id], securityGroupNames: ['web'] }), 431, 'securitygroupnames');
    await refused(() => join({ securityGroupNames: ['web', 'nope'] }), 431, 'securitygroupnames');
    await refused(() => join({ securityGroupIds: [web.id, 'no-such-id'] }), 431, 'securitygroupids');
    expect(await sgFootprint(t.cloud)).toBe(before);
  });

  it('in a zone without security groups, naming a group is refused (431) and a VM joins nothing', async () => {
    const t = await sgCloud({ securityGroups: false });
    const alice = t.cloud.as(t.as.alice);
    await alice.securityGroups.create({ name: 'web' });
    const joining = await joinable(t, t.as.alice);
    const { join } = joining;
    const before = await sgFootprint(t.cloud);
    await refused(() => join({ securityGroupNames: ['web'] }), 431, 'securitygroupnames');
    await refused(() => join({ securityGroupIds: ['anything'] }), 431, 'securitygroupids');
    expect(await sgFootprint(t.cloud)).toBe(before);
    expect(await join({})).toEqual([]);
    const vm = joining.vm;
    expect(await groupNamesOf(t, vm.id)).toEqual([]);
    await t.cloud.as(t.as.alice).vms.start({ id: vm.id });
    expect(await t.enforcer.applyForVm(vm.id)).toEqual({ applied: [], pending: [] });
  });

  it('keeps a VM in its groups for its lifetime: stops and starts change nothing, and groups it is in cannot be deleted', async () => {
    const t = await sgCloud();
    const alice = t.cloud.as(t.as.alice);
    await alice.securityGroups.create({ name: 'web' });
    const vm = await deployMember(t, t.as.alice, { securityGroupNames: ['web'] });
    const members = () => t.cloud.store.transaction(async (tx) => (await tx.repo('securityGroupMembers').find({ where: { vmId: vm.id } })).items);
    const before = await members();
    await stopMember(t, t.as.alice, vm.id);
    await startMember(t, t.as.alice, vm.id);
    expect(await members()).toEqual(before);
    await refused(() => alice.securityGroups.delete({ name: 'web' }), 536, 'name');
  });

  it('an admin deploying for an account joins that account’s groups; its own group is refused', async () => {
    const t = await sgCloud();
    const carolDb = await t.cloud.as(t.as.carol).securityGroups.create({ name: 'db' });
    const adminGroup = await t.cloud.as(t.as.admin1).securityGroups.create({ name: 'admins' });
    const vm = await deployMember(t, t.as.admin1, { securityGroupIds: [carolDb.id] }, { account: 'carol', domainId: t.domains.comp1.id, start: false });
    expect(await groupNamesOf(t, vm.id)).toEqual(['db']);
    const other = await t.cloud.as(t.as.admin1).vms.deploy({ zoneId: t.zone.id, templateId: t.template.id, serviceOfferingId: t.offering.id, startVm: false, account: 'carol', domainId: t.domains.comp1.id });
    const error = await refused(
      () =>
        t.cloud.store.transaction(async (tx) => {
          const row = await tx.repo('vms').get(other.id);
          return t.membership.join(tx, t.as.admin1, row!, (await tx.repo('accounts').get(row!.accountId))!, (await tx.repo('zones').get(t.zone.id))!, { securityGroupIds: [adminGroup.id] });
        }),
      431,
      'securitygroupids',
    );
    expect(error.message).toMatch(/another account/);
  });
});
