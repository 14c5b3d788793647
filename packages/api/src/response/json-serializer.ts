import type { ApiBody } from './api-value.js';

function dropNulls(_key: string, value: unknown): unknown {
  return value === null ? undefined : value;
}

/** Writes a reply as 4.1's JSON: `{"<responsename>":{…}}`, null and undefined fields omitted. */
export function toJson(body: ApiBody): string {
  return JSON.stringify({ [body.responseName]: body.content }, dropNulls);
}
