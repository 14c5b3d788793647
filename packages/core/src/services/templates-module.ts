import type { AreaModule } from './area-module.js';

/** The caller-bound services of the templates area. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface TemplateServices {}

/** Templates and ISOs: registration, per-zone copies on secondary storage, permissions. */
export const templatesModule: AreaModule<TemplateServices> = {
  name: 'templates',
  services: [],
  facade: () => ({}),
};
