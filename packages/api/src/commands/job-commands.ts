import { param } from '../params/param-types.js';
import { jobView } from '../response/job-view.js';
import { catalogFacts } from './catalog.js';
import { defineCommand, type ResponseFieldDoc } from './command.js';
import { PAGING_PARAMS, SCOPING_PARAMS, pagingInput, scopingInput } from './list-params.js';

const JOB_FIELDS: readonly ResponseFieldDoc[] = [
  { name: 'accountid', description: 'the account that executed the async command', type: 'string' },
  { name: 'userid', description: 'the user that executed the async command', type: 'string' },
  { name: 'cmd', description: 'the async command executed', type: 'string' },
  { name: 'jobstatus', description: 'the current job status: 0 pending, 1 succeeded, 2 failed', type: 'integer' },
  { name: 'jobprocstatus', description: 'the progress information of the PENDING job', type: 'integer' },
  { name: 'jobresultcode', description: 'the result code for the job', type: 'integer' },
  { name: 'jobresulttype', description: 'the result type', type: 'string' },
  { name: 'jobresult', description: 'the result reason', type: 'responseobject' },
  { name: 'jobinstancetype', description: 'the instance/entity object related to the job', type: 'string' },
  { name: 'jobinstanceid', description: 'the unique ID of the instance/entity object related to the job', type: 'string' },
  { name: 'created', description: 'the created date of the job', type: 'date' },
  { name: 'jobid', description: 'the ID of the async job', type: 'string' },
];

/** `queryAsyncJobResult`: one job's status and, once finished, its result (reference §3). */
export const queryAsyncJobResult = defineCommand({
  ...catalogFacts('queryAsyncJobResult'),
  kind: 'sync',
  description: 'Retrieves the current status of asynchronous job.',
  params: { jobid: param.uuid('the ID of the asychronous job', { required: true }) },
  response: JOB_FIELDS,
  related: ['listAsyncJobs'],
  async execute(context, params) {
    const job = await context.services.jobs.get(params.jobid);
    return { type: 'fields', fields: jobView(job, context.formatDate) };
  },
});

/** `listAsyncJobs`: the caller's jobs, newest first, optionally since a date. */
export const listAsyncJobs = defineCommand({
  ...catalogFacts('listAsyncJobs'),
  kind: 'list',
  objectName: 'asyncjobs',
  description: 'Lists all pending asynchronous jobs for the account.',
  params: {
    startdate: param.tzDate('the start date of the async job'),
    ...SCOPING_PARAMS,
    page: PAGING_PARAMS.page,
    pagesize: PAGING_PARAMS.pagesize,
  },
  response: JOB_FIELDS,
  related: ['queryAsyncJobResult'],
  async execute(context, params) {
    const page = await context.services.jobs.list({
      ...scopingInput(params),
      ...(params.startdate === undefined ? {} : { startDate: params.startdate }),
      ...pagingInput(params),
    });
    return { items: page.items.map((job) => jobView(job, context.formatDate)), count: page.total };
  },
});
