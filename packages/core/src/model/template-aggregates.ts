import type { AggregateSpec } from './aggregates.js';
import type { LaunchPermission } from './launch-permission.js';
import type { OsType } from './os-type.js';
import type { Template } from './template.js';
import type { TemplateCopy } from './template-copy.js';

/**
 * The aggregates of the templates area (templates, ISOs, their per-zone copies on secondary
 * storage, launch permissions, guest OS types). Merged into the store's aggregate list by
 * `aggregates.ts`.
 */
export interface TemplateAggregates {
  /** Guest OS types. */
  osTypes: OsType;
  /** Templates and ISOs (ISOs have format `ISO`). */
  templates: Template;
  /** Copies of templates on image stores, one per template and store. */
  templateCopies: TemplateCopy;
  /** Accounts private templates are shared with. */
  templatePermissions: LaunchPermission;
}

/** Index and uniqueness facts of the templates area's aggregates. */
export const TEMPLATE_AGGREGATE_SPECS: { readonly [K in keyof TemplateAggregates]: AggregateSpec<TemplateAggregates[K]> } = {
  osTypes: { unique: [['description']], indexed: ['category'] },
  templates: { indexed: ['accountId', 'domainId', 'format', 'state', 'isPublic'] },
  templateCopies: { unique: [['templateId', 'imageStoreId']], indexed: ['templateId', 'zoneId', 'imageStoreId', 'state'] },
  templatePermissions: { unique: [['templateId', 'accountId']], indexed: ['templateId', 'accountId'] },
};
