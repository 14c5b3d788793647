import { CATALOG_4_1 } from './catalog-4.1.js';
import type { CatalogEntry } from './catalog-entry.js';

const BY_NAME = new Map(CATALOG_4_1.map((entry) => [entry.name, entry]));

/** The 4.1 catalogue row of a command; throws for a name 4.1 does not have (a declaration bug). */
export function catalogEntry(name: string): CatalogEntry {
  const entry = BY_NAME.get(name);
  if (entry === undefined) throw new Error(`${name} is not a CloudStack 4.1 command`);
  return entry;
}

/** The catalogue facts a declaration of a 4.1 command repeats: permission and response name. */
export function catalogFacts(name: string): { readonly name: string; readonly permission: number; readonly responseName: string } {
  const { permission, responseName } = catalogEntry(name);
  return { name, permission, responseName };
}

/** True when `name` is a 4.1 command. */
export function isCatalogued(name: string): boolean {
  return BY_NAME.has(name);
}
