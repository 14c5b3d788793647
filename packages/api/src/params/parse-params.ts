import { CloudError, CsErrorCode, ErrorCode } from '@cloudstack-sdk/core';
import type { RequestParams } from './request-params.js';
import type { ParamShape, ParamsOf, RawParamValue } from './param-types.js';

const MAP_ENTRY = /^([^[\]]+)\[(\d+)\]\.([^[\]]+)$/;
// ASCII control characters (C0 and DEL): 4.1 refuses any value that carries one.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

/**
 * 431 when any value of the request carries an ASCII control character, as 4.1 refuses them
 * before a command sees its parameters.
 */
export function rejectControlCharacters(params: RequestParams): void {
  for (const [name, value] of params.entries()) {
    if (CONTROL.test(value)) {
      throw new CloudError(
        ErrorCode.PARAM_ERROR,
        `Received value ${JSON.stringify(value).slice(1, -1)} for parameter ${name} is invalid, contains illegal ASCII non-printable characters`,
        { param: name.toLowerCase() },
      );
    }
  }
}

/**
 * The entries of map parameter `name` (`name[i].field=value`): the name part matched in any
 * case, field names kept as sent, entries in index order. 430 for a malformed entry.
 */
function mapEntries(params: RequestParams, name: string): Record<string, string>[] | undefined {
  const byIndex = new Map<number, Record<string, string>>();
  for (const [received, value] of params.entries()) {
    if (!received.toLowerCase().startsWith(`${name}[`)) continue;
    const m = MAP_ENTRY.exec(received);
    if (m === null || (m[1] as string).toLowerCase() !== name) {
      throw new CloudError(ErrorCode.MALFORMED_PARAMETER, `Malformed parameter ${received}: a map parameter is sent as ${name}[0].field=value`, {
        param: name,
      });
    }
    const index = Number(m[2]);
    const entry = byIndex.get(index) ?? {};
    entry[m[3] as string] = value;
    byIndex.set(index, entry);
  }
  if (byIndex.size === 0) return undefined;
  return Array.from(byIndex.entries())
    .sort((a, b) => a[0] - b[0])
    .map(([, entry]) => entry);
}

/**
 * Reads a command's declared parameters from a request: names in any case, unknown ones
 * ignored, an empty value of a non-string parameter read as absent. 431 "missing parameter"
 * (cserrorcode 9999) for an absent required one, 431 naming the parameter for a bad value.
 * `apiName` is the command as the message names it (the response name minus `response`).
 */
export function parseParams<P extends ParamShape>(shape: P, params: RequestParams, apiName: string): ParamsOf<P> {
  const out: Record<string, unknown> = {};
  for (const [name, definition] of Object.entries(shape)) {
    let raw: RawParamValue | undefined;
    if (definition.type === 'map') raw = mapEntries(params, name);
    else {
      const value = params.get(name);
      raw = value === '' && definition.type !== 'string' ? undefined : value;
    }
    if (raw === undefined) {
      if (definition.required) {
        throw new CloudError(ErrorCode.PARAM_ERROR, `Unable to execute API command ${apiName} due to missing parameter ${name}`, {
          param: name,
          csErrorCode: CsErrorCode.SERVER_API,
        });
      }
      continue;
    }
    const parsed = definition.schema.safeParse(raw);
    if (!parsed.success) {
      const reason = parsed.error.issues[0]?.message ?? 'invalid value';
      const shown = typeof raw === 'string' ? raw : JSON.stringify(raw);
      throw new CloudError(ErrorCode.PARAM_ERROR, `Invalid parameter ${name} value=${shown} due to ${reason}`, { param: name });
    }
    out[name] = parsed.data;
  }
  return out as ParamsOf<P>;
}
