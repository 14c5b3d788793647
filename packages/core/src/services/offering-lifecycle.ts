import { z } from 'zod';
import type { CallContext } from '../context/call-context.js';
import type { Filter, Page, Transaction } from '../contracts/store.js';
import { notFound } from '../errors.js';
import type { Aggregates } from '../model/aggregates.js';
import type { EventRecorder } from './event-recorder.js';
import { OfferingVisibility } from './offering-visibility.js';
import { pageWindow, type PagingInput } from './paging.js';

/** The repositories that hold offerings. */
export type OfferingRepoName = 'serviceOfferings' | 'diskOfferings';

/** How one kind of offering is named in events and errors. */
export interface OfferingKind<K extends OfferingRepoName> {
  /** The repository. */
  readonly repo: K;
  /** Words for messages: `service offering`, `disk offering`. */
  readonly label: string;
  /** Event type prefix: `SERVICE.OFFERING`, `DISK.OFFERING`. */
  readonly eventPrefix: string;
  /** Resource type of events: `ServiceOffering`, `DiskOffering`. */
  readonly resourceType: string;
}

/**
 * A change of an offering's names, as `updateServiceOffering` and `updateDiskOffering` take it:
 * only names change; an offering's resources are fixed for its life.
 */
export const OfferingRenameInput = z.object({
  id: z.string().min(1),
  name: z.string().trim().min(1).max(255).optional(),
  displayText: z.string().trim().min(1).max(4096).optional(),
});

/** A change of an offering's names. */
export type OfferingRename = z.output<typeof OfferingRenameInput>;

/**
 * What service and disk offerings share: finding an active one, renaming, deleting (turning
 * `Inactive`), recording their events, and listing the ones a caller may see, paged.
 */
export class OfferingLifecycle<K extends OfferingRepoName> {
  constructor(
    private readonly kind: OfferingKind<K>,
    private readonly events: EventRecorder,
  ) {}

  /** The active offering with this id; 431 naming `param` otherwise. */
  async active(tx: Transaction, id: string, param = 'id'): Promise<Aggregates[K]> {
    const offering = await tx.repo(this.kind.repo).get(id);
    if (offering === undefined || offering.state !== 'Active') throw notFound(this.kind.label, param, id);
    return offering as Aggregates[K];
  }

  /** Records `<prefix>.CREATE|EDIT|DELETE` for an offering in `tx`. */
  async record(tx: Transaction, caller: CallContext, action: 'CREATE' | 'EDIT' | 'DELETE', offering: Aggregates[K]): Promise<void> {
    const verb = { CREATE: 'Created', EDIT: 'Updated', DELETE: 'Deleted' }[action];
    await this.events.record(tx, caller, {
      type: `${this.kind.eventPrefix}.${action}`,
      description: `${verb} ${this.kind.label} ${offering.name}`,
      resourceType: this.kind.resourceType,
      resourceId: offering.id,
    });
  }

  /** Renames an active offering and records the edit. */
  async rename(tx: Transaction, caller: CallContext, change: OfferingRename): Promise<Aggregates[K]> {
    const current = await this.active(tx, change.id);
    const updated = (await tx.repo(this.kind.repo).update({
      ...current,
      ...(change.name === undefined ? {} : { name: change.name }),
      ...(change.displayText === undefined ? {} : { displayText: change.displayText }),
    } as never)) as Aggregates[K];
    await this.record(tx, caller, 'EDIT', updated);
    return updated;
  }

  /** Turns an offering `Inactive` and records the deletion. */
  async deactivate(tx: Transaction, caller: CallContext, offering: Aggregates[K]): Promise<void> {
    await tx.repo(this.kind.repo).update({ ...offering, state: 'Inactive' } as never);
    await this.record(tx, caller, 'DELETE', offering);
  }

  /** The rows `where` selects that the caller may see, paged with `default.page.size` as the maximum. */
  async visiblePage(tx: Transaction, caller: CallContext, where: Filter<Aggregates[K]>, paging: PagingInput, defaultPageSize: number): Promise<Page<Aggregates[K]>> {
    const visibility = await OfferingVisibility.for(caller, tx);
    const { items } = await tx.repo(this.kind.repo).find({ where: where as never });
    const visible: Aggregates[K][] = [];
    for (const offering of items as Aggregates[K][]) if (await visibility.canSee(offering)) visible.push(offering);
    const window = pageWindow(paging, defaultPageSize);
    return { items: visible.slice(window.offset, window.limit === undefined ? undefined : window.offset + window.limit), total: visible.length };
  }
}
