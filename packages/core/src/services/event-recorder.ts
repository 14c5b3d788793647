import { inject, injectable } from 'tsyringe';
import type { CallContext } from '../context/call-context.js';
import { isoNow, type Clock } from '../contracts/clock.js';
import type { RandomSource } from '../contracts/random.js';
import type { Transaction } from '../contracts/store.js';
import type { CloudEvent, EventLevel, EventState } from '../model/event.js';
import { TOKENS } from '../tokens.js';

/** What a service says happened; the event service adds ids, owner defaults and the time. */
export interface EventRecord {
  /** CloudStack event type, e.g. `ZONE.CREATE`. */
  readonly type: string;
  /** Human-readable description. */
  readonly description: string;
  /** `INFO` unless said otherwise. */
  readonly level?: EventLevel;
  /** `Completed` unless said otherwise. */
  readonly state?: EventState;
  /** The kind of resource. */
  readonly resourceType?: string;
  /** The resource's id. */
  readonly resourceId?: string;
  /** The owning account, when not the caller's. */
  readonly accountId?: string;
  /** The owning account's domain, when not the caller's. */
  readonly domainId?: string;
  /** The id of the `Started` event this one completes. */
  readonly startId?: string;
}

/**
 * Records events inside the transaction that made the change, so an event exists exactly when
 * the change it describes commits. Used by services; not part of the caller-facing facade.
 */
@injectable()
export class EventRecorder {
  constructor(
    @inject(TOKENS.Clock) private readonly clock: Clock,
    @inject(TOKENS.Random) private readonly random: RandomSource,
  ) {}

  /**
   * Records an event in `tx`, so it exists exactly when the change it describes commits.
   * Owner defaults to the caller's account.
   */
  async record(tx: Transaction, caller: CallContext, event: EventRecord): Promise<CloudEvent> {
    return tx.repo('events').insert({
      id: this.random.uuid(),
      type: event.type,
      level: event.level ?? 'INFO',
      state: event.state ?? 'Completed',
      description: event.description,
      accountId: event.accountId ?? caller.accountId,
      domainId: event.domainId ?? caller.domainId,
      userId: caller.userId,
      ...(event.resourceType === undefined ? {} : { resourceType: event.resourceType }),
      ...(event.resourceId === undefined ? {} : { resourceId: event.resourceId }),
      ...(event.startId === undefined ? {} : { startId: event.startId }),
      createdAt: isoNow(this.clock),
    });
  }

}
