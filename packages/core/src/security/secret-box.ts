import { createCipheriv, createDecipheriv } from 'node:crypto';
import type { RandomSource } from '../contracts/random.js';
import { CloudError, ErrorCode, invalidParameter } from '../errors.js';

/** The prefix of every sealed value; a value without it was never sealed. */
const SEALED_PREFIX = 'sealed:v1:';
const KEY_ID_PATTERN = /^[A-Za-z0-9_-]{1,32}$/;

/** The keys a {@link SecretBox} seals and opens with. */
export interface SecretKeyring {
  /** The id of the key new values are sealed with. */
  readonly activeKeyId: string;
  /** Every key still needed to open stored values: id → 32 bytes (or their base64). */
  readonly keys: Readonly<Record<string, Uint8Array | string>>;
}

function decodeKey(id: string, key: Uint8Array | string): Buffer {
  const bytes = typeof key === 'string' ? Buffer.from(key, 'base64') : Buffer.from(key);
  if (bytes.length !== 32) {
    throw invalidParameter('secrets', `key ${id} must be 32 bytes (base64 of 32 bytes), got ${bytes.length}`);
  }
  return bytes;
}

/**
 * Seals secrets (host and device passwords, VPN pre-shared keys, API secret keys) with
 * AES-256-GCM before they reach the store, and opens them again. Each sealed value names the
 * key it was sealed with, so keys can rotate: add the new key, make it active, and values
 * sealed with the old one still open until they are resealed.
 *
 * Format: `sealed:v1:<keyId>:<iv>:<tag>:<ciphertext>`, the last three base64url.
 */
export class SecretBox {
  private readonly keys = new Map<string, Buffer>();
  private readonly activeKeyId: string;

  constructor(
    keyring: SecretKeyring,
    private readonly random: RandomSource,
  ) {
    for (const [id, key] of Object.entries(keyring.keys)) {
      if (!KEY_ID_PATTERN.test(id)) throw invalidParameter('secrets', `key id ${id} must match ${KEY_ID_PATTERN}`);
      this.keys.set(id, decodeKey(id, key));
    }
    if (!this.keys.has(keyring.activeKeyId)) {
      throw invalidParameter('secrets', `the active key ${keyring.activeKeyId} is not among the keys`);
    }
    this.activeKeyId = keyring.activeKeyId;
  }

  /** True when `value` is a sealed value (of any key). */
  static isSealed(value: string): boolean {
    return value.startsWith(SEALED_PREFIX);
  }

  /** Seals `plaintext` with the active key. */
  seal(plaintext: string): string {
    const key = this.keys.get(this.activeKeyId) as Buffer;
    const iv = Buffer.from(this.random.bytes(12));
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    const tag = cipher.getAuthTag();
    return `${SEALED_PREFIX}${this.activeKeyId}:${iv.toString('base64url')}:${tag.toString('base64url')}:${body.toString('base64url')}`;
  }

  /** Opens a sealed value; fails with 530 when it was tampered with or its key is unknown. */
  open(sealed: string): string {
    if (!SecretBox.isSealed(sealed)) throw new CloudError(ErrorCode.INTERNAL_ERROR, 'Value is not a sealed secret');
    const [keyId, iv, tag, body] = sealed.slice(SEALED_PREFIX.length).split(':');
    if (keyId === undefined || iv === undefined || tag === undefined || body === undefined) {
      throw new CloudError(ErrorCode.INTERNAL_ERROR, 'Sealed secret is malformed');
    }
    const key = this.keys.get(keyId);
    if (key === undefined) {
      throw new CloudError(ErrorCode.INTERNAL_ERROR, `Sealed secret uses key ${keyId}, which this cloud does not have`);
    }
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
    } catch (cause) {
      throw new CloudError(ErrorCode.INTERNAL_ERROR, 'Sealed secret failed authentication (tampered or wrong key)', {
        cause,
      });
    }
  }

  /** True when `sealed` was sealed with a key other than the active one and should be resealed. */
  needsReseal(sealed: string): boolean {
    return !sealed.startsWith(`${SEALED_PREFIX}${this.activeKeyId}:`);
  }
}
