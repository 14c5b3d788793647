import { createPublicKey, generateKeyPair } from 'node:crypto';
import { injectable } from 'tsyringe';
import { internalError } from '../errors.js';
import { rsaPublicKeyLine } from './ssh-public-key.js';

/** A freshly generated SSH key pair. */
export interface GeneratedSshKeyPair {
  /** OpenSSH public key line (`ssh-rsa AAAA…`). */
  readonly publicKey: string;
  /** PEM private key (`-----BEGIN RSA PRIVATE KEY-----`), handed to the caller once. */
  readonly privateKey: string;
}

/** RSA modulus size of generated key pairs, as CloudStack's `createSSHKeyPair`. */
export const SSH_RSA_BITS = 2048;

/**
 * Generates RSA key pairs for `createSSHKeyPair` with node's CSPRNG. A class, so a product or
 * test can register another generator in the container.
 */
@injectable()
export class SshKeyGenerator {
  /** A new 2048-bit RSA key pair: OpenSSH public line and PKCS#1 PEM private key. */
  async generate(comment?: string): Promise<GeneratedSshKeyPair> {
    const { publicKey, privateKey } = await new Promise<{ publicKey: string; privateKey: string }>((resolve, reject) => {
      generateKeyPair(
        'rsa',
        {
          modulusLength: SSH_RSA_BITS,
          publicKeyEncoding: { type: 'spki', format: 'pem' },
          privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
        },
        (error, pub, priv) => (error ? reject(internalError('Generating an SSH key pair failed', error)) : resolve({ publicKey: pub, privateKey: priv })),
      );
    });
    const jwk = createPublicKey(publicKey).export({ format: 'jwk' });
    if (jwk.n === undefined || jwk.e === undefined) throw internalError('Generated RSA key has no modulus');
    return {
      publicKey: rsaPublicKeyLine(Buffer.from(jwk.n, 'base64url'), Buffer.from(jwk.e, 'base64url'), comment),
      privateKey,
    };
  }
}
