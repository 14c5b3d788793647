import { CloudError, ErrorCode } from '@cloudstack-sdk/core';

/** One `name=value` pair of a query string or form body, decoded, with the name as received. */
export interface RawPair {
  /** The parameter name as the client spelled it (the signature uses this spelling). */
  readonly name: string;
  /** The decoded value. */
  readonly value: string;
}

function decodeComponent(text: string): string {
  const spaced = text.replace(/\+/g, ' ');
  try {
    return decodeURIComponent(spaced);
  } catch {
    throw new CloudError(ErrorCode.PARAM_ERROR, `Unable to decode request parameter ${spaced.slice(0, 64)}: malformed percent-encoding`);
  }
}

/**
 * Decodes `application/x-www-form-urlencoded` text (a query string or a POST body) as UTF-8,
 * with `+` as a space, in the order received. Pairs without a name are dropped.
 */
export function decodeForm(text: string): RawPair[] {
  const pairs: RawPair[] = [];
  if (text === '') return pairs;
  for (const part of text.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const name = decodeComponent(eq === -1 ? part : part.slice(0, eq));
    if (name === '') continue;
    pairs.push({ name, value: eq === -1 ? '' : decodeComponent(part.slice(eq + 1)) });
  }
  return pairs;
}
