import { VolumeType } from '@cloudstack-sdk/core';
import { param } from '../params/param-types.js';
import { VolumeLookup, volumeViews } from '../response/volume-views.js';
import { catalogFacts } from './catalog.js';
import { defineCommand } from './command.js';
import { defined } from './defined.js';
import { PAGING_PARAMS, SCOPING_PARAMS, pagingInput, scopingInput } from './list-params.js';
import { unsupportedParameter } from './vm-support.js';
import { VOLUME_RESPONSE_FIELDS } from './volume-support.js';

const TYPES = new Map(VolumeType.options.map((t) => [t.toLowerCase(), t]));

/**
 * `listVolumes` (list, everyone; Libcloud's `list_volumes`): the caller's volumes by the scoping
 * rule of reference §2.5, filtered by `id`, `name`, `type` (any case; anything but ROOT or
 * DATADISK matches nothing), `virtualmachineid`, `zoneid` and `keyword`; `count` is the total.
 * Items carry `jobid`/`jobstatus` while a job acts on them. `podid`, `hostid` and `projectid`
 * are refused naming them: core cannot filter volumes by them.
 */
export const listVolumes = defineCommand({
  ...catalogFacts('listVolumes'),
  kind: 'list',
  objectName: 'volume',
  description: 'Lists all volumes.',
  params: {
    id: param.uuid('the ID of the disk volume'),
    name: param.string('the name of the disk volume'),
    type: param.string('the type of disk volume'),
    virtualmachineid: param.uuid('the ID of the virtual machine'),
    zoneid: param.uuid('the ID of the availability zone'),
    podid: param.uuid('the pod id the disk volume belongs to'),
    hostid: param.uuid('list volumes on specified host'),
    projectid: param.uuid('list firewall rules by project'),
    ...SCOPING_PARAMS,
    ...PAGING_PARAMS,
  },
  response: VOLUME_RESPONSE_FIELDS,
  async execute(context, params) {
    if (params.podid !== undefined) throw unsupportedParameter('podid', 'listing volumes by pod is not supported by this cloud yet');
    if (params.hostid !== undefined) throw unsupportedParameter('hostid', 'listing volumes by host is not supported by this cloud yet');
    if (params.projectid !== undefined) throw unsupportedParameter('projectid', 'projects are not supported by this cloud yet');
    const type = params.type === undefined ? undefined : TYPES.get(params.type.toLowerCase());
    if (params.type !== undefined && type === undefined) return { items: [], count: 0 };
    const page = await context.services.volumes.list({
      ...defined({ id: params.id, name: params.name, type, virtualMachineId: params.virtualmachineid, zoneId: params.zoneid, keyword: params.keyword === '' ? undefined : params.keyword }),
      ...scopingInput(params),
      ...pagingInput(params),
    });
    return { items: await volumeViews(page.items, new VolumeLookup(context.cloud), context.caller, context.formatDate), count: page.total };
  },
});
