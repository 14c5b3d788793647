import { z } from 'zod';

/**
 * The usage events of 4.1 (`usage_event.type`) this cloud records as resources change; the usage
 * issue aggregates them into hourly records (`RUNNING_VM`, `ALLOCATED_VM`, `VOLUME`, `TEMPLATE`,
 * `SNAPSHOT`).
 */
export const UsageEventType = z.enum([
  'VM.CREATE',
  'VM.START',
  'VM.STOP',
  'VM.DESTROY',
  'VOLUME.CREATE',
  'VOLUME.DELETE',
  'VOLUME.RESIZE',
  'TEMPLATE.CREATE',
  'TEMPLATE.DELETE',
  'SNAPSHOT.CREATE',
  'SNAPSHOT.DELETE',
]);
/** One of the usage event types. */
export type UsageEventType = z.infer<typeof UsageEventType>;

/**
 * One usage event (CloudStack's `usage_event` row): what changed, for which account, when,
 * with the offering, template and size that price it.
 */
export const UsageRecordSchema = z.object({
  id: z.string(),
  version: z.number().int().positive(),
  type: UsageEventType,
  accountId: z.string(),
  domainId: z.string(),
  zoneId: z.string(),
  /** The VM, volume, template or snapshot. */
  resourceId: z.string(),
  resourceName: z.string(),
  /** Service offering (VMs) or disk offering (volumes). */
  offeringId: z.string().optional(),
  templateId: z.string().optional(),
  /** Bytes (volumes, templates, snapshots). */
  size: z.number().int().min(0).optional(),
  createdAt: z.string(),
});

/** A usage event as stored. */
export type UsageRecord = z.infer<typeof UsageRecordSchema>;
