import type { Transaction } from '../contracts/store.js';
import type { DownloadState, TemplateCopy } from '../model/template-copy.js';
import type { Template } from '../model/template.js';

/**
 * A template or ISO as lists show it: one row per template and zone copy, as 4.1's
 * `listTemplates` answers (`zoneid`, `status`, `isready`, `size` per zone), with the OS type's
 * name. A template with no copy yet has one row without zone fields.
 */
export interface TemplateView extends Omit<Template, 'version'> {
  /** The OS type's description. */
  readonly osTypeName: string | undefined;
  /** The zone of this row's copy. */
  readonly zoneId: string | undefined;
  /** The zone's name. */
  readonly zoneName: string | undefined;
  /** The copy's download state. */
  readonly downloadState: DownloadState | undefined;
  /** 4.1's `status`: `Download Complete`, `42% Downloaded`, or the error text. */
  readonly status: string;
  /** True when the copy is downloaded. */
  readonly isReady: boolean;
  /** Download progress, 0..100. */
  readonly percent: number;
  /** Virtual size in bytes (0 until known). */
  readonly sizeBytes: number;
}

/** 4.1's `status` text of a copy. */
export function statusText(copy: TemplateCopy | undefined): string {
  if (copy === undefined) return '';
  switch (copy.state) {
    case 'DOWNLOADED':
      return 'Download Complete';
    case 'DOWNLOAD_IN_PROGRESS':
      return `${copy.percent}% Downloaded`;
    case 'DOWNLOAD_ERROR':
      return copy.errorText ?? 'Download Error';
    case 'NOT_DOWNLOADED':
      return 'Not Downloaded';
    case 'ABANDONED':
      return 'Abandoned';
  }
}

/** What rows to build. */
export interface TemplateRowOptions {
  /** Only downloaded copies (and no row for a template without one). */
  readonly onlyReady: boolean;
  /** Only copies in this zone. */
  readonly zoneId?: string;
}

/** The list rows of `templates` with their `copies` (abandoned copies never show). */
export async function templateRows(tx: Transaction, templates: readonly Template[], copies: readonly TemplateCopy[], options: TemplateRowOptions): Promise<TemplateView[]> {
  const osNames = new Map<string, string | undefined>();
  const zoneNames = new Map<string, string | undefined>();
  const rows: TemplateView[] = [];
  for (const template of templates) {
    if (!osNames.has(template.osTypeId)) osNames.set(template.osTypeId, (await tx.repo('osTypes').get(template.osTypeId))?.description);
    const own = copies.filter(
      (c) => c.templateId === template.id && c.state !== 'ABANDONED' && (!options.onlyReady || c.state === 'DOWNLOADED') && (options.zoneId === undefined || c.zoneId === options.zoneId),
    );
    const { version: _version, ...fields } = template;
    const base = { ...fields, osTypeName: osNames.get(template.osTypeId) };
    if (own.length === 0) {
      if (options.onlyReady || options.zoneId !== undefined) continue;
      const hadCopies = copies.some((c) => c.templateId === template.id && c.state !== 'ABANDONED');
      if (hadCopies) continue;
      rows.push({ ...base, zoneId: undefined, zoneName: undefined, downloadState: undefined, status: '', isReady: false, percent: 0, sizeBytes: 0 });
      continue;
    }
    for (const copy of own) {
      if (!zoneNames.has(copy.zoneId)) zoneNames.set(copy.zoneId, (await tx.repo('zones').get(copy.zoneId))?.name);
      rows.push({
        ...base,
        zoneId: copy.zoneId,
        zoneName: zoneNames.get(copy.zoneId),
        downloadState: copy.state,
        status: statusText(copy),
        isReady: copy.state === 'DOWNLOADED',
        percent: copy.percent,
        sizeBytes: copy.sizeBytes,
      });
    }
  }
  return rows;
}
