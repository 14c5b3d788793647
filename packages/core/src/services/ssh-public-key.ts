import { createHash } from 'node:crypto';
import { invalidParameter } from '../errors.js';

/** Key types an OpenSSH public key line may name. */
const KEY_TYPES = new Set([
  'ssh-rsa',
  'ssh-dss',
  'ssh-ed25519',
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp521',
]);

/** A parsed OpenSSH public key line. */
export interface SshPublicKey {
  /** The key type, e.g. `ssh-rsa`. */
  readonly type: string;
  /** The decoded key blob. */
  readonly blob: Buffer;
  /** The line normalised to `<type> <base64>[ <comment>]`. */
  readonly line: string;
}

/** Reads the SSH wire-format string at `offset` of `blob` (a uint32 length, then bytes). */
function readString(blob: Buffer, offset: number): { value: Buffer; next: number } | undefined {
  if (offset + 4 > blob.length) return undefined;
  const length = blob.readUInt32BE(offset);
  const end = offset + 4 + length;
  if (end > blob.length) return undefined;
  return { value: blob.subarray(offset + 4, end), next: end };
}

/**
 * Parses an OpenSSH public key line (`ssh-rsa AAAA… comment`). Refuses (431 naming
 * `publickey`) anything that is not a known key type with a blob naming the same type.
 */
export function parseSshPublicKey(text: string): SshPublicKey {
  const parts = text.trim().split(/\s+/);
  const [type, data, ...comment] = parts;
  if (type === undefined || data === undefined || !KEY_TYPES.has(type)) {
    throw invalidParameter('publickey', 'Public key is invalid: expected an OpenSSH public key such as "ssh-rsa AAAA…"');
  }
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(data)) throw invalidParameter('publickey', 'Public key is invalid: the key data is not base64');
  const blob = Buffer.from(data, 'base64');
  const named = readString(blob, 0);
  if (named === undefined || named.value.toString('latin1') !== type || named.next >= blob.length) {
    throw invalidParameter('publickey', `Public key is invalid: the key data is not a ${type} key`);
  }
  const line = [type, data, ...(comment.length > 0 ? [comment.join(' ')] : [])].join(' ');
  return { type, blob, line };
}

/** The MD5 fingerprint of a key blob, colon-separated lower-case hex as the guide shows. */
export function sshFingerprint(blob: Buffer): string {
  return createHash('md5').update(blob).digest('hex').match(/../g)!.join(':');
}

/** Encodes bytes as an SSH wire-format string (uint32 length, then the bytes). */
function sshString(bytes: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(bytes.length);
  return Buffer.concat([length, bytes]);
}

/** Encodes an unsigned big-endian integer as an SSH `mpint` (a leading zero when the top bit is set). */
function sshMpint(unsigned: Buffer): Buffer {
  let start = 0;
  while (start < unsigned.length - 1 && unsigned[start] === 0) start += 1;
  const trimmed = unsigned.subarray(start);
  const needsPad = (trimmed[0] ?? 0) & 0x80;
  return sshString(needsPad ? Buffer.concat([Buffer.from([0]), trimmed]) : trimmed);
}

/** The OpenSSH `ssh-rsa` public key line of an RSA key given by its modulus and exponent. */
export function rsaPublicKeyLine(modulus: Buffer, exponent: Buffer, comment?: string): string {
  const blob = Buffer.concat([sshString(Buffer.from('ssh-rsa', 'latin1')), sshMpint(exponent), sshMpint(modulus)]);
  return `ssh-rsa ${blob.toString('base64')}${comment === undefined ? '' : ` ${comment}`}`;
}
