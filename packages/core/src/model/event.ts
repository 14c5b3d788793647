import { z } from 'zod';

/** Severity of an event, as CloudStack's `level`. */
export const EventLevel = z.enum(['INFO', 'WARN', 'ERROR']);
/** One of `INFO`, `WARN`, `ERROR`. */
export type EventLevel = z.infer<typeof EventLevel>;

/** Where in an operation the event was recorded, as CloudStack's event `state`. */
export const EventState = z.enum(['Created', 'Scheduled', 'Started', 'Completed']);
/** One of the event states. */
export type EventState = z.infer<typeof EventState>;

/**
 * A persisted event: what happened, to which resource, by whom. Types follow CloudStack's
 * `EventTypes` names (`ZONE.CREATE`, `VM.START`, `CONFIGURATION.VALUE.EDIT`, ...).
 */
export const CloudEventSchema = z.object({
  id: z.string().uuid(),
  version: z.number().int().positive(),
  /** CloudStack event type, e.g. `VM.CREATE`. */
  type: z.string().regex(/^[A-Z0-9_]+(\.[A-Z0-9_]+)+$/),
  level: EventLevel,
  state: EventState,
  description: z.string(),
  /** The account the event belongs to (whose resource it is). */
  accountId: z.string(),
  /** That account's domain. */
  domainId: z.string(),
  /** The user who caused it. */
  userId: z.string(),
  /** The kind of resource, e.g. `Zone`, `VirtualMachine`. */
  resourceType: z.string().optional(),
  /** The resource's id. */
  resourceId: z.string().optional(),
  /** The id of the event that started this one, for `Completed` events of a `Started` one. */
  startId: z.string().optional(),
  /** ISO-8601 time the event was recorded. */
  createdAt: z.string(),
});

/** A persisted event. */
export type CloudEvent = z.infer<typeof CloudEventSchema>;
