import { z } from 'zod';
import { OfferingState, StorageType } from './service-offering.js';

/** A disk offering: the size (or a custom size) and storage tags of a data volume. */
export const DiskOfferingSchema = z.object({
  id: z.string(),
  version: z.number().int().positive(),
  name: z.string().min(1).max(255),
  displayText: z.string().min(1).max(4096),
  /** Size in GB; absent when the size is chosen at volume creation. */
  diskSizeGb: z.number().int().positive().optional(),
  /** True when the user picks the size (up to `custom.diskoffering.size.max`). */
  customized: z.boolean(),
  /** Storage tags the volume's pool must carry. */
  storageTags: z.array(z.string()),
  storageType: StorageType,
  /** The domain the offering is restricted to (with its subdomains); public when absent. */
  domainId: z.string().optional(),
  state: OfferingState,
  createdAt: z.string(),
});

/** A disk offering. */
export type DiskOffering = z.infer<typeof DiskOfferingSchema>;
