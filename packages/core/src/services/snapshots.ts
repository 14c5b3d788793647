import { inject, injectable } from 'tsyringe';
import { ConfigReader } from '../config/config-reader.js';
import type { CallContext } from '../context/call-context.js';
import type { Filter, Page, Store } from '../contracts/store.js';
import type { Snapshot } from '../model/snapshot.js';
import { TOKENS } from '../tokens.js';
import { pageWindow } from './paging.js';
import { CreateVolumeFromSnapshotInput, ListSnapshotsInput, SnapshotIdInput, TakeSnapshotInput } from './snapshot-inputs.js';
import { SnapshotLifecycle } from './snapshot-lifecycle.js';
import { snapshotViewOf, type SnapshotView } from './snapshot-views.js';
import { validate } from './validate.js';
import { Visibility } from './visibility.js';
import type { VolumeView } from './volume-access.js';
import { VolumeLifecycle } from './volume-lifecycle.js';

/**
 * Volume snapshots, bound to a caller on the facade (`cloud.as(caller).snapshots`): take (in one
 * call, or as allocate then back up), get, list, delete, and create a volume from one. Another tenant's snapshot reads as not found.
 */
@injectable()
export class SnapshotService {
  constructor(
    @inject(TOKENS.Store) private readonly store: Store,
    @inject(ConfigReader) private readonly config: ConfigReader,
    @inject(Visibility) private readonly visibility: Visibility,
    @inject(SnapshotLifecycle) private readonly lifecycle: SnapshotLifecycle,
    @inject(VolumeLifecycle) private readonly volumes: VolumeLifecycle,
  ) {}

  /** Snapshots a Ready volume through the storage driver (`createSnapshot`). */
  take(caller: CallContext, input: TakeSnapshotInput): Promise<SnapshotView> {
    const request = validate(TakeSnapshotInput, input);
    return this.lifecycle.take(caller, request.volumeId, request.policyId);
  }

  /**
   * The first step of an async `createSnapshot`: checks the volume and records the snapshot
   * `Allocated` with the owner's `snapshot` count claimed, touching no device, so its id can be
   * answered at once. {@link backUp} takes it; until then it may be deleted.
   */
  allocate(caller: CallContext, input: TakeSnapshotInput): Promise<SnapshotView> {
    const request = validate(TakeSnapshotInput, input);
    return this.lifecycle.allocate(caller, request.volumeId, request.policyId);
  }

  /**
   * The second step of an async `createSnapshot`: takes an `Allocated` snapshot through the
   * storage driver and returns it `BackedUp`; on failure the snapshot is gone and its count given back.
   */
  backUp(caller: CallContext, input: SnapshotIdInput): Promise<SnapshotView> {
    const request = validate(SnapshotIdInput, input);
    return this.lifecycle.backUp(caller, request.id);
  }

  /** Deletes a backed-up (or a never taken `Allocated`) snapshot through the storage driver (`deleteSnapshot`). */
  delete(caller: CallContext, input: SnapshotIdInput): Promise<void> {
    const request = validate(SnapshotIdInput, input);
    return this.lifecycle.delete(caller, request.id);
  }

  /**
   * Creates an `Allocated` data volume from a backed-up snapshot (`createVolume` with
   * `snapshotid`): the snapshot's zone and size; its first attach restores the snapshot onto a
   * pool through the storage driver.
   */
  createVolume(caller: CallContext, input: CreateVolumeFromSnapshotInput): Promise<VolumeView> {
    const request = validate(CreateVolumeFromSnapshotInput, input);
    return this.volumes.create(caller, { name: request.name, snapshotId: request.snapshotId, ...(request.zoneId === undefined ? {} : { zoneId: request.zoneId }) });
  }

  /** One snapshot by id (431 when the caller may not see it). */
  async get(caller: CallContext, input: SnapshotIdInput): Promise<SnapshotView> {
    const request = validate(SnapshotIdInput, input);
    return this.store.transaction(async (tx) => snapshotViewOf(await this.lifecycle.visible(tx, caller, request.id)));
  }

  /** Snapshots the caller may see (`listSnapshots`). */
  async list(caller: CallContext, input: ListSnapshotsInput = {}): Promise<Page<SnapshotView>> {
    const query = validate(ListSnapshotsInput, input);
    return this.store.transaction(async (tx) => {
      const scope = await this.visibility.scope(tx, caller, query);
      const where: Filter<Snapshot> = {
        ...this.visibility.ownerFilter(scope),
        ...(query.id === undefined ? {} : { id: query.id }),
        ...(query.volumeId === undefined ? {} : { volumeId: query.volumeId }),
        ...(query.snapshotType === undefined ? {} : { snapshotType: query.snapshotType === 'MANUAL' ? 'MANUAL' : { ne: 'MANUAL' } }),
        ...(query.intervalType === undefined ? {} : { intervalType: query.intervalType }),
        ...(query.name !== undefined ? { name: query.name } : query.keyword !== undefined ? { name: { like: query.keyword } } : {}),
      };
      const window = pageWindow(query, await this.config.number('default.page.size', {}, tx));
      const page = await tx.repo('snapshots').find({ where, orderBy: [{ field: 'createdAt' }, { field: 'id' }], ...window });
      return { items: page.items.map(snapshotViewOf), total: page.total };
    });
  }
}
