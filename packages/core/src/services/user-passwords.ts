import { createHash } from 'node:crypto';
import type { PasswordHasher } from '../security/password-hash.js';

const MD5_HEX = /^[0-9a-fA-F]{32}$/;

/** The MD5 hex of a password, as CloudStack 4.1's MD5 authenticator encodes it (lower case, 32 digits). */
export function md5Hex(value: string): string {
  return createHash('md5').update(value, 'utf8').digest('hex');
}

/**
 * Hashes a user password for storage: scrypt over its MD5 hex. Storing a hash of the MD5 form
 * lets a login verify both forms a 4.1 client may send (the password, or its MD5 hex) while
 * nothing reversible — not even the MD5, which would itself log in — is kept.
 */
export function hashUserPassword(hasher: PasswordHasher, password: string): Promise<string> {
  return hasher.hash(md5Hex(password));
}

/**
 * Whether `given` matches a stored user-password hash: either `given` is the password (its MD5
 * matches), or `given` is the MD5 hex the 4.1 UI and clients may send instead.
 */
export async function verifyUserPassword(hasher: PasswordHasher, given: string, stored: string): Promise<boolean> {
  if (await hasher.verify(md5Hex(given), stored)) return true;
  return MD5_HEX.test(given) && hasher.verify(given.toLowerCase(), stored);
}
