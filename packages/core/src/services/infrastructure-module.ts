import type { AreaModule } from './area-module.js';

/** The caller-bound services of the infrastructure area. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface InfrastructureServices {}

/** Regions, zones, physical networks, pods, IP ranges, clusters, hosts and storage. */
export const infrastructureModule: AreaModule<InfrastructureServices> = {
  name: 'infrastructure',
  services: [],
  facade: () => ({}),
};
