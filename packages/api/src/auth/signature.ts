import { createHmac, timingSafeEqual } from 'node:crypto';
import { candidateStrings } from './canonical-forms.js';

/** HMAC-SHA1 of `text` (UTF-8) keyed with `secretKey`, base64 with padding: a request signature. */
export function sign(text: string, secretKey: string): string {
  return createHmac('sha1', secretKey).update(text, 'utf8').digest('base64');
}

/** Compares two signatures in time independent of where they differ. */
export function signaturesEqual(expected: string, received: string): boolean {
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(received, 'utf8');
  if (a.length !== b.length) return false;
  return timingSafeEqual(a, b);
}

/**
 * True when `signature` signs the request's parameters (every one but `signature`, names as
 * received) in any accepted canonical form. A space in the received signature is read as `+`,
 * for clients that do not encode it.
 */
export function verifySignature(pairs: readonly (readonly [string, string])[], signature: string, secretKey: string): boolean {
  const received = signature.replace(/ /g, '+');
  let matched = false;
  // Every candidate is checked, so the time taken does not tell which form matched.
  for (const text of candidateStrings(pairs)) if (signaturesEqual(sign(text, secretKey), received)) matched = true;
  return matched;
}
