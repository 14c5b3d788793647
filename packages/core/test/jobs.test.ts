import { describe, expect, it } from 'vitest';
import { CloudError, JobRunner, JobStatus, MemoryStore, Role, SYSTEM, insufficientCapacity, type CallContext } from '../src/index.js';
import { createTestCloud } from './support/test-cloud.js';

const alice: CallContext = { userId: 'u-alice', accountId: 'a-alice', domainId: SYSTEM.domainId, role: Role.User };
const bob: CallContext = { userId: 'u-bob', accountId: 'a-bob', domainId: SYSTEM.domainId, role: Role.User };

describe('async jobs', () => {
  it('records a pending job, runs it after commit, and records the result and progress', async () => {
    const cloud = await createTestCloud();
    const runner = cloud.container.resolve(JobRunner);
    let seenPending = false;
    let progressSeen = -1;
    const ownJob = async () => (await cloud.as(alice).jobs.list()).items[0]!;
    const job = await runner.submit(alice, { command: 'startVirtualMachine', instanceType: 'VirtualMachine', instanceId: 'vm-1' }, async (progress) => {
      seenPending = (await ownJob()).status === JobStatus.Pending;
      await progress(40);
      progressSeen = (await ownJob()).progress;
      return { virtualmachine: { id: 'vm-1', state: 'Running' } };
    });
    expect(job).toMatchObject({ status: JobStatus.Pending, progress: 0, resultCode: 0, accountId: 'a-alice', ownerServerId: 'ms-1' });
    const done = await cloud.as(alice).jobs.wait(job.id);
    expect(seenPending).toBe(true);
    expect(progressSeen).toBe(40);
    expect(done).toMatchObject({ status: JobStatus.Succeeded, progress: 100, resultCode: 0, result: { virtualmachine: { id: 'vm-1', state: 'Running' } } });
    expect(done.completedAt).toBeDefined();
  });

  it('records a failure with 530 as the result code and the real error inside, as CloudStack 4.1 does', async () => {
    const cloud = await createTestCloud();
    const runner = cloud.container.resolve(JobRunner);
    const job = await runner.submit(alice, { command: 'deployVirtualMachine' }, async () => {
      throw insufficientCapacity('memory', 'no host has 4096 MB free');
    });
    const done = await cloud.as(alice).jobs.wait(job.id);
    expect(done).toMatchObject({ status: JobStatus.Failed, resultCode: 530, error: { code: 533, csErrorCode: 4325 } });
    expect(done.error?.message).toMatch(/no host has 4096 MB free/);
  });

  it('turns an unexpected throw into a 530 job error', async () => {
    const cloud = await createTestCloud();
    const job = await cloud.container.resolve(JobRunner).submit(alice, { command: 'x' }, async () => {
      throw new TypeError('driver exploded');
    });
    expect((await cloud.as(alice).jobs.wait(job.id)).error).toMatchObject({ code: 530, message: 'driver exploded' });
  });

  it('never starts a job whose transaction rolled back', async () => {
    const cloud = await createTestCloud();
    const runner = cloud.container.resolve(JobRunner);
    let ran = false;
    await cloud.store
      .transaction(async (tx) => {
        await runner.submit(alice, { command: 'x' }, async () => {
          ran = true;
        }, tx);
        throw new Error('roll back');
      })
      .catch(() => undefined);
    await runner.drain();
    expect(ran).toBe(false);
    expect(await cloud.store.transaction((tx) => tx.repo('jobs').count())).toBe(0);
  });

  it('shows a job to its account and root admins only; to others it does not exist', async () => {
    const cloud = await createTestCloud();
    const job = await cloud.container.resolve(JobRunner).submit(alice, { command: 'x' }, async () => 1);
    await cloud.as(alice).jobs.wait(job.id);
    const error = await cloud.as(bob).jobs.get(job.id).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CloudError);
    expect(error).toMatchObject({ code: 431, param: 'jobid' });
    expect((await cloud.as(bob).jobs.list()).total).toBe(0);
    expect((await cloud.as(alice).jobs.list()).total).toBe(1);
    // As in 4.1, an admin (SYSTEM too) lists its own account's jobs unless it asks for all.
    expect((await cloud.system.jobs.list({ status: JobStatus.Succeeded })).total).toBe(0);
    expect((await cloud.system.jobs.list({ status: JobStatus.Succeeded, listAll: true })).total).toBe(1);
  });

  it('on start-up marks failed the jobs this server left pending, and leaves other servers\' jobs alone', async () => {
    const store = new MemoryStore();
    const first = await createTestCloud({ store, serverId: 'ms-1', secrets: { activeKeyId: 'k', keys: { k: Buffer.alloc(32).toString('base64') } } });
    const hang = new Promise<never>(() => undefined);
    const mine = await first.container.resolve(JobRunner).submit(alice, { command: 'stopVirtualMachine' }, () => hang);
    const other = await createTestCloud({ store, serverId: 'ms-2', secrets: { activeKeyId: 'k', keys: { k: Buffer.alloc(32).toString('base64') } } });
    const theirs = await other.container.resolve(JobRunner).submit(alice, { command: 'rebootVirtualMachine' }, () => hang);

    // "Restart" ms-1: a new cloud with the same server id on the same store.
    await createTestCloud({ store, serverId: 'ms-1', secrets: { activeKeyId: 'k', keys: { k: Buffer.alloc(32).toString('base64') } } });
    const recovered = await store.transaction((tx) => tx.repo('jobs').get(mine.id));
    expect(recovered).toMatchObject({ status: JobStatus.Failed, resultCode: 530 });
    expect(recovered?.error?.message).toMatch(/interrupted: management server ms-1 stopped/);
    expect((await store.transaction((tx) => tx.repo('jobs').get(theirs.id)))?.status).toBe(JobStatus.Pending);
  });

  it('drains running jobs on close', async () => {
    const cloud = await createTestCloud();
    const runner = cloud.container.resolve(JobRunner);
    let finished = false;
    await runner.submit(SYSTEM, { command: 'slow' }, async () => {
      await new Promise((resolve) => setTimeout(resolve, 30));
      finished = true;
    });
    expect(runner.activeCount).toBe(1);
    await cloud.close();
    expect(finished).toBe(true);
    expect(runner.activeCount).toBe(0);
  });
});
