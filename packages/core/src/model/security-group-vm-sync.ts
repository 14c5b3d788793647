import { z } from 'zod';

/**
 * What a VM's host was last told about the VM's security group rules (CloudStack's
 * `vm_rule_log` with its work queue): each rule set computed for the VM gets the next `seq`,
 * so a host can ignore a set older than one it already enforces; `appliedSeq` is the last set
 * the host accepted; `pending` says the host is behind (an apply failed or has not finished),
 * and the next apply for the VM sends the current set again.
 */
export const SecurityGroupVmSyncSchema = z.object({
  id: z.string(),
  version: z.number().int().positive(),
  vmId: z.string(),
  /** Sequence number of the last rule set computed for the VM. */
  seq: z.number().int().min(0),
  /** Sequence number of the last rule set the host accepted. */
  appliedSeq: z.number().int().min(0).optional(),
  /** True while the host does not enforce the VM's current rules. */
  pending: z.boolean(),
  /** Why the last apply failed. */
  lastError: z.string().optional(),
  updatedAt: z.string(),
});

/** A VM's rule sync state as stored. */
export type SecurityGroupVmSync = z.infer<typeof SecurityGroupVmSyncSchema>;
