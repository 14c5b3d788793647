import { inject, injectable } from 'tsyringe';
import { ConfigReader } from '../config/config-reader.js';
import type { CallContext } from '../context/call-context.js';
import type { Filter, Page, Store } from '../contracts/store.js';
import type { Volume } from '../model/volume.js';
import { TOKENS } from '../tokens.js';
import { pageWindow } from './paging.js';
import { validate } from './validate.js';
import { Visibility } from './visibility.js';
import { VolumeAccess, volumeViewOf, type VolumeView } from './volume-access.js';
import { VolumeAttachment } from './volume-attachment.js';
import { VolumeChanges } from './volume-changes.js';
import { AttachVolumeInput, CreateVolumeInput, ListVolumesInput, MigrateVolumeInput, ResizeVolumeInput, VolumeIdInput } from './volume-inputs.js';
import { VolumeLifecycle } from './volume-lifecycle.js';

/**
 * Volumes, bound to a caller on the facade (`cloud.as(caller).volumes`): create, attach,
 * detach, resize, migrate, delete, get and list. Each method returns when its step is done;
 * the API wraps the device-touching ones in async jobs.
 */
@injectable()
export class VolumeService {
  constructor(
    @inject(TOKENS.Store) private readonly store: Store,
    @inject(ConfigReader) private readonly config: ConfigReader,
    @inject(Visibility) private readonly visibility: Visibility,
    @inject(VolumeAccess) private readonly access: VolumeAccess,
    @inject(VolumeLifecycle) private readonly lifecycle: VolumeLifecycle,
    @inject(VolumeAttachment) private readonly attachment: VolumeAttachment,
    @inject(VolumeChanges) private readonly changes: VolumeChanges,
  ) {}

  /** Creates an `Allocated` data volume (`createVolume`). */
  create(caller: CallContext, input: CreateVolumeInput): Promise<VolumeView> {
    return this.lifecycle.create(caller, input);
  }

  /** Attaches a data volume to a VM (`attachVolume`). */
  attach(caller: CallContext, input: AttachVolumeInput): Promise<VolumeView> {
    return this.attachment.attach(caller, input);
  }

  /** Detaches a data volume (`detachVolume`). */
  detach(caller: CallContext, input: VolumeIdInput): Promise<VolumeView> {
    return this.attachment.detach(caller, input);
  }

  /** Resizes a data volume (`resizeVolume`). */
  resize(caller: CallContext, input: ResizeVolumeInput): Promise<VolumeView> {
    return this.changes.resize(caller, input);
  }

  /** Moves a volume to another pool of its cluster (`migrateVolume`). */
  migrate(caller: CallContext, input: MigrateVolumeInput): Promise<VolumeView> {
    return this.changes.migrate(caller, input);
  }

  /** Deletes a detached volume (`deleteVolume`). */
  delete(caller: CallContext, input: VolumeIdInput): Promise<void> {
    return this.lifecycle.delete(caller, input);
  }

  /** One volume by id (431 when the caller may not see it). */
  async get(caller: CallContext, input: VolumeIdInput): Promise<VolumeView> {
    const request = validate(VolumeIdInput, input);
    return this.store.transaction(async (tx) => volumeViewOf(await this.access.visible(tx, caller, request.id)));
  }

  /** Volumes the caller may see (`listVolumes`). */
  async list(caller: CallContext, input: ListVolumesInput = {}): Promise<Page<VolumeView>> {
    const query = validate(ListVolumesInput, input);
    return this.store.transaction(async (tx) => {
      const scope = await this.visibility.scope(tx, caller, query);
      const where: Filter<Volume> = {
        ...this.visibility.ownerFilter(scope),
        ...(query.id === undefined ? {} : { id: query.id }),
        ...(query.name === undefined ? {} : { name: query.name }),
        ...(query.type === undefined ? {} : { type: query.type }),
        state: query.state ?? { ne: 'Expunged' },
        ...(query.zoneId === undefined ? {} : { zoneId: query.zoneId }),
        ...(query.virtualMachineId === undefined ? {} : { virtualMachineId: query.virtualMachineId }),
        ...(query.keyword === undefined ? {} : { name: { like: query.keyword } }),
      };
      const window = pageWindow(query, await this.config.number('default.page.size', {}, tx));
      const page = await tx.repo('volumes').find({ where, orderBy: [{ field: 'createdAt' }, { field: 'id' }], ...window });
      const items: VolumeView[] = [];
      for (const volume of page.items) items.push(volumeViewOf(await this.access.synced(tx, volume)));
      return { items, total: page.total };
    });
  }
}
