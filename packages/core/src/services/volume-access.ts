import { inject, injectable } from 'tsyringe';
import { isoNow, type Clock } from '../contracts/clock.js';
import type { Transaction } from '../contracts/store.js';
import { notFound } from '../errors.js';
import type { Volume, VolumeState } from '../model/volume.js';
import { TOKENS } from '../tokens.js';
import { Visibility } from './visibility.js';

/** A volume as `listVolumes` shows it (field names as reference §5 maps them). */
export interface VolumeView {
  readonly id: string;
  readonly name: string;
  readonly type: Volume['type'];
  readonly state: VolumeState;
  /** Bytes. */
  readonly size: number;
  readonly accountId: string;
  readonly domainId: string;
  readonly zoneId: string;
  readonly diskOfferingId?: string;
  readonly templateId?: string;
  readonly snapshotId?: string;
  readonly virtualMachineId?: string;
  readonly deviceId?: number;
  /** The pool's id (the API's `storage` names it). */
  readonly storageId?: string;
  readonly created: string;
  readonly attached?: string;
  readonly destroyed: boolean;
}

/** The view of a stored volume. */
export function volumeViewOf(volume: Volume): VolumeView {
  return {
    id: volume.id,
    name: volume.name,
    type: volume.type,
    state: volume.state,
    size: volume.size,
    accountId: volume.accountId,
    domainId: volume.domainId,
    zoneId: volume.zoneId,
    ...(volume.diskOfferingId === undefined ? {} : { diskOfferingId: volume.diskOfferingId }),
    ...(volume.templateId === undefined ? {} : { templateId: volume.templateId }),
    ...(volume.snapshotId === undefined ? {} : { snapshotId: volume.snapshotId }),
    ...(volume.virtualMachineId === undefined ? {} : { virtualMachineId: volume.virtualMachineId }),
    ...(volume.deviceId === undefined ? {} : { deviceId: volume.deviceId }),
    ...(volume.storageId === undefined ? {} : { storageId: volume.storageId }),
    created: volume.createdAt,
    ...(volume.attachedAt === undefined ? {} : { attached: volume.attachedAt }),
    destroyed: volume.state === 'Destroy' || volume.state === 'Expunged',
  };
}

/**
 * Looks volumes up by id under the one visibility rule: another tenant's volume reads exactly
 * like one that does not exist (431 naming the parameter). A ROOT volume is brought up to date
 * with its VM's root disk here: the VM code places the root disk when the VM first starts, and
 * the volume row follows (`Allocated` → `Ready` on that pool).
 */
@injectable()
export class VolumeAccess {
  constructor(
    @inject(Visibility) private readonly visibility: Visibility,
    @inject(TOKENS.Clock) private readonly clock: Clock,
  ) {}

  /** The volume if `caller` may see it (and it is not expunged); 431 not found otherwise. */
  async visible(tx: Transaction, caller: Parameters<Visibility['canAccess']>[1], id: string, param = 'id'): Promise<Volume> {
    const volume = await tx.repo('volumes').get(id);
    if (volume === undefined || volume.state === 'Expunged') throw notFound('volume', param, id);
    await this.visibility.assertCanAccess(tx, caller, volume, 'volume', param, id);
    return this.synced(tx, volume);
  }

  /** A ROOT volume moved to `Ready` on its VM's root pool once the VM placed it; others as they are. */
  async synced(tx: Transaction, volume: Volume): Promise<Volume> {
    if (volume.type !== 'ROOT' || volume.state !== 'Allocated' || volume.virtualMachineId === undefined) return volume;
    const vm = await tx.repo('vms').get(volume.virtualMachineId);
    if (vm?.rootPoolId === undefined) return volume;
    return tx.repo('volumes').update({ ...volume, state: 'Ready', storageId: vm.rootPoolId, size: vm.rootDiskBytes, updatedAt: isoNow(this.clock) });
  }
}
