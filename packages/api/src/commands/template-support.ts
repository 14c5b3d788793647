import { CloudError, CsErrorCode, ErrorCode, HYPERVISOR_TYPES, internalError, invalidParameter, type Page, type TemplateFilter, type TemplateView } from '@cloudstack-sdk/core';
import { param } from '../params/param-types.js';
import type { ApiObject } from '../response/api-value.js';
import { NameLookup } from '../response/name-lookup.js';
import { isoView, templateView } from '../response/template-views.js';
import type { CommandContext, ListOutcome } from './command.js';
import { defined } from './defined.js';
import { PAGING_PARAMS, SCOPING_PARAMS, pagingInput, scopingInput } from './list-params.js';

/** The `templatefilter` / `isofilter` values of 4.1 (reference §5), plus `all` for root admins. */
export const TEMPLATE_FILTERS = ['featured', 'self', 'selfexecutable', 'sharedexecutable', 'executable', 'community', 'all'] as const satisfies readonly TemplateFilter[];

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The filters `listTemplates` and `listIsos` share besides the filter itself. */
export const IMAGE_LIST_PARAMS = {
  id: param.uuid('the template ID'),
  name: param.string('the template name'),
  zoneid: param.uuid('list templates by zoneId'),
  hypervisor: param.oneOf('the hypervisor for which to restrict the search', HYPERVISOR_TYPES),
  ...SCOPING_PARAMS,
  ...PAGING_PARAMS,
} as const;

/** The list parameters as a core list input (without the filter). */
export function imageListInput(params: {
  readonly id?: string;
  readonly name?: string;
  readonly zoneid?: string;
  readonly hypervisor?: (typeof HYPERVISOR_TYPES)[number];
  readonly keyword?: string;
  readonly page?: number;
  readonly pagesize?: number;
  readonly listall?: boolean;
  readonly isrecursive?: boolean;
  readonly domainid?: string;
  readonly account?: string;
}) {
  return {
    ...defined({ id: params.id, name: params.name, zoneId: params.zoneid, keyword: params.keyword }),
    ...(params.hypervisor === undefined ? {} : { hypervisor: params.hypervisor }),
    ...scopingInput(params),
    ...pagingInput(params),
  };
}

/**
 * A page of template or ISO rows as a list reply. As in 4.1, `count` of `listTemplates` and
 * `listIsos` is the number of rows on the page (reference §2.2), not the total.
 */
export async function imageRows(context: CommandContext, page: Page<TemplateView>, iso: boolean): Promise<ListOutcome> {
  const names = new NameLookup(context.cloud.system);
  const items: ApiObject[] = [];
  for (const row of page.items) items.push(iso ? await isoView(row, names, context.formatDate) : await templateView(row, names, context.formatDate));
  return { items, count: items.length };
}

/** Every zone row of one template or ISO, read as SYSTEM (the caller just acted on it). */
export async function rowsOf(context: CommandContext, id: string, iso: boolean, zoneId?: string): Promise<Page<TemplateView>> {
  const query = { templateFilter: 'all' as const, id, pageSize: -1, ...(zoneId === undefined ? {} : { zoneId }) };
  return iso ? context.cloud.system.isos.list(query) : context.cloud.system.templates.list(query);
}

/**
 * `zoneid` of `registerTemplate`/`registerIso`: a zone UUID, or `-1` for every zone (4.1
 * accepts the numeric id of pre-3.0 commands there). 431 naming `zoneid` otherwise.
 */
export function registrationZone(value: string): string {
  const zone = value.trim();
  if (zone === '-1') return zone;
  if (!UUID.test(zone)) throw invalidParameter('zoneid', `Invalid parameter zoneid value=${zone} due to incorrect long value format, or entity does not exist or due to incorrect parameter annotation for the field in api cmd class.`);
  return zone.toLowerCase();
}

/**
 * Waits for a core job (a template removal or copy) inside the API's job, and fails the API's
 * job with the core job's error when it failed.
 */
export async function awaitCoreJob(context: CommandContext, jobId: string): Promise<void> {
  const job = await context.services.jobs.wait(jobId);
  if (job.status !== 2) return;
  const error = job.error;
  if (error === undefined) throw internalError(`job ${job.command} failed without an error`);
  const code = Object.values(ErrorCode).find((c) => c === error.code) ?? ErrorCode.INTERNAL_ERROR;
  const csErrorCode = Object.values(CsErrorCode).find((c) => c === error.csErrorCode);
  throw new CloudError(code, error.message, { ...(csErrorCode === undefined ? {} : { csErrorCode }), ...(error.param === undefined ? {} : { param: error.param }) });
}
