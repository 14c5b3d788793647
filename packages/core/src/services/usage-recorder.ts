import { inject, injectable } from 'tsyringe';
import { isoNow, type Clock } from '../contracts/clock.js';
import type { RandomSource } from '../contracts/random.js';
import type { Transaction } from '../contracts/store.js';
import type { Snapshot } from '../model/snapshot.js';
import type { UsageEventType, UsageRecord } from '../model/usage-record.js';
import type { VirtualMachine } from '../model/vm.js';
import type { Volume } from '../model/volume.js';
import { TOKENS } from '../tokens.js';

/** A template as its usage events describe it. */
export interface TemplateUsageSubject {
  readonly id: string;
  readonly name: string;
  readonly accountId: string;
  readonly domainId: string;
}

/**
 * Writes usage events (4.1's `usage_event`) in the transaction that changes the resource, so an
 * event exists exactly when its change commits. The usage issue aggregates them into running
 * and allocated VM hours, volume, template and snapshot storage.
 */
@injectable()
export class UsageRecorder {
  constructor(
    @inject(TOKENS.Clock) private readonly clock: Clock,
    @inject(TOKENS.Random) private readonly random: RandomSource,
  ) {}

  /** Records one event. */
  async record(tx: Transaction, event: Omit<UsageRecord, 'id' | 'version' | 'createdAt'>): Promise<UsageRecord> {
    return tx.repo('usageRecords').insert({ id: this.random.uuid(), ...event, createdAt: isoNow(this.clock) });
  }

  /** A VM was created: allocated hours start. */
  vmCreated(tx: Transaction, vm: VirtualMachine): Promise<UsageRecord> {
    return this.vmEvent(tx, 'VM.CREATE', vm);
  }

  /** A VM started running: running hours start. */
  vmStarted(tx: Transaction, vm: VirtualMachine): Promise<UsageRecord> {
    return this.vmEvent(tx, 'VM.START', vm);
  }

  /** A VM stopped: running hours end. */
  vmStopped(tx: Transaction, vm: VirtualMachine): Promise<UsageRecord> {
    return this.vmEvent(tx, 'VM.STOP', vm);
  }

  /** A VM was destroyed: allocated hours end. */
  vmDestroyed(tx: Transaction, vm: VirtualMachine): Promise<UsageRecord> {
    return this.vmEvent(tx, 'VM.DESTROY', vm);
  }

  /** A volume was created, deleted or resized (`VOLUME.CREATE` / `DELETE` / `RESIZE`), with its size. */
  volume(tx: Transaction, type: Extract<UsageEventType, `VOLUME.${string}`>, volume: Volume): Promise<UsageRecord> {
    return this.record(tx, {
      type,
      accountId: volume.accountId,
      domainId: volume.domainId,
      zoneId: volume.zoneId,
      resourceId: volume.id,
      resourceName: volume.name,
      ...(volume.diskOfferingId === undefined ? {} : { offeringId: volume.diskOfferingId }),
      ...(volume.templateId === undefined ? {} : { templateId: volume.templateId }),
      size: volume.size,
    });
  }

  /** A snapshot was backed up or deleted, with the bytes it takes. */
  snapshot(tx: Transaction, type: Extract<UsageEventType, `SNAPSHOT.${string}`>, snapshot: Snapshot): Promise<UsageRecord> {
    return this.record(tx, {
      type,
      accountId: snapshot.accountId,
      domainId: snapshot.domainId,
      zoneId: snapshot.zoneId,
      resourceId: snapshot.id,
      resourceName: snapshot.name,
      size: snapshot.physicalSize,
    });
  }

  /** A template landed in (or left) a zone's storage, with its size. */
  template(tx: Transaction, type: Extract<UsageEventType, `TEMPLATE.${string}`>, template: TemplateUsageSubject, zoneId: string, size: number): Promise<UsageRecord> {
    return this.record(tx, { type, accountId: template.accountId, domainId: template.domainId, zoneId, resourceId: template.id, resourceName: template.name, templateId: template.id, size });
  }

  private vmEvent(tx: Transaction, type: UsageEventType, vm: VirtualMachine): Promise<UsageRecord> {
    return this.record(tx, {
      type,
      accountId: vm.accountId,
      domainId: vm.domainId,
      zoneId: vm.zoneId,
      resourceId: vm.id,
      resourceName: vm.name,
      offeringId: vm.serviceOfferingId,
      templateId: vm.templateId,
    });
  }
}
