import { osCategoryId, type OsCategory, type OsType, type TemplateChecksum, type TemplatePermissionsView, type TemplateView } from '@cloudstack-sdk/core';
import type { ApiObject } from './api-value.js';
import type { DateFormatter } from './host-views.js';
import type { NameLookup } from './name-lookup.js';

/**
 * A registered checksum as 4.1 echoes it: plain hex for an MD5 (4.1's only algorithm), and
 * `{ALGORITHM}hex` for the SHA digests core also accepts, so what was registered reads back.
 */
export function checksumText(checksum: TemplateChecksum | undefined): string | undefined {
  if (checksum === undefined) return undefined;
  return checksum.algorithm === 'MD5' ? checksum.value : `{${checksum.algorithm}}${checksum.value}`;
}

/** The fields templates and ISOs share (reference §5 `template`), for one zone row. */
async function commonFields(row: TemplateView, names: NameLookup, formatDate: DateFormatter): Promise<Record<string, ApiObject[string]>> {
  const inZone = row.zoneId !== undefined;
  return {
    id: row.id,
    name: row.name,
    displaytext: row.displayText,
    ispublic: row.isPublic,
    created: formatDate(row.createdAt),
    isready: row.isReady,
    bootable: row.bootable,
    isfeatured: row.isFeatured,
    crossZones: row.crossZones,
    ostypeid: row.osTypeId,
    ostypename: row.osTypeName,
    accountid: row.accountId,
    account: await names.account(row.accountId),
    zoneid: row.zoneId,
    zonename: row.zoneName,
    status: row.status === '' ? undefined : row.status,
    size: inZone ? row.sizeBytes : undefined,
    domain: (await names.domain(row.domainId))?.name,
    domainid: row.domainId,
    isextractable: row.isExtractable,
    checksum: checksumText(row.checksum),
  };
}

/**
 * A template row as 4.1's `listTemplates` shows it (reference §5 `template`): one object per
 * template and zone copy, with `status`, `isready` and `size` of that copy.
 */
export async function templateView(row: TemplateView, names: NameLookup, formatDate: DateFormatter): Promise<ApiObject> {
  return {
    ...(await commonFields(row, names, formatDate)),
    passwordenabled: row.passwordEnabled,
    format: row.format,
    templatetype: row.templateType,
    hypervisor: row.hypervisor,
    sshkeyenabled: row.sshKeyEnabled,
  };
}

/**
 * An ISO row (`iso`): the template fields 4.1's ISO responses carry — no hypervisor, format,
 * template type or password/SSH-key support, which do not apply to an ISO.
 */
export async function isoView(row: TemplateView, names: NameLookup, formatDate: DateFormatter): Promise<ApiObject> {
  return commonFields(row, names, formatDate);
}

/** 4.1's `TemplatePermissionsResponse` (`templatepermission`): who may launch a template or ISO. */
export function templatePermissionView(view: TemplatePermissionsView): ApiObject {
  return {
    id: view.id,
    ispublic: view.isPublic,
    domainid: view.domainId,
    account: view.accounts.length === 0 ? undefined : [...view.accounts],
  };
}

/** A guest OS type (reference §5 `ostype`): id, its category's id, description. */
export function osTypeView(osType: OsType): ApiObject {
  return { id: osType.id, oscategoryid: osCategoryId(osType.category), description: osType.description };
}

/** A guest OS category (4.1's `GuestOSCategoryResponse`, `oscategory`): id and name. */
export function osCategoryView(category: OsCategory): ApiObject {
  return { id: category.id, name: category.name };
}
