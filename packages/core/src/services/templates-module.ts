import type { DependencyContainer } from 'tsyringe';
import { AccountCleanup } from './account-cleanup.js';
import type { AreaModule } from './area-module.js';
import { bindCaller, type BoundService } from './bind-caller.js';
import { IsoService } from './isos.js';
import { OsTypeService } from './os-types.js';
import { TemplateAccountCleanup } from './template-account-cleanup.js';
import { TemplateCatalog } from './template-catalog.js';
import { TemplateDownloads } from './template-downloads.js';
import { TemplateFromDisk } from './template-from-disk.js';
import { TemplatePermissionService } from './template-permissions.js';
import { TemplateService } from './templates.js';

export * from './template-from-disk.js';

/** The caller-bound services of the templates area. */
export interface TemplateServices {
  /** Templates. */
  readonly templates: BoundService<TemplateService>;
  /** ISOs. */
  readonly isos: BoundService<IsoService>;
  /** Launch permissions of templates and ISOs. */
  readonly templatePermissions: BoundService<TemplatePermissionService>;
  /** Guest OS types. */
  readonly osTypes: BoundService<OsTypeService>;
}

/** Templates and ISOs: registration, per-zone copies on secondary storage, permissions. */
export const templatesModule: AreaModule<TemplateServices> = {
  name: 'templates',
  services: [TemplateDownloads, TemplateCatalog, TemplateFromDisk, TemplateService, IsoService, TemplatePermissionService, OsTypeService, TemplateAccountCleanup],
  async start(container: DependencyContainer) {
    await container.resolve(OsTypeService).seedDefaults();
    const cleanup = container.resolve(TemplateAccountCleanup);
    container.resolve(AccountCleanup).register('templates', (tx, account, caller) => cleanup.run(tx, account, caller));
  },
  facade: (container, caller) => ({
    templates: bindCaller(container.resolve(TemplateService), caller),
    isos: bindCaller(container.resolve(IsoService), caller),
    templatePermissions: bindCaller(container.resolve(TemplatePermissionService), caller),
    osTypes: bindCaller(container.resolve(OsTypeService), caller),
  }),
};
