import { randomBytes, randomUUID } from 'node:crypto';

/** Where core gets randomness: ids, salts, IVs, keys and generated passwords. */
export interface RandomSource {
  /** A new lower-case v4 UUID. */
  uuid(): string;
  /** `length` random bytes; must be cryptographically strong outside tests. */
  bytes(length: number): Uint8Array;
}

/** Randomness from node's CSPRNG. */
export const cryptoRandom: RandomSource = {
  uuid: () => randomUUID(),
  bytes: (length) => new Uint8Array(randomBytes(length)),
};
