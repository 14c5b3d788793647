import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseSshPublicKey, sshFingerprint } from '../../src/index.js';
import { refusedUnchanged, tenantCloud } from './tenants.js';

/** An OpenSSH ed25519 public key line, built independently of the code under test. */
function ed25519Line(): { line: string; fingerprint: string } {
  const { publicKey } = generateKeyPairSync('ed25519');
  const raw = publicKey.export({ format: 'der', type: 'spki' }).subarray(-32);
  const part = (b: Buffer) => Buffer.concat([Buffer.from([0, 0, 0, b.length]), b]);
  const blob = Buffer.concat([part(Buffer.from('ssh-ed25519')), part(raw)]);
  const fingerprint = createHash('md5').update(blob).digest('hex').match(/../g)!.join(':');
  return { line: `ssh-ed25519 ${blob.toString('base64')} someone@example`, fingerprint };
}

describe('SSH key pairs', () => {
  it('creates an RSA pair: the PEM private key is returned once, the public key matches it', async () => {
    const t = await tenantCloud();
    const created = await t.cloud.as(t.as.alice).sshKeyPairs.create({ name: 'keypair-doc' });
    expect(created.privateKey).toMatch(/^-----BEGIN RSA PRIVATE KEY-----\n[\s\S]+\n-----END RSA PRIVATE KEY-----\n?$/);
    expect(created.fingerprint).toMatch(/^([0-9a-f]{2}:){15}[0-9a-f]{2}$/);
    expect(created.publicKey).toMatch(/^ssh-rsa AAAA/);
    const fromPrivate = createPublicKey(createPrivateKey(created.privateKey)).export({ format: 'jwk' });
    const parsed = parseSshPublicKey(created.publicKey);
    expect(sshFingerprint(parsed.blob)).toBe(created.fingerprint);
    // The modulus inside the ssh-rsa blob is the private key's modulus.
    expect(parsed.blob.includes(Buffer.from(fromPrivate.n!, 'base64url'))).toBe(true);
    expect(createPublicKey(createPrivateKey(created.privateKey)).asymmetricKeyDetails?.modulusLength).toBe(2048);
    const listed = await t.cloud.as(t.as.alice).sshKeyPairs.list();
    expect(listed.items).toEqual([expect.objectContaining({ name: 'keypair-doc', fingerprint: created.fingerprint })]);
    expect(listed.items[0]).not.toHaveProperty('privateKey');
    const events = await t.cloud.as(t.as.alice).events.list({ type: 'CREATE.SSH.KEYPAIR' });
    expect(events.total).toBe(1);
  });

  it('registers an existing public key with the colon-separated MD5 fingerprint', async () => {
    const t = await tenantCloud();
    const { line, fingerprint } = ed25519Line();
    const registered = await t.cloud.as(t.as.bob).sshKeyPairs.register({ name: 'laptop', publicKey: `  ${line}\n` });
    expect(registered).toMatchObject({ name: 'laptop', fingerprint, publicKey: line, accountId: t.accounts.bob.account.id });
    expect((await t.cloud.as(t.as.bob).sshKeyPairs.list({ fingerprint: fingerprint.toUpperCase() })).total).toBe(1);
    expect((await t.cloud.as(t.as.bob).sshKeyPairs.get({ name: 'laptop' })).fingerprint).toBe(fingerprint);
  });

  it('refuses an invalid public key or a duplicate name, leaving nothing behind; names are per account', async () => {
    const t = await tenantCloud();
    const c = t.cloud;
    const { line } = ed25519Line();
    await c.as(t.as.alice).sshKeyPairs.register({ name: 'work', publicKey: line });
    await refusedUnchanged(c, () => c.as(t.as.alice).sshKeyPairs.register({ name: 'WORK', publicKey: line }), 431, 'name');
    await refusedUnchanged(c, () => c.as(t.as.alice).sshKeyPairs.create({ name: 'work' }), 431, 'name');
    await refusedUnchanged(c, () => c.as(t.as.alice).sshKeyPairs.register({ name: 'k2', publicKey: 'not a key' }), 431, 'publickey');
    await refusedUnchanged(c, () => c.as(t.as.alice).sshKeyPairs.register({ name: 'k2', publicKey: 'ssh-rsa !!!!' }), 431, 'publickey');
    const mislabelled = line.replace('ssh-ed25519', 'ssh-rsa');
    await refusedUnchanged(c, () => c.as(t.as.alice).sshKeyPairs.register({ name: 'k2', publicKey: mislabelled }), 431, 'publickey');
    await refusedUnchanged(c, () => c.as(t.as.alice).sshKeyPairs.register({ name: '', publicKey: line }), 431, 'name');
    await expect(c.as(t.as.sam).sshKeyPairs.register({ name: 'work', publicKey: line })).resolves.toMatchObject({ accountId: t.accounts.sam.account.id });
  });

  it('admins act for accounts below them; others\' key pairs read as not found', async () => {
    const t = await tenantCloud();
    const c = t.cloud;
    const { line } = ed25519Line();
    const forSam = await c.as(t.as.admin1).sshKeyPairs.register({ name: 'deploy', publicKey: line, account: 'sam', domainId: t.domains.sales.id });
    expect(forSam.accountId).toBe(t.accounts.sam.account.id);
    await refusedUnchanged(c, () => c.as(t.as.admin2).sshKeyPairs.register({ name: 'x', publicKey: line, account: 'sam', domainId: t.domains.sales.id }), 431, 'domainid');
    await refusedUnchanged(c, () => c.as(t.as.alice).sshKeyPairs.register({ name: 'x', publicKey: line, account: 'sam', domainId: t.domains.sales.id }), 431, 'domainid');
    await refusedUnchanged(c, () => c.as(t.as.alice).sshKeyPairs.delete({ name: 'deploy' }), 431, 'name');
    await refusedUnchanged(c, () => c.as(t.as.admin2).sshKeyPairs.delete({ name: 'deploy', account: 'sam', domainId: t.domains.sales.id }), 431, 'domainid');
    await c.as(t.as.sam).sshKeyPairs.delete({ name: 'deploy' });
    expect((await c.as(t.as.sam).sshKeyPairs.list()).total).toBe(0);
    await refusedUnchanged(c, () => c.as(t.as.sam).sshKeyPairs.delete({ name: 'deploy' }), 431, 'name');
  });
});
