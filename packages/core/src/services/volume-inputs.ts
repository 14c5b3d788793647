import { z } from 'zod';
import { VolumeState, VolumeType } from '../model/volume.js';
import { PagingInput } from './paging.js';
import { VisibilityInput } from './visibility.js';

/** A volume by id. */
export const VolumeIdInput = z.object({ id: z.string().min(1) });
/** A volume by id. */
export type VolumeIdInput = z.input<typeof VolumeIdInput>;

/** Input of `volumes.create` (`createVolume`): from a disk offering or from a snapshot. */
export const CreateVolumeInput = z.object({
  name: z.string().min(1).max(255),
  /** The zone; the snapshot's when creating from one. */
  zoneId: z.string().min(1).optional(),
  diskOfferingId: z.string().min(1).optional(),
  /** GB, for a custom disk offering (`custom.diskoffering.size.min..max`). */
  size: z.number().int().positive().optional(),
  /** Restore this snapshot into the new volume. */
  snapshotId: z.string().min(1).optional(),
  /** Admins: create for this account (by name, in `domainId` or the caller's domain). */
  account: z.string().min(1).optional(),
  domainId: z.string().min(1).optional(),
});
/** Input of `volumes.create`. */
export type CreateVolumeInput = z.input<typeof CreateVolumeInput>;

/** Input of `volumes.attach` (`attachVolume`). */
export const AttachVolumeInput = VolumeIdInput.extend({
  virtualMachineId: z.string().min(1),
  /** Device number; the lowest free one when absent. */
  deviceId: z.number().int().min(1).max(15).optional(),
});
/** Input of `volumes.attach`. */
export type AttachVolumeInput = z.input<typeof AttachVolumeInput>;

/** Input of `volumes.resize` (`resizeVolume`): a new custom size or another disk offering. */
export const ResizeVolumeInput = VolumeIdInput.extend({
  /** GB. */
  size: z.number().int().positive().optional(),
  diskOfferingId: z.string().min(1).optional(),
  /** Allow the volume to shrink. */
  shrinkOk: z.boolean().default(false),
});
/** Input of `volumes.resize`. */
export type ResizeVolumeInput = z.input<typeof ResizeVolumeInput>;

/** Input of `volumes.migrate` (`migrateVolume`). */
export const MigrateVolumeInput = VolumeIdInput.extend({ storageId: z.string().min(1) });
/** Input of `volumes.migrate`. */
export type MigrateVolumeInput = z.input<typeof MigrateVolumeInput>;

/** Filters of `volumes.list` (`listVolumes`). */
export const ListVolumesInput = VisibilityInput.extend(PagingInput.shape).extend({
  id: z.string().min(1).optional(),
  name: z.string().min(1).optional(),
  type: VolumeType.optional(),
  state: VolumeState.optional(),
  zoneId: z.string().min(1).optional(),
  virtualMachineId: z.string().min(1).optional(),
  keyword: z.string().min(1).optional(),
});
/** Filters of `volumes.list`. */
export type ListVolumesInput = z.input<typeof ListVolumesInput>;
