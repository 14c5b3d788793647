import { scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import type { RandomSource } from '../contracts/random.js';

/** Work factors of the scrypt hash; stored with each hash so they can be raised later. */
export interface ScryptParameters {
  /** CPU/memory cost, a power of two. */
  readonly N: number;
  /** Block size. */
  readonly r: number;
  /** Parallelism. */
  readonly p: number;
}

/** OWASP's recommended minimum for scrypt (N=2^17, r=8, p=1), about 128 MiB and 0.1 s. */
export const DEFAULT_SCRYPT: ScryptParameters = { N: 2 ** 17, r: 8, p: 1 };

const KEY_LENGTH = 32;

function derive(secret: string, salt: Buffer, params: ScryptParameters): Promise<Buffer> {
  const options: ScryptOptions = { N: params.N, r: params.r, p: params.p, maxmem: 256 * params.N * params.r };
  return new Promise((resolve, reject) => {
    scrypt(secret, salt, KEY_LENGTH, options, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

/**
 * One-way password hashing with scrypt: user passwords are never stored reversibly. The
 * stored form is `scrypt$N$r$p$<salt>$<hash>` (base64url), so verification needs nothing else.
 */
export class PasswordHasher {
  constructor(
    private readonly random: RandomSource,
    private readonly params: ScryptParameters = DEFAULT_SCRYPT,
  ) {}

  /** Hashes a password with a fresh 16-byte salt. */
  async hash(password: string): Promise<string> {
    const salt = Buffer.from(this.random.bytes(16));
    const key = await derive(password, salt, this.params);
    const { N, r, p } = this.params;
    return `scrypt$${N}$${r}$${p}$${salt.toString('base64url')}$${key.toString('base64url')}`;
  }

  /** Whether `password` matches a stored hash (constant-time comparison). */
  async verify(password: string, stored: string): Promise<boolean> {
    const parts = stored.split('$');
    if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
    const [, n, r, p, salt, hash] = parts as [string, string, string, string, string, string];
    const expected = Buffer.from(hash, 'base64url');
    const key = await derive(password, Buffer.from(salt, 'base64url'), { N: Number(n), r: Number(r), p: Number(p) });
    return key.length === expected.length && timingSafeEqual(key, expected);
  }

  /** True when a stored hash was made with weaker parameters than the current ones. */
  needsRehash(stored: string): boolean {
    const [, n, r, p] = stored.split('$');
    return Number(n) < this.params.N || Number(r) < this.params.r || Number(p) < this.params.p;
  }
}
