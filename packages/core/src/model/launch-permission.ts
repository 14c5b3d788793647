import { z } from 'zod';

/**
 * A launch permission: an account a private template or ISO is shared with (4.1's
 * `launch_permission`), so that account may list it (`sharedexecutable`) and deploy from it.
 */
export const LaunchPermissionSchema = z.object({
  id: z.string(),
  version: z.number().int().positive(),
  templateId: z.string(),
  /** The account the template is shared with. */
  accountId: z.string(),
  /** That account's domain. */
  domainId: z.string(),
  createdAt: z.string(),
});

/** A launch permission as stored. */
export type LaunchPermission = z.infer<typeof LaunchPermissionSchema>;
