import { inject, injectable } from 'tsyringe';
import { z } from 'zod';
import { ConfigReader } from '../config/config-reader.js';
import type { CallContext } from '../context/call-context.js';
import { isRootAdmin } from '../context/call-context.js';
import type { Filter, Page, Store } from '../contracts/store.js';
import { notFound } from '../errors.js';
import type { Job } from '../model/job.js';
import { TOKENS } from '../tokens.js';
import { JobRunner } from './job-runner.js';
import { PagingInput, pageWindow } from './paging.js';
import { validate } from './validate.js';

/** Filters of {@link JobService.list}. */
export const ListJobsInput = z
  .object({
    status: z.union([z.literal(0), z.literal(1), z.literal(2)]).optional(),
    /** Only jobs created at or after this ISO time. */
    startDate: z.string().optional(),
  })
  .extend(PagingInput.shape);

/** Filters of {@link JobService.list}. */
export type ListJobsInput = z.input<typeof ListJobsInput>;

/**
 * Async jobs as callers see them (`queryAsyncJobResult`, `listAsyncJobs`): a root admin sees
 * every job, anyone else the jobs of their own account; a job the caller may not see reads as
 * not found.
 */
@injectable()
export class JobService {
  constructor(
    @inject(TOKENS.Store) private readonly store: Store,
    @inject(ConfigReader) private readonly config: ConfigReader,
    @inject(JobRunner) private readonly runner: JobRunner,
  ) {}

  /** One job by id. */
  async get(caller: CallContext, jobId: string): Promise<Job> {
    const job = await this.store.transaction((tx) => tx.repo('jobs').get(jobId));
    if (job === undefined || !this.mayRead(caller, job)) throw notFound('async job', 'jobid', jobId);
    return job;
  }

  /** Waits for a job to finish and returns it (visibility as {@link JobService.get}). */
  async wait(caller: CallContext, jobId: string): Promise<Job> {
    await this.get(caller, jobId);
    return this.runner.wait(jobId);
  }

  /** The caller's jobs, newest first. */
  async list(caller: CallContext, input: ListJobsInput = {}): Promise<Page<Job>> {
    const query = validate(ListJobsInput, input);
    const where: Filter<Job> = {
      ...(isRootAdmin(caller) ? {} : { accountId: caller.accountId }),
      ...(query.status === undefined ? {} : { status: query.status }),
      ...(query.startDate === undefined ? {} : { createdAt: { gte: query.startDate } }),
    };
    return this.store.transaction(async (tx) => {
      const window = pageWindow(query, await this.config.number('default.page.size', {}, tx));
      return tx.repo('jobs').find({ where, orderBy: [{ field: 'createdAt', direction: 'desc' }], ...window });
    });
  }

  private mayRead(caller: CallContext, job: Job): boolean {
    return isRootAdmin(caller) || job.accountId === caller.accountId;
  }
}
