import { beforeAll, describe, expect, it } from 'vitest';
import { JobRunner, SYSTEM, type CallContext, type VisibilityInput } from '../../src/index.js';
import { refused, tenantCloud, type TenantCloud } from './tenants.js';

type Who = keyof TenantCloud['as'] | 'system';

let t: TenantCloud;

function caller(who: Who): CallContext {
  return who === 'system' ? SYSTEM : t.as[who];
}

async function accountNames(who: Who, input: VisibilityInput & { id?: string } = {}): Promise<string[]> {
  return (await t.cloud.as(caller(who)).accounts.list(input)).items.map((a) => a.name).sort();
}

async function keyPairOwners(who: Who, input: VisibilityInput = {}): Promise<string[]> {
  const names = (await t.cloud.as(caller(who)).sshKeyPairs.list(input)).items.map((p) => p.name);
  return names.sort();
}

beforeAll(async () => {
  t = await tenantCloud();
  // One key pair per account, named after it, so the lists below show whose rows are visible.
  for (const [name, ctx] of Object.entries(t.as)) {
    await t.cloud.as(ctx).sshKeyPairs.register({
      name: `kp-${name}`,
      publicKey: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl test',
    });
  }
});

const ALL_TENANTS = ['admin', 'admin1', 'admin2', 'alice', 'bob', 'resadmin1', 'root2', 'sam'];

describe('the visibility rule', () => {
  it('a user sees only its own account, whatever it asks for', async () => {
    expect(await accountNames('alice')).toEqual(['alice']);
    expect(await accountNames('alice', { listAll: true })).toEqual(['alice']);
    expect(await accountNames('alice', { listAll: true, domainId: t.domains.comp1.id, isRecursive: true })).toEqual(['alice']);
    expect(await keyPairOwners('alice', { listAll: true })).toEqual(['kp-alice']);
    expect(await keyPairOwners('sam', { listAll: true })).toEqual(['kp-sam']);
  });

  it('a user naming another account or domain gets "not found", never its rows', async () => {
    await refused(() => t.cloud.as(t.as.alice).accounts.list({ account: 'admin1', domainId: t.domains.comp1.id }), 431, 'account');
    await refused(() => t.cloud.as(t.as.alice).accounts.list({ domainId: t.domains.comp2.id }), 431, 'domainid');
    await refused(() => t.cloud.as(t.as.alice).accounts.list({ domainId: t.domains.sales.id }), 431, 'domainid');
    await refused(() => t.cloud.as(t.as.alice).sshKeyPairs.list({ account: 'bob', domainId: t.domains.comp2.id }), 431, 'domainid');
  });

  it('an admin without listall sees its own account only', async () => {
    expect(await accountNames('admin1')).toEqual(['admin1']);
    expect(await accountNames('root2')).toEqual(['root2']);
    expect(await keyPairOwners('admin2')).toEqual(['kp-admin2']);
    expect(await keyPairOwners('resadmin1')).toEqual(['kp-resadmin1']);
    // SYSTEM (the integration port) likewise sees only the system account's rows (reference §1.4).
    expect(await keyPairOwners('system')).toEqual([]);
  });

  it('a domain admin of /Comp1/ with listall sees /Comp1/ and /Comp1/sales/, never /Comp2/', async () => {
    expect(await accountNames('admin1', { listAll: true })).toEqual(['admin1', 'alice', 'resadmin1', 'sam']);
    expect(await keyPairOwners('admin1', { listAll: true })).toEqual(['kp-admin1', 'kp-alice', 'kp-resadmin1', 'kp-sam']);
    expect(await accountNames('resadmin1', { listAll: true })).toEqual(['admin1', 'alice', 'resadmin1', 'sam']);
    expect(await accountNames('admin2', { listAll: true })).toEqual(['admin2', 'bob']);
  });

  it('domainid narrows to one domain, isrecursive adds the domains below', async () => {
    expect(await accountNames('admin1', { domainId: t.domains.comp1.id })).toEqual(['admin1', 'alice', 'resadmin1']);
    expect(await accountNames('admin1', { domainId: t.domains.comp1.id, isRecursive: true })).toEqual(['admin1', 'alice', 'resadmin1', 'sam']);
    expect(await accountNames('admin1', { domainId: t.domains.sales.id })).toEqual(['sam']);
    expect(await accountNames('root2', { domainId: t.domains.comp2.id })).toEqual(['admin2', 'bob']);
  });

  it('a domain admin naming /Comp2/ or one of its accounts gets "not found"', async () => {
    await refused(() => t.cloud.as(t.as.admin1).accounts.list({ domainId: t.domains.comp2.id }), 431, 'domainid');
    await refused(() => t.cloud.as(t.as.admin1).accounts.list({ account: 'bob' }), 431, 'account');
    await refused(() => t.cloud.as(t.as.admin1).sshKeyPairs.list({ account: 'bob', domainId: t.domains.comp2.id }), 431, 'domainid');
    await refused(() => t.cloud.as(t.as.admin1).accounts.list({ domainId: '00000000-0000-4000-8000-00000000dead' }), 431, 'domainid');
  });

  it('account narrows to one account the caller may see', async () => {
    expect(await accountNames('admin1', { account: 'sam', domainId: t.domains.sales.id })).toEqual(['sam']);
    expect(await keyPairOwners('admin1', { account: 'alice' })).toEqual(['kp-alice']);
    expect(await keyPairOwners('root2', { account: 'bob', domainId: t.domains.comp2.id })).toEqual(['kp-bob']);
  });

  it('a root admin with listall sees everything', async () => {
    expect(await accountNames('root2', { listAll: true })).toEqual(ALL_TENANTS);
    expect(await accountNames('system', { listAll: true })).toEqual(ALL_TENANTS);
    expect((await t.cloud.as(t.as.root2).sshKeyPairs.list({ listAll: true })).total).toBe(7);
  });

  it('an id outside the caller\'s reach reads exactly like an id that does not exist', async () => {
    const bobId = t.accounts.bob.account.id;
    const missing = await refused(() => t.cloud.as(t.as.admin1).accounts.get('00000000-0000-4000-8000-00000000beef'), 431, 'id');
    const hidden = await refused(() => t.cloud.as(t.as.admin1).accounts.get(bobId), 431, 'id');
    expect(hidden.message.replace(bobId, 'X')).toBe(missing.message.replace('00000000-0000-4000-8000-00000000beef', 'X'));
    await refused(() => t.cloud.as(t.as.alice).accounts.get(t.accounts.sam.account.id), 431, 'id');
    await refused(() => t.cloud.as(t.as.alice).users.get(t.accounts.admin1.user.id), 431, 'id');
    await refused(() => t.cloud.as(t.as.admin2).users.get(t.accounts.alice.user.id), 431, 'id');
    await refused(() => t.cloud.as(t.as.admin1).domains.get(t.domains.comp2.id), 431, 'id');
    expect((await t.cloud.as(t.as.admin1).accounts.get(t.accounts.sam.account.id)).name).toBe('sam');
    expect((await t.cloud.as(t.as.root2).accounts.get(bobId)).name).toBe('bob');
    // Listing by id: an admin's scope widens to its subtree, never beyond it.
    expect(await accountNames('admin1', { id: t.accounts.sam.account.id })).toEqual(['sam']);
    expect(await accountNames('admin1', { id: bobId })).toEqual([]);
    expect(await accountNames('alice', { id: t.accounts.sam.account.id })).toEqual([]);
  });

  it('domain lists follow the same subtree rule', async () => {
    const paths = async (who: Who, listAll?: boolean) =>
      (await t.cloud.as(caller(who)).domains.list(listAll === undefined ? {} : { listAll })).items.map((d) => d.path);
    expect(await paths('admin1')).toEqual(['/Comp1/']);
    expect(await paths('admin1', true)).toEqual(['/Comp1/', '/Comp1/sales/']);
    expect(await paths('root2', true)).toEqual(['/', '/Comp1/', '/Comp1/sales/', '/Comp2/']);
    await refused(() => t.cloud.as(t.as.alice).domains.list(), 531);
  });

  it('events are scoped by the same rule', async () => {
    const types = async (who: Who, input: VisibilityInput = {}) =>
      (await t.cloud.as(caller(who)).events.list({ ...input, type: 'REGISTER.SSH.KEYPAIR' })).items.map((e) => e.accountId).sort();
    expect(await types('alice')).toEqual([t.accounts.alice.account.id]);
    expect(await types('alice', { listAll: true })).toEqual([t.accounts.alice.account.id]);
    expect(await types('admin1')).toEqual([t.accounts.admin1.account.id]);
    expect((await types('admin1', { listAll: true })).sort()).toEqual(
      [t.accounts.admin1.account.id, t.accounts.alice.account.id, t.accounts.resadmin1.account.id, t.accounts.sam.account.id].sort(),
    );
    expect(await types('admin2', { listAll: true })).toEqual([t.accounts.admin2.account.id, t.accounts.bob.account.id].sort());
    expect(await types('root2', { listAll: true })).toHaveLength(7);
    await refused(() => t.cloud.as(t.as.admin2).events.list({ domainId: t.domains.comp1.id }), 431, 'domainid');
  });

  it('jobs are scoped by the same rule, and a job out of reach reads as not found', async () => {
    const runner = t.cloud.container.resolve(JobRunner);
    const samJob = await runner.submit(t.as.sam, { command: 'test' }, async () => 'done');
    const bobJob = await runner.submit(t.as.bob, { command: 'test' }, async () => 'done');
    await t.cloud.as(t.as.sam).jobs.wait(samJob.id);
    await t.cloud.as(t.as.bob).jobs.wait(bobJob.id);
    expect((await t.cloud.as(t.as.admin1).jobs.get(samJob.id)).id).toBe(samJob.id);
    await refused(() => t.cloud.as(t.as.admin1).jobs.get(bobJob.id), 431, 'jobid');
    await refused(() => t.cloud.as(t.as.alice).jobs.get(samJob.id), 431, 'jobid');
    expect((await t.cloud.as(t.as.admin1).jobs.list()).total).toBe(0);
    expect((await t.cloud.as(t.as.admin1).jobs.list({ listAll: true })).items.map((j) => j.id)).toEqual([samJob.id]);
    expect((await t.cloud.as(t.as.root2).jobs.list({ listAll: true })).total).toBe(2);
    expect((await t.cloud.as(t.as.root2).jobs.get(bobJob.id)).id).toBe(bobJob.id);
  });
});
