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
