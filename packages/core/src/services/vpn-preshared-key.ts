import type { RandomSource } from '../contracts/random.js';

/** Characters of pre-shared keys: URL-safe base64's 64, so each random byte maps without bias. */
const KEY_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/**
 * An IPsec pre-shared key of `length` characters (`remote.access.vpn.psk.length`) from the
 * injected random source: six random bits per character.
 */
export function presharedKey(random: RandomSource, length: number): string {
  return Array.from(random.bytes(length), (byte) => KEY_ALPHABET[byte & 63]).join('');
}
