import { JobStatus, type Job } from '@cloudstack-sdk/core';
import type { ApiObject, ApiValue } from './api-value.js';

function isPlainObject(value: unknown): value is ApiObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function resultOf(job: Job): { type: string; result: ApiValue } | undefined {
  if (job.status === JobStatus.Pending) return undefined;
  if (job.status === JobStatus.Failed) {
    return { type: 'object', result: { errorcode: job.error?.code ?? job.resultCode, errortext: job.error?.message ?? 'Job failed' } };
  }
  if (job.result === undefined) return { type: 'object', result: { success: true } };
  if (isPlainObject(job.result)) return { type: 'object', result: job.result };
  return { type: 'text', result: String(job.result) };
}

/**
 * A job as `queryAsyncJobResult` and `listAsyncJobs` show it (reference §3): status 0/1/2,
 * result code 0 or 530, `jobresulttype` and `jobresult` once finished (the object under its
 * object name, `{success:true}`, or `{errorcode, errortext}`), and the instance type and id only
 * while pending, as 4.1 clears them on completion.
 */
export function jobView(job: Job, formatDate: (time: string) => string): ApiObject {
  const outcome = resultOf(job);
  const pending = job.status === JobStatus.Pending;
  return {
    accountid: job.accountId,
    userid: job.userId,
    cmd: job.command,
    jobstatus: job.status,
    jobprocstatus: pending ? job.progress : 0,
    jobresultcode: job.resultCode,
    jobresulttype: outcome?.type,
    jobresult: outcome?.result,
    jobinstancetype: pending && job.instanceId !== undefined ? job.instanceType : undefined,
    jobinstanceid: pending ? job.instanceId : undefined,
    created: formatDate(job.createdAt),
    jobid: job.id,
  };
}
