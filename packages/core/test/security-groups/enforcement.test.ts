import { describe, expect, it } from 'vitest';
import type { SimulatorHypervisor } from '../../../driver-simulator/src/index.js';
import { deployMember, enforced, sgCloud, slash32, startMember, stopMember } from './sg-fixtures.js';

describe('rule sets on the hosts (SecurityGroupProvider through the hypervisor driver)', () => {
  it('a rule change reaches every running member, on every host, with a growing sequence number', async () => {
    const t = await sgCloud({ hosts: 2 });
    const alice = t.cloud.as(t.as.alice);
    const web = await alice.securityGroups.create({ name: 'web' });
    const vms = [];
    for (let i = 0; i < 4; i += 1) vms.push(await deployMember(t, t.as.alice, { securityGroupIds: [web.id] }, { name: `web${i}` }));
    expect(new Set(vms.map((vm) => t.sim.lab.hostOfVm(vm.instanceName)?.name)).size).toBe(2);
    const seqBefore = vms.map((vm) => enforced(t, vm)?.seq ?? 0);
    await alice.securityGroupRules.authorizeIngress({ securityGroupId: web.id, protocol: 'tcp', startPort: 443, endPort: 443, cidrList: '0.0.0.0/0' });
    for (const [i, vm] of vms.entries()) {
      const set = enforced(t, vm);
      expect(set?.ingress.rules).toEqual([{ protocol: 'tcp', startPort: 443, endPort: 443, cidrs: ['0.0.0.0/0'] }]);
      expect(set!.seq).toBeGreaterThan(seqBefore[i]!);
      const sync = await t.enforcer.syncStateOf(vm.id);
      expect(sync).toMatchObject({ pending: false, seq: set!.seq, appliedSeq: set!.seq });
    }
  });

  it('a group change reaches a stopped member when it starts (stopped members are not called)', async () => {
    const t = await sgCloud();
    const alice = t.cloud.as(t.as.alice);
    const web = await alice.securityGroups.create({ name: 'web' });
    const running = await deployMember(t, t.as.alice, { securityGroupIds: [web.id] });
    const sleeper = await deployMember(t, t.as.alice, { securityGroupIds: [web.id] });
    await stopMember(t, t.as.alice, sleeper.id);
    // A stopped VM's filter goes with it.
    expect(enforced(t, sleeper)).toBeUndefined();
    const calls = t.sim.lab.faults.inject({ operation: 'applySecurityGroupRules', mode: 'slow', delayMs: 0, target: sleeper.instanceName });
    const change = await alice.securityGroupRules.authorizeIngress({ securityGroupId: web.id, protocol: 'tcp', startPort: 8080, endPort: 8080, cidrList: '198.51.100.0/24' });
    expect(calls.hits).toBe(0);
    expect(enforced(t, running)?.ingress.rules).toHaveLength(1);
    expect(enforced(t, sleeper)).toBeUndefined();
    await alice.securityGroupRules.revokeIngress({ id: change.ruleIds[0]! });
    await alice.securityGroupRules.authorizeIngress({ securityGroupId: web.id, protocol: 'tcp', startPort: 9090, endPort: 9090, cidrList: '198.51.100.0/24' });
    expect(calls.hits).toBe(0);
    calls.clear();
    const woken = await startMember(t, t.as.alice, sleeper.id);
    expect(enforced(t, woken)).toMatchObject({ ingress: { policy: 'deny', rules: [{ protocol: 'tcp', startPort: 9090, endPort: 9090, cidrs: ['198.51.100.0/24'] }] }, egress: { policy: 'allow' } });
  });

  it('a host that refuses leaves the VM pending with an ERROR event; the rule change still succeeds and the next apply catches the host up', async () => {
    const t = await sgCloud();
    const alice = t.cloud.as(t.as.alice);
    const web = await alice.securityGroups.create({ name: 'web' });
    const good = await deployMember(t, t.as.alice, { securityGroupIds: [web.id] }, { name: 'good' });
    const bad = await deployMember(t, t.as.alice, { securityGroupIds: [web.id] }, { name: 'bad' });
    const before = enforced(t, bad);
    const fault = t.sim.lab.faults.fail('applySecurityGroupRules', bad.instanceName, 'iptables locked');
    const change = await alice.securityGroupRules.authorizeIngress({ securityGroupId: web.id, protocol: 'tcp', startPort: 25, endPort: 25, cidrList: '0.0.0.0/0' });
    expect(change.group.ingressRules).toHaveLength(1);
    expect(enforced(t, good)?.ingress.rules).toHaveLength(1);
    expect(enforced(t, bad)).toEqual(before);
    expect(await t.enforcer.syncStateOf(bad.id)).toMatchObject({ pending: true, lastError: expect.stringContaining('iptables locked') });
    expect(await t.enforcer.syncStateOf(good.id)).toMatchObject({ pending: false });
    const errors = (await t.cloud.system.events.list({ pageSize: -1, listAll: true })).items.filter((e) => e.type === 'SG.APPLY' && e.level === 'ERROR');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ resourceId: bad.id, accountId: t.accounts.alice.account.id });

    // Still failing: the retry sweep keeps it pending.
    expect(await t.enforcer.retryPending()).toEqual({ applied: [], pending: [bad.id] });
    fault.clear();
    expect(await t.enforcer.retryPending()).toEqual({ applied: [bad.id], pending: [] });
    expect(enforced(t, bad)?.ingress.rules).toEqual([{ protocol: 'tcp', startPort: 25, endPort: 25, cidrs: ['0.0.0.0/0'] }]);
    const sync = await t.enforcer.syncStateOf(bad.id);
    expect(sync?.pending).toBe(false);
    expect(sync?.lastError).toBeUndefined();
  });

  it('a host that never answers is given up on after `wait` seconds: the VM is left pending', async () => {
    const t = await sgCloud();
    const alice = t.cloud.as(t.as.alice);
    const web = await alice.securityGroups.create({ name: 'web' });
    const vm = await deployMember(t, t.as.alice, { securityGroupIds: [web.id] });
    await t.cloud.system.config.update({ name: 'wait', value: 1 });
    const hang = t.sim.lab.faults.hang('applySecurityGroupRules', vm.instanceName);
    await alice.securityGroupRules.authorizeIngress({ securityGroupId: web.id, protocol: 'icmp', icmpType: -1, icmpCode: -1, cidrList: '0.0.0.0/0' });
    expect(await t.enforcer.syncStateOf(vm.id)).toMatchObject({ pending: true, lastError: expect.stringContaining('Timed out') });
    hang.clear();
    // The next change reaching the VM sends the whole current set.
    await alice.securityGroupRules.authorizeIngress({ securityGroupId: web.id, protocol: 'tcp', startPort: 22, endPort: 22, cidrList: '10.0.0.0/8' });
    expect(enforced(t, vm)?.ingress.rules).toHaveLength(2);
    expect((await t.enforcer.syncStateOf(vm.id))?.pending).toBe(false);
  });

  it('a host keeps the newest set when sets arrive out of order', async () => {
    const t = await sgCloud();
    const alice = t.cloud.as(t.as.alice);
    const web = await alice.securityGroups.create({ name: 'web' });
    const vm = await deployMember(t, t.as.alice, { securityGroupIds: [web.id] });
    await alice.securityGroupRules.authorizeIngress({ securityGroupId: web.id, protocol: 'tcp', startPort: 80, endPort: 80, cidrList: '0.0.0.0/0' });
    const current = enforced(t, vm)!;
    const host = t.sim.lab.hostOfVm(vm.instanceName)!;
    const driver = t.sim.hypervisors[0]!;
    await driver.applySecurityGroupRules({ host: { url: `http://sim/${host.name}` }, vmName: vm.instanceName, rules: { ...current, seq: current.seq - 1, ingress: { policy: 'deny', rules: [] } } });
    expect(enforced(t, vm)).toEqual(current);
    await expect(driver.applySecurityGroupRules({ host: { url: `http://sim/${host.name}` }, vmName: 'i-999-VM', rules: current })).rejects.toThrow(/not running/);
  });

  it('a host whose driver cannot apply rule sets leaves the VM pending with an ERROR event', async () => {
    const withoutSg = (simulator: SimulatorHypervisor) =>
      Object.create(simulator, { capabilities: { value: new Set([...simulator.capabilities].filter((c) => c !== 'securitygroup.apply')) } }) as SimulatorHypervisor;
    const t = await sgCloud({ driver: withoutSg });
    const vm = await deployMember(t, t.as.alice);
    expect(vm.state).toBe('Running');
    expect(enforced(t, vm)).toBeUndefined();
    expect(await t.enforcer.syncStateOf(vm.id)).toMatchObject({ pending: true, lastError: expect.stringContaining('securitygroup.apply') });
    const errors = (await t.cloud.system.events.list({ pageSize: -1, listAll: true })).items.filter((e) => e.type === 'SG.APPLY');
    expect(errors.map((e) => e.level)).toEqual(['ERROR']);
  });

  it('applyForVm after a start refreshes the VMs whose rules name the started VM’s groups; leaveAll at expunge takes it out of them', async () => {
    const t = await sgCloud();
    const alice = t.cloud.as(t.as.alice);
    const db = await alice.securityGroups.create({ name: 'db' });
    await alice.securityGroups.create({ name: 'web' });
    await alice.securityGroupRules.authorizeIngress({ securityGroupId: db.id, protocol: 'tcp', startPort: 5432, endPort: 5432, userSecurityGroupList: [{ account: 'alice', group: 'web' }] });
    const dbVm = await deployMember(t, t.as.alice, { securityGroupIds: [db.id] });
    const web = await deployMember(t, t.as.alice, { securityGroupNames: ['web'] });
    expect(enforced(t, dbVm)?.ingress.rules[0]?.cidrs).toEqual([slash32(web)]);
    // Leaving, as the expunge will: memberships go in its transaction; the db VM's host follows after commit.
    await t.cloud.store.transaction(async (tx) => {
      expect(await t.membership.leaveAll(tx, web.id)).toHaveLength(1);
    });
    await waitFor(() => (enforced(t, dbVm)?.ingress.rules.length ?? -1) === 0);
    expect(await t.cloud.store.transaction((tx) => tx.repo('securityGroupMembers').count({ vmId: web.id }))).toBe(0);
    expect(await t.enforcer.syncStateOf(web.id)).toBeUndefined();
  });
});

async function waitFor(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !condition(); i += 1) await new Promise((resolve) => setTimeout(resolve, 5));
  expect(condition()).toBe(true);
}
