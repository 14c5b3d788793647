import { param } from '../params/param-types.js';
import { secondaryStorageView, swiftView } from '../response/host-views.js';
import { NameLookup } from '../response/name-lookup.js';
import { catalogFacts } from './catalog.js';
import { defineCommand } from './command.js';
import { PAGING_PARAMS } from './list-params.js';
import { pageOf } from './list-page.js';

/** `addSecondaryStorage`: a zone's NFS secondary storage, answered as 4.1's host-shaped `secondarystorage` (root admin). */
export const addSecondaryStorage = defineCommand({
  ...catalogFacts('addSecondaryStorage'),
  kind: 'sync',
  objectName: 'secondarystorage',
  description: 'Adds secondary storage.',
  params: {
    url: param.string('the URL for the secondary storage', { required: true }),
    zoneid: param.uuid('the Zone ID for the secondary storage', { required: true }),
  },
  async execute(context, params) {
    const store = await context.services.secondaryStorage.addSecondaryStorage({ zoneId: params.zoneid, url: params.url });
    return { type: 'object', object: await secondaryStorageView(store, new NameLookup(context.cloud.system), context.formatDate) };
  },
});

/** `addSwift`: the cloud-wide Swift store (root admin; needs `swift.enable`). */
export const addSwift = defineCommand({
  ...catalogFacts('addSwift'),
  kind: 'sync',
  objectName: 'swift',
  description: 'Adds Swift.',
  since: '3.0.0',
  params: {
    url: param.string('the URL for swift', { required: true }),
    account: param.string('the account for swift'),
    username: param.string('the username for swift'),
    key: param.string(' key for the user for swift'),
  },
  async execute(context, params) {
    const store = await context.services.secondaryStorage.addSwift({ url: params.url, account: params.account ?? '', username: params.username ?? '', key: params.key ?? '' });
    return { type: 'object', object: swiftView(store) };
  },
});

/** `listSwifts`: the Swift stores (root admin). */
export const listSwifts = defineCommand({
  ...catalogFacts('listSwifts'),
  kind: 'list',
  objectName: 'swift',
  description: 'List Swift.',
  since: '3.0.0',
  params: { id: param.uuid('the id of the swift'), ...PAGING_PARAMS },
  async execute(context, params) {
    const stores = (await context.services.secondaryStorage.list({ protocol: 'Swift' })).filter((s) => params.id === undefined || s.id === params.id);
    return pageOf(context, params, stores, (s) => [s.url], swiftView);
  },
});
