import { describe, expect, it } from 'vitest';
import { CloudError, MemoryStore, PasswordHasher, SecretBox, TOKENS, cryptoRandom } from '../src/index.js';
import { createTestCloud } from './support/test-cloud.js';

const key = (fill: number) => Buffer.alloc(32, fill).toString('base64');

describe('SecretBox (AES-256-GCM)', () => {
  const box = new SecretBox({ activeKeyId: 'k1', keys: { k1: key(1) } }, cryptoRandom);

  it('seals to a value that names its key and hides the plain text, and opens it again', () => {
    const sealed = box.seal('xen-root-password');
    expect(sealed.startsWith('sealed:v1:k1:')).toBe(true);
    expect(sealed).not.toContain('xen-root-password');
    expect(box.open(sealed)).toBe('xen-root-password');
    expect(box.seal('same')).not.toBe(box.seal('same'));
  });

  it('refuses a tampered value', () => {
    const sealed = box.seal('psk');
    const parts = sealed.split(':');
    const body = Buffer.from(parts[5]!, 'base64url');
    body[0] = body[0]! ^ 0xff;
    parts[5] = body.toString('base64url');
    expect(() => box.open(parts.join(':'))).toThrow(/failed authentication/);
  });

  it('rotates keys: values sealed with the old key still open and are marked for resealing', () => {
    const old = box.seal('api-secret');
    const rotated = new SecretBox({ activeKeyId: 'k2', keys: { k1: key(1), k2: key(2) } }, cryptoRandom);
    expect(rotated.open(old)).toBe('api-secret');
    expect(rotated.needsReseal(old)).toBe(true);
    const resealed = rotated.seal(rotated.open(old));
    expect(rotated.needsReseal(resealed)).toBe(false);
    expect(() => box.open(resealed)).toThrow(/key k2/);
  });

  it('refuses a key of the wrong size or an active key it does not have, naming the parameter', () => {
    const short = (() => {
      try {
        return new SecretBox({ activeKeyId: 'k', keys: { k: Buffer.alloc(16).toString('base64') } }, cryptoRandom);
      } catch (e) {
        return e;
      }
    })();
    expect(short).toBeInstanceOf(CloudError);
    expect((short as CloudError).param).toBe('secrets');
    expect(() => new SecretBox({ activeKeyId: 'missing', keys: { k: key(3) } }, cryptoRandom)).toThrow(/active key/);
  });

  it('keeps a sealed secret unreadable in the store', async () => {
    const store = new MemoryStore();
    const cloud = await createTestCloud({ store, secrets: { activeKeyId: 'k1', keys: { k1: key(9) } } });
    const sealed = cloud.container.resolve(TOKENS.SecretBox).seal('vcenter-password-123');
    await store.transaction((tx) =>
      tx.repo('configValues').insert({ id: 'secret-row', name: 'demo', scope: 'global', scopeId: 'global', value: sealed, updatedAt: 'now' }),
    );
    expect(store.rawContent()).toContain(sealed);
    expect(store.rawContent()).not.toContain('vcenter-password-123');
  });
});

describe('PasswordHasher (scrypt)', () => {
  const hasher = new PasswordHasher(cryptoRandom, { N: 1024, r: 8, p: 1 });

  it('hashes one way with a fresh salt and verifies', async () => {
    const a = await hasher.hash('password');
    const b = await hasher.hash('password');
    expect(a).not.toBe(b);
    expect(a).not.toContain('password');
    expect(a.startsWith('scrypt$1024$8$1$')).toBe(true);
    expect(await hasher.verify('password', a)).toBe(true);
    expect(await hasher.verify('Password', a)).toBe(false);
    expect(await hasher.verify('password', 'not-a-hash')).toBe(false);
  });

  it('says when a hash was made with weaker factors than the current ones', async () => {
    const weak = await hasher.hash('pw');
    const strong = new PasswordHasher(cryptoRandom, { N: 4096, r: 8, p: 1 });
    expect(strong.needsRehash(weak)).toBe(true);
    expect(hasher.needsRehash(weak)).toBe(false);
    expect(await strong.verify('pw', weak)).toBe(true);
  });
});
