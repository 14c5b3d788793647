import { z } from 'zod';

/**
 * An SSH key pair of an account (guide 5.2): the public key, to hand to VMs, and its
 * fingerprint. The private key of a generated pair is returned once and never stored.
 */
export const SshKeyPairSchema = z.object({
  id: z.string(),
  version: z.number().int().positive(),
  /** Name, unique within the account. */
  name: z.string().min(1).max(255),
  accountId: z.string(),
  domainId: z.string(),
  /** OpenSSH public key line, e.g. `ssh-rsa AAAA… comment`. */
  publicKey: z.string(),
  /** MD5 of the key blob, colon-separated hex (`f6:77:39:…`). */
  fingerprint: z.string().regex(/^([0-9a-f]{2}:){15}[0-9a-f]{2}$/),
  createdAt: z.string(),
});

/** An SSH key pair as stored. */
export type SshKeyPair = z.infer<typeof SshKeyPairSchema>;
