import { z } from 'zod';

/**
 * A VM's membership of a security group (CloudStack's `security_group_vm_map`). A VM joins its
 * groups when it is deployed and stays in them for its lifetime (guide 13.7.1); the row goes
 * when the VM is expunged.
 */
export const SecurityGroupMemberSchema = z.object({
  id: z.string(),
  version: z.number().int().positive(),
  groupId: z.string(),
  vmId: z.string(),
  /** The VM's (and the group's) owner. */
  accountId: z.string(),
  createdAt: z.string(),
});

/** A membership as stored. */
export type SecurityGroupMember = z.infer<typeof SecurityGroupMemberSchema>;
