import { z } from 'zod';

/**
 * A region: the largest organisational unit, run by its own management servers. Its id is the
 * small integer the admin chose when setting up the region's database (`-r <region_id>`); the
 * default region is `1`.
 */
export const RegionSchema = z.object({
  /** The region number, as a decimal string (`"1"`). */
  id: z.string().regex(/^[1-9]\d*$/),
  version: z.number().int().positive(),
  name: z.string().min(1).max(255),
  /** The region's management server API endpoint (`http://host:8080/client`). */
  endpoint: z.string().url(),
  createdAt: z.string(),
});

/** A region. */
export type Region = z.infer<typeof RegionSchema>;

/** The id of the region that always exists. */
export const DEFAULT_REGION_ID = '1';
