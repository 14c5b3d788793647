/**
 * The fields of `value` that are not undefined, typed as present: turns optional command
 * parameters into a core input that names only what the request gave (strict optional types).
 */
export function defined<T extends object>(value: T): { [K in keyof T]: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as { [K in keyof T]: Exclude<T[K], undefined> };
}
