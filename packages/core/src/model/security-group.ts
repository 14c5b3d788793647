import { z } from 'zod';

/** The name of the group every account has (guide 13.7.1): it cannot be created, renamed or deleted. */
export const DEFAULT_SECURITY_GROUP_NAME = 'default';

/**
 * A security group (CloudStack's `security_group`): a named set of VMs of one account whose
 * traffic is filtered by the group's ingress and egress rules. Names are unique per account
 * (case-insensitively); every account has one named `default`, which denies all inbound and
 * allows all outbound traffic until its rules are changed.
 */
export const SecurityGroupSchema = z.object({
  id: z.string(),
  version: z.number().int().positive(),
  /** Unique within the account, case-insensitively. */
  name: z.string().min(1).max(255),
  description: z.string().max(4096).optional(),
  accountId: z.string(),
  domainId: z.string(),
  /** True for the account's `default` group. */
  isDefault: z.boolean(),
  createdAt: z.string(),
});

/** A security group as stored. */
export type SecurityGroup = z.infer<typeof SecurityGroupSchema>;
