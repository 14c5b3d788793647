import { z } from 'zod';
import type { Transitions } from './state-machine.js';

/** The kinds of volume in 4.1: a VM's root disk and data disks. */
export const VolumeType = z.enum(['ROOT', 'DATADISK']);
/** One of the volume types. */
export type VolumeType = z.infer<typeof VolumeType>;

/**
 * States of a volume, as 4.1's `Volume.State`: `Allocated` (a row, no bytes on any pool),
 * `Creating` (being created on a pool by its first attach), `Ready`, `Resizing`, `Migrating`,
 * `Snapshotting` (intents recorded before a driver call), `Destroy` (being deleted),
 * `Expunged` (gone from its pool).
 */
export const VolumeState = z.enum(['Allocated', 'Creating', 'Ready', 'Resizing', 'Migrating', 'Snapshotting', 'Destroy', 'Expunged']);
/** One of the volume states. */
export type VolumeState = z.infer<typeof VolumeState>;

/** Allowed moves between volume states; a failed step returns to where it started. */
export const VOLUME_TRANSITIONS: Transitions<VolumeState> = {
  Allocated: ['Creating', 'Ready', 'Destroy', 'Expunged'],
  Creating: ['Ready', 'Allocated'],
  Ready: ['Resizing', 'Migrating', 'Snapshotting', 'Destroy'],
  Resizing: ['Ready'],
  Migrating: ['Ready'],
  Snapshotting: ['Ready'],
  Destroy: ['Expunged', 'Ready', 'Allocated'],
  Expunged: [],
};

/** Device ids a data disk may take (3 is the CD-ROM's, as in 4.1). */
export const DATA_DISK_DEVICE_IDS: readonly number[] = [1, 2, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15];

/**
 * A volume (CloudStack's `volumes` row). Field names follow the API's `volume` object
 * (reference §5): `size` in bytes, `virtualMachineId`, `deviceId`, `diskOfferingId`,
 * `storageId` (the pool, shown as `storage`), `snapshotId` (the snapshot it was created from).
 */
export const VolumeSchema = z.object({
  id: z.string(),
  version: z.number().int().positive(),
  name: z.string().min(1).max(255),
  type: VolumeType,
  state: VolumeState,
  /** Bytes. */
  size: z.number().int().min(0),
  accountId: z.string(),
  domainId: z.string(),
  zoneId: z.string(),
  /** The disk offering (data disks). */
  diskOfferingId: z.string().optional(),
  /** The template a root disk is cloned from. */
  templateId: z.string().optional(),
  /** The snapshot a volume was created from. */
  snapshotId: z.string().optional(),
  /** The VM it is attached to, and its device number there (0 for ROOT). */
  virtualMachineId: z.string().optional(),
  deviceId: z.number().int().min(0).optional(),
  /** The pool it is on, once created there. */
  storageId: z.string().optional(),
  /** Where it is on its pool. */
  path: z.string().optional(),
  createdAt: z.string(),
  /** When it was last attached. */
  attachedAt: z.string().optional(),
  updatedAt: z.string(),
});

/** A volume as stored. */
export type Volume = z.infer<typeof VolumeSchema>;
