import type { AreaModule } from './area-module.js';

/** The caller-bound services of the volumes area. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface VolumeServices {}

/** Volumes, snapshots, snapshot policies and usage records. */
export const volumesModule: AreaModule<VolumeServices> = {
  name: 'volumes',
  services: [],
  facade: () => ({}),
};
