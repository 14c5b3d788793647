import { describe, expect, it } from 'vitest';
import { MemoryStore, md5Hex } from '../../src/index.js';
import { testKeyring } from '../support/test-cloud.js';
import { tenantCloud } from './tenants.js';

describe('secrets at rest', () => {
  it('no password, MD5 of a password, API secret key or private SSH key is readable in the store', async () => {
    // Always the memory store: its raw content is what this test reads.
    const store = new MemoryStore();
    const t = await tenantCloud({ store, secrets: testKeyring() });
    const c = t.cloud;
    const plain: string[] = ['password', ...Object.keys(t.as).map((name) => `${name}-pw-1`)];
    const created = await c.system.users.create({ accountId: t.accounts.bob.account.id, username: 'bob-2', password: 'Sup3r-Secret!', firstName: 'B', lastName: 'Two' });
    plain.push('Sup3r-Secret!');
    await c.as(t.as.bob).users.update({ id: t.accounts.bob.user.id, password: 'changed-Pa55' });
    plain.push('changed-Pa55');
    const secrets: string[] = [];
    for (const id of [t.accounts.alice.user.id, t.accounts.admin1.user.id, created.id]) {
      secrets.push((await c.system.users.registerKeys({ id })).secretKey);
    }
    const privateKeys: string[] = [];
    for (const ctx of [t.as.alice, t.as.bob]) privateKeys.push((await c.as(ctx).sshKeyPairs.create({ name: 'generated' })).privateKey);
    // Each login or key lookup must leave nothing behind either.
    await c.system.authentication.authenticate({ domainPath: 'Comp2', username: 'bob-2', password: 'Sup3r-Secret!' });
    await c.system.authentication.authenticate({ domainPath: 'Comp2', username: 'bob-2', password: md5Hex('Sup3r-Secret!') });
    await c.system.authentication.authenticate({ domainPath: 'Comp2', username: 'bob-2', password: 'wrong-guess' }).catch(() => undefined);

    const raw = store.rawContent();
    expect(raw).toContain('scrypt$');
    expect(raw).toContain('sealed:v1:');
    for (const password of plain) {
      expect(raw).not.toContain(password === 'password' ? '"password"' : password);
      expect(raw).not.toContain(md5Hex(password));
    }
    expect(raw).not.toContain('wrong-guess');
    for (const secret of secrets) expect(raw).not.toContain(secret);
    for (const key of privateKeys) {
      expect(raw).not.toContain(key);
      const body = key.split('\n').slice(1, -2).join('');
      expect(raw).not.toContain(body.slice(0, 64));
      expect(raw).not.toContain('PRIVATE KEY');
    }
  });
});
