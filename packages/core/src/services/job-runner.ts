import { inject, injectable } from 'tsyringe';
import type { CallContext } from '../context/call-context.js';
import { isoNow, type Clock } from '../contracts/clock.js';
import type { RandomSource } from '../contracts/random.js';
import type { Store, Transaction } from '../contracts/store.js';
import { ErrorCode, notFound, toCloudError } from '../errors.js';
import { JobStatus, type Job } from '../model/job.js';
import { TOKENS, type Logger } from '../tokens.js';

/** What a job is about. */
export interface JobSpec {
  /** The command or operation, e.g. `deployVirtualMachine`. */
  readonly command: string;
  /** The kind of resource it acts on (`VirtualMachine`, `Volume`, ...); `None` by default. */
  readonly instanceType?: string;
  /** The resource's id. */
  readonly instanceId?: string;
}

/** Reports progress (0..100) of a running job. */
export type ReportProgress = (percent: number) => Promise<void>;

/** The work of a job; its resolved value (plain, serialisable data) becomes the job's result. */
export type JobWork<R> = (progress: ReportProgress) => Promise<R>;

/**
 * Runs async jobs: each has a persisted record (status, progress, result or error, owner
 * server), so the API can answer `queryAsyncJobResult` and a restarted server can tell what
 * was left unfinished. The work starts only once the record is committed.
 */
@injectable()
export class JobRunner {
  private readonly running = new Map<string, Promise<void>>();

  constructor(
    @inject(TOKENS.Store) private readonly store: Store,
    @inject(TOKENS.Clock) private readonly clock: Clock,
    @inject(TOKENS.Random) private readonly random: RandomSource,
    @inject(TOKENS.ServerId) private readonly serverId: string,
    @inject(TOKENS.Logger) private readonly logger: Logger,
  ) {}

  /** How many jobs of this process are running. */
  get activeCount(): number {
    return this.running.size;
  }

  /**
   * Records a pending job for `caller` and starts `work` once the record commits. Called inside
   * a transaction, the job joins it: if that transaction rolls back, the job never existed.
   */
  async submit<R>(caller: CallContext, spec: JobSpec, work: JobWork<R>, tx?: Transaction): Promise<Job> {
    const create = async (t: Transaction): Promise<Job> => {
      const now = isoNow(this.clock);
      const job = await t.repo('jobs').insert({
        id: this.random.uuid(),
        command: spec.command,
        status: JobStatus.Pending,
        progress: 0,
        resultCode: 0,
        accountId: caller.accountId,
        domainId: caller.domainId,
        userId: caller.userId,
        instanceType: spec.instanceType ?? 'None',
        ...(spec.instanceId === undefined ? {} : { instanceId: spec.instanceId }),
        ownerServerId: this.serverId,
        createdAt: now,
        updatedAt: now,
      });
      t.afterCommit(() => {
        this.running.set(job.id, this.execute(job.id, work));
      });
      return job;
    };
    return tx === undefined ? this.store.transaction(create) : create(tx);
  }

  /** Waits until a job of this process has finished, then returns its record. */
  async wait(jobId: string): Promise<Job> {
    await this.running.get(jobId);
    const job = await this.store.transaction((tx) => tx.repo('jobs').get(jobId));
    if (job === undefined) throw notFound('async job', 'jobid', jobId);
    return job;
  }

  /** Waits for every job this process is running (for graceful shutdown). */
  async drain(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled(Array.from(this.running.values()));
  }

  /**
   * Marks failed every job that this server left pending when it stopped (jobs of a previous
   * run of the same server id), and returns how many there were. Call once at start-up.
   */
  async recoverInterrupted(ownerServerId: string = this.serverId): Promise<number> {
    return (await this.failInterrupted(ownerServerId)).length;
  }

  /**
   * Marks failed (530, cserrorcode 4250) every pending job owned by `ownerServerId` that this
   * process is not running, in one transaction, and returns them as they were before (so a
   * survivor taking over a dead server can tell which resources its jobs were acting on).
   * `takenOverBy` names the survivor in the error; without it the server is its own successor
   * (a restart under the same id).
   */
  async failInterrupted(ownerServerId: string = this.serverId, takenOverBy?: string): Promise<Job[]> {
    return this.store.transaction(async (tx) => {
      const repo = tx.repo('jobs');
      const { items } = await repo.find({ where: { ownerServerId, status: JobStatus.Pending } });
      const now = isoNow(this.clock);
      const failed: Job[] = [];
      const reason = takenOverBy === undefined || takenOverBy === ownerServerId
        ? `management server ${ownerServerId} stopped before it finished`
        : `management server ${ownerServerId} stopped before it finished; management server ${takenOverBy} took over its work`;
      for (const job of items) {
        if (this.running.has(job.id)) continue;
        await repo.update({
          ...job,
          status: JobStatus.Failed,
          resultCode: ErrorCode.INTERNAL_ERROR,
          error: {
            code: ErrorCode.INTERNAL_ERROR,
            csErrorCode: 4250,
            message: `Job ${job.command} was interrupted: ${reason}`,
          },
          updatedAt: now,
          completedAt: now,
        });
        failed.push(job);
      }
      if (failed.length > 0) this.logger.warn('marked interrupted jobs failed', { count: failed.length, serverId: ownerServerId, ...(takenOverBy === undefined ? {} : { takenOverBy }) });
      return failed;
    });
  }

  private async execute<R>(jobId: string, work: JobWork<R>): Promise<void> {
    const progress: ReportProgress = async (percent) => {
      await this.store.transaction(async (tx) => {
        const job = await tx.repo('jobs').get(jobId);
        if (job === undefined || job.status !== JobStatus.Pending) return;
        await tx.repo('jobs').update({ ...job, progress: Math.max(0, Math.min(100, Math.round(percent))), updatedAt: isoNow(this.clock) });
      });
    };
    try {
      const result = await work(progress);
      await this.finish(jobId, (job, now) => ({
        ...job,
        status: JobStatus.Succeeded,
        progress: 100,
        resultCode: 0,
        ...(result === undefined ? {} : { result: structuredClone(result) }),
        updatedAt: now,
        completedAt: now,
      }));
    } catch (thrown) {
      const error = toCloudError(thrown);
      if (error.code === ErrorCode.INTERNAL_ERROR) this.logger.error('job failed', { jobId, error: error.message });
      await this.finish(jobId, (job, now) => ({
        ...job,
        status: JobStatus.Failed,
        // CloudStack 4.1 reports 530 as every failed job's result code; the error keeps the real one.
        resultCode: ErrorCode.INTERNAL_ERROR,
        error: {
          code: error.code,
          csErrorCode: error.csErrorCode,
          message: error.message,
          ...(error.param === undefined ? {} : { param: error.param }),
        },
        updatedAt: now,
        completedAt: now,
      }));
    } finally {
      this.running.delete(jobId);
    }
  }

  private async finish(jobId: string, change: (job: Job, now: string) => Job): Promise<void> {
    await this.store.transaction(async (tx) => {
      const job = await tx.repo('jobs').get(jobId);
      // A job another server already failed (it took this one for dead) keeps that outcome.
      if (job === undefined || job.status !== JobStatus.Pending) return;
      await tx.repo('jobs').update(change(job, isoNow(this.clock)));
    });
  }
}
