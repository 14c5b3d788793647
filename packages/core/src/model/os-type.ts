import { createHash } from 'node:crypto';
import { z } from 'zod';

/** A guest OS type templates and ISOs name (4.1's `guest_os`), grouped by category. */
export const OsTypeSchema = z.object({
  id: z.string(),
  version: z.number().int().positive(),
  /** E.g. `CentOS 6.3 (64-bit)`; unique. */
  description: z.string().min(1),
  /** E.g. `CentOS`, `Windows`, `Other`. */
  category: z.string().min(1),
});

/** A guest OS type as stored. */
export type OsType = z.infer<typeof OsTypeSchema>;

/** The common guest OS types of a fresh CloudStack 4.1 installation, by category. */
export const OS_TYPE_SEED: readonly { readonly category: string; readonly description: string }[] = [
  ...['CentOS 5.5 (32-bit)', 'CentOS 5.5 (64-bit)', 'CentOS 5.6 (32-bit)', 'CentOS 5.6 (64-bit)', 'CentOS 6.0 (32-bit)', 'CentOS 6.0 (64-bit)', 'CentOS 6.2 (32-bit)', 'CentOS 6.2 (64-bit)', 'CentOS 6.3 (32-bit)', 'CentOS 6.3 (64-bit)'].map((description) => ({ category: 'CentOS', description })),
  ...['Debian GNU/Linux 6(32-bit)', 'Debian GNU/Linux 6(64-bit)', 'Debian GNU/Linux 7(32-bit)', 'Debian GNU/Linux 7(64-bit)'].map((description) => ({ category: 'Debian', description })),
  ...['Ubuntu 10.04 (32-bit)', 'Ubuntu 10.04 (64-bit)', 'Ubuntu 12.04 (32-bit)', 'Ubuntu 12.04 (64-bit)'].map((description) => ({ category: 'Ubuntu', description })),
  ...['Red Hat Enterprise Linux 6.0 (32-bit)', 'Red Hat Enterprise Linux 6.0 (64-bit)', 'Red Hat Enterprise Linux 6.3 (64-bit)'].map((description) => ({ category: 'RedHat', description })),
  ...['Windows Server 2008 R2 (64-bit)', 'Windows Server 2012 (64-bit)', 'Windows 7 (64-bit)'].map((description) => ({ category: 'Windows', description })),
  ...['Other (32-bit)', 'Other (64-bit)', 'Other Linux (32-bit)', 'Other Linux (64-bit)', 'Other PV (32-bit)', 'Other PV (64-bit)'].map((description) => ({ category: 'Other', description })),
];

/**
 * A guest OS category (4.1's `guest_os_category`, listed by `listOsCategories`). Categories are
 * not stored on their own: they are the categories OS types name, each with an id derived from
 * its name, so every management server and store agrees on it without a table.
 */
export interface OsCategory {
  /** A name-based UUID of the name ({@link osCategoryId}). */
  readonly id: string;
  /** E.g. `CentOS`, `Windows`, `Other`. */
  readonly name: string;
}

/** The namespace of OS category ids (a fixed random UUID). */
const OS_CATEGORY_NAMESPACE = Buffer.from('b3c1a4e2-7d0f-4a55-9b8e-2f6c1d9e4a70'.replace(/-/g, ''), 'hex');

/**
 * The id of the OS category named `name`: an RFC 4122 version-5 (SHA-1, name-based) UUID of the
 * name in the SDK's namespace — stable across servers, stores and restarts.
 */
export function osCategoryId(name: string): string {
  const hash = createHash('sha1').update(OS_CATEGORY_NAMESPACE).update(name, 'utf8').digest();
  const bytes = hash.subarray(0, 16);
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x50;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
