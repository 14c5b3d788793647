import { z } from 'zod';

/**
 * Status of an async job, with CloudStack's `jobstatus` numbers: 0 pending, 1 succeeded,
 * 2 failed.
 */
export const JobStatus = { Pending: 0, Succeeded: 1, Failed: 2 } as const;
/** One of the {@link JobStatus} numbers. */
export type JobStatus = (typeof JobStatus)[keyof typeof JobStatus];

/** The error a failed job records. */
export const JobErrorSchema = z.object({
  code: z.number().int(),
  csErrorCode: z.number().int(),
  message: z.string(),
  param: z.string().optional(),
});

/** The error a failed job records. */
export type JobError = z.infer<typeof JobErrorSchema>;

/** A persisted async job: what runs, for whom, on which server, and how it ended. */
export const JobSchema = z.object({
  id: z.string().uuid(),
  version: z.number().int().positive(),
  /** The command or operation name, e.g. `deployVirtualMachine`. */
  command: z.string().min(1),
  status: z.union([z.literal(0), z.literal(1), z.literal(2)]),
  /** 0..100; CloudStack's `jobprocstatus`. */
  progress: z.number().int().min(0).max(100),
  /** 0 while pending and on success; the error code on failure. */
  resultCode: z.number().int(),
  /** The operation's result once it succeeded (serialisable). */
  result: z.unknown().optional(),
  /** The error once it failed. */
  error: JobErrorSchema.optional(),
  accountId: z.string(),
  domainId: z.string(),
  userId: z.string(),
  /** The kind of resource the job acts on (`VirtualMachine`, `Volume`, ... or `None`). */
  instanceType: z.string(),
  /** The id of that resource. */
  instanceId: z.string().optional(),
  /** The management server running the job. */
  ownerServerId: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  completedAt: z.string().optional(),
});

/** A persisted async job. */
export type Job = z.infer<typeof JobSchema>;
