import { inject, injectable } from 'tsyringe';
import { z } from 'zod';
import { ConfigReader } from '../config/config-reader.js';
import type { CallContext } from '../context/call-context.js';
import type { Filter, Page, Store } from '../contracts/store.js';
import { notFound } from '../errors.js';
import type { Job } from '../model/job.js';
import { TOKENS } from '../tokens.js';
import { JobRunner } from './job-runner.js';
import { PagingInput, pageWindow } from './paging.js';
import { validate } from './validate.js';
import { Visibility, VisibilityInput } from './visibility.js';

/** Filters of {@link JobService.list}. */
export const ListJobsInput = VisibilityInput.extend({
  status: z.union([z.literal(0), z.literal(1), z.literal(2)]).optional(),
  /** Only jobs created at or after this ISO time. */
  startDate: z.string().optional(),
}).extend(PagingInput.shape);

/** Filters of {@link JobService.list}. */
export type ListJobsInput = z.input<typeof ListJobsInput>;

/**
 * Async jobs as callers see them (`queryAsyncJobResult`, `listAsyncJobs`) under the shared
 * visibility rule: by id, a job of an account the caller may see; listed, the caller's own
 * account's jobs, or with `listAll` an admin's domain subtree (a root admin's: all). A job the
 * caller may not see reads as not found.
 */
@injectable()
export class JobService {
  constructor(
    @inject(TOKENS.Store) private readonly store: Store,
    @inject(ConfigReader) private readonly config: ConfigReader,
    @inject(JobRunner) private readonly runner: JobRunner,
    @inject(Visibility) private readonly visibility: Visibility,
  ) {}

  /** One job by id. */
  async get(caller: CallContext, jobId: string): Promise<Job> {
    return this.store.transaction(async (tx) => {
      const job = await tx.repo('jobs').get(jobId);
      if (job === undefined) throw notFound('async job', 'jobid', jobId);
      await this.visibility.assertCanAccess(tx, caller, job, 'async job', 'jobid', jobId);
      return job;
    });
  }

  /** Waits for a job to finish and returns it (visibility as {@link JobService.get}). */
  async wait(caller: CallContext, jobId: string): Promise<Job> {
    await this.get(caller, jobId);
    return this.runner.wait(jobId);
  }

  /** The jobs the caller may see, newest first. */
  async list(caller: CallContext, input: ListJobsInput = {}): Promise<Page<Job>> {
    const query = validate(ListJobsInput, input);
    return this.store.transaction(async (tx) => {
      const where: Filter<Job> = {
        ...this.visibility.ownerFilter(await this.visibility.scope(tx, caller, query)),
        ...(query.status === undefined ? {} : { status: query.status }),
        ...(query.startDate === undefined ? {} : { createdAt: { gte: query.startDate } }),
      };
      const window = pageWindow(query, await this.config.number('default.page.size', {}, tx));
      return tx.repo('jobs').find({ where, orderBy: [{ field: 'createdAt', direction: 'desc' }], ...window });
    });
  }
}
