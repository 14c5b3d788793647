import { z } from 'zod';
import { IMAGE_STORE_PROTOCOLS } from '../contracts/storage.js';

/**
 * A secondary storage (image store): an NFS share of one zone, or the cloud-wide Swift store
 * that zone NFS stores stage data for. Swift credentials are sealed.
 */
export const ImageStoreSchema = z.object({
  id: z.string(),
  version: z.number().int().positive(),
  name: z.string(),
  protocol: z.enum(IMAGE_STORE_PROTOCOLS),
  /** `Zone` for NFS, `Region` (cloud-wide) for Swift. */
  scope: z.enum(['Zone', 'Region']),
  /** The zone of an NFS store. */
  zoneId: z.string().optional(),
  url: z.string(),
  /** Swift account. */
  account: z.string().optional(),
  /** Swift user name. */
  username: z.string().optional(),
  /** Swift key, sealed. */
  keySealed: z.string().optional(),
  capacityBytes: z.number().int().min(0),
  usedBytes: z.number().int().min(0),
  state: z.enum(['Creating', 'Up', 'Removed']),
  createdAt: z.string(),
});

/** A secondary storage store. */
export type ImageStore = z.infer<typeof ImageStoreSchema>;
