import { createHmac } from 'node:crypto';
import { createCloud, ManualClock, type Cloud } from '@cloudstack-sdk/core';
import { CloudStackApi, type ApiRequest, type ApiResponse, type CloudStackApiOptions } from '../../src/index.js';
import { ADMIN, DISABLED, MapAuthenticator, USER, type TestUser } from './test-authenticator.js';

/** Fast scrypt factors for tests. */
export const TEST_PASSWORD_HASHING = { N: 1024, r: 8, p: 1 } as const;

/** A cloud, its API and a manual clock. */
export interface ApiFixture {
  readonly cloud: Cloud;
  readonly api: CloudStackApi;
  readonly clock: ManualClock;
}

/** Builds a memory cloud (manual clock at 2026-01-01) and an API over it with the test users. */
export async function apiFixture(options: Partial<CloudStackApiOptions> = {}): Promise<ApiFixture> {
  const clock = new ManualClock(Date.UTC(2026, 0, 1, 12, 0, 0));
  const cloud = await createCloud({ passwordHashing: TEST_PASSWORD_HASHING, clock });
  const api = new CloudStackApi({ cloud, authenticator: new MapAuthenticator([ADMIN, USER, DISABLED]), ...options });
  return { cloud, api, clock };
}

/**
 * How `cs` 2.7.1 encodes a value for its string to sign: Python `quote(v, safe='*')`, which
 * leaves `A-Za-z0-9_.-~*` and encodes the rest (space as `%20`).
 */
function pythonQuote(value: string, safe: string): string {
  return encodeURIComponent(value).replace(/[!'()]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`).replace(/%([0-9A-F]{2})/g, (m, h: string) => {
    const c = String.fromCharCode(parseInt(h, 16));
    return safe.includes(c) ? c : m;
  });
}

/** The client whose signing a request imitates. */
export type ClientStyle = 'cs' | 'libcloud';

/**
 * Signs parameters as a real client does: `cs` sorts the names as given and encodes values with
 * `quote(safe='*')`; libcloud sorts lower-cased names and encodes with `quote(safe='[]*')`.
 * Returns the query string to send (values form-encoded, signature last).
 */
export function signedQuery(params: Readonly<Record<string, string>>, user: TestUser = ADMIN, style: ClientStyle = 'cs'): string {
  const all: [string, string][] = [...Object.entries(params), ['apiKey', user.apiKey]];
  const sorted = style === 'cs' ? [...all].sort((a, b) => (a[0] < b[0] ? -1 : 1)) : [...all].sort((a, b) => (a[0].toLowerCase() < b[0].toLowerCase() ? -1 : 1));
  const safe = style === 'cs' ? '*' : '[]*';
  const text = sorted.map(([k, v]) => `${k}=${pythonQuote(v, safe)}`).join('&').toLowerCase();
  const signature = createHmac('sha1', user.secretKey).update(text).digest('base64');
  const sent: [string, string][] = [...all, ['signature', signature]];
  return sent.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
}

/** A GET request to `/client/api` with a query string. */
export function get(query: string, headers: Record<string, string> = {}): ApiRequest {
  return { method: 'GET', path: '/client/api', query, headers };
}

/** Sends a signed GET through `handle()` and parses the JSON reply. */
export async function callJson(api: CloudStackApi, params: Readonly<Record<string, string>>, user: TestUser = ADMIN): Promise<{ response: ApiResponse; json: Record<string, Record<string, unknown>> }> {
  const response = await api.handle(get(signedQuery({ response: 'json', ...params }, user)));
  return { response, json: JSON.parse(response.body) as Record<string, Record<string, unknown>> };
}

/** `expires` as `cs` writes it: UTC with `+0000`. */
export function expiresAt(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19)}+0000`;
}
