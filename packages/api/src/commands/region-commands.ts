import { param } from '../params/param-types.js';
import { regionView } from '../response/zone-views.js';
import { catalogFacts } from './catalog.js';
import { defineCommand } from './command.js';
import { PAGING_PARAMS } from './list-params.js';
import { pageOf } from './list-page.js';

/** `listRegions`: the regions, for everyone. */
export const listRegions = defineCommand({
  ...catalogFacts('listRegions'),
  kind: 'list',
  objectName: 'region',
  description: 'Lists Regions',
  since: '4.1.0',
  params: {
    id: param.integer('List Region by region ID.'),
    name: param.string('List Region by region name.'),
    ...PAGING_PARAMS,
  },
  async execute(context, params) {
    const regions = await context.services.regions.list({ ...(params.id === undefined ? {} : { id: params.id }), ...(params.name === undefined ? {} : { name: params.name }) });
    return pageOf(context, params, regions, (r) => [r.name], regionView);
  },
});

/** `addRegion`: adds a region (root admin). */
export const addRegion = defineCommand({
  ...catalogFacts('addRegion'),
  kind: 'sync',
  objectName: 'region',
  description: 'Adds a Region',
  since: '4.1.0',
  params: {
    id: param.integer('Id of the Region', { required: true }),
    name: param.string('Name of the region', { required: true }),
    endpoint: param.string('Region service endpoint', { required: true }),
  },
  async execute(context, params) {
    const region = await context.services.regions.add({ id: params.id, name: params.name, endpoint: params.endpoint });
    return { type: 'object', object: regionView(region) };
  },
});

/** `updateRegion`: renames a region or changes its endpoint (root admin). */
export const updateRegion = defineCommand({
  ...catalogFacts('updateRegion'),
  kind: 'sync',
  objectName: 'region',
  description: 'Updates a region',
  since: '4.1.0',
  params: {
    id: param.integer('Id of region to update', { required: true }),
    name: param.string('updates region with this name'),
    endpoint: param.string('updates region with this end point'),
  },
  async execute(context, params) {
    const region = await context.services.regions.update({
      id: params.id,
      ...(params.name === undefined ? {} : { name: params.name }),
      ...(params.endpoint === undefined ? {} : { endpoint: params.endpoint }),
    });
    return { type: 'object', object: regionView(region) };
  },
});

/** `removeRegion`: removes a region without zones (root admin). */
export const removeRegion = defineCommand({
  ...catalogFacts('removeRegion'),
  kind: 'sync',
  description: 'Removes specified region',
  since: '4.1.0',
  params: { id: param.integer('ID of the region to delete', { required: true }) },
  async execute(context, params) {
    await context.services.regions.remove({ id: params.id });
    return { type: 'success' };
  },
});
