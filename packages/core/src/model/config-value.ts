import { z } from 'zod';

/**
 * A configuration value set by an admin (or at start-up) at one scope. Parameters without a
 * row read their default. The id is `<scope>:<scopeId>:<name>` so a scope holds one value per
 * parameter.
 */
export const ConfigValueSchema = z.object({
  id: z.string(),
  version: z.number().int().positive(),
  name: z.string(),
  scope: z.enum(['global', 'zone', 'cluster', 'storagepool', 'account']),
  /** The zone, cluster, pool or account id; `global` for the global scope. */
  scopeId: z.string(),
  value: z.string(),
  updatedAt: z.string(),
});

/** A configuration value set at one scope. */
export type ConfigValue = z.infer<typeof ConfigValueSchema>;
