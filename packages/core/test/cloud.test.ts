import { describe, expect, it } from 'vitest';
import { CloudError, ManualClock, MemoryStore, Role, SYSTEM, createCloud, type CallContext } from '../src/index.js';

const user: CallContext = { userId: 'u-1', accountId: 'a-1', domainId: SYSTEM.domainId, role: Role.User };

describe('createCloud', () => {
  it('wires a container and binds services to a caller', async () => {
    const cloud = await createCloud({ clock: new ManualClock() });
    const entry = await cloud.system.config.update({ name: 'default.page.size', value: 200 });
    expect(entry).toMatchObject({ name: 'default.page.size', value: '200', source: 'global' });
    const events = await cloud.system.events.list();
    expect(events.items.map((e) => e.type)).toEqual(['CONFIGURATION.VALUE.EDIT']);
    await cloud.close();
  });

  it('keeps each cloud separate: two clouds in one process share nothing', async () => {
    const a = await createCloud();
    const b = await createCloud();
    await a.system.config.update({ name: 'ha.tag', value: 'ha' });
    const [fromB] = await b.system.config.list({ name: 'ha.tag' });
    expect(fromB?.value).toBeUndefined();
    expect(a.container).not.toBe(b.container);
  });

  it('writes initial configuration only where the store has no value yet', async () => {
    const store = new MemoryStore();
    const first = await createCloud({ store, config: { 'expunge.delay': 120 } });
    await first.system.config.update({ name: 'expunge.delay', value: 300 });
    const second = await createCloud({ store, config: { 'expunge.delay': 120 } });
    const [entry] = await second.system.config.list({ name: 'expunge.delay' });
    expect(entry?.value).toBe('300');
  });

  it('refuses a bad initial value, naming the parameter', async () => {
    const error = await createCloud({ config: { 'default.page.size': 'lots' } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CloudError);
    expect((error as CloudError).param).toBe('default.page.size');
  });

  it('needs the secret keys for a store other than the memory store', async () => {
    const foreign = new (class extends MemoryStore {})();
    await expect(createCloud({ store: Object.create(foreign) as MemoryStore })).resolves.toBeDefined();
    const notMemory = {
      init: async () => undefined,
      close: async () => undefined,
      transaction: async () => undefined as never,
    };
    const error = await createCloud({ store: notMemory }).catch((e: unknown) => e);
    expect((error as CloudError).param).toBe('secrets');
  });

  it('checks authorisation in core for bound services (a user may not change configuration)', async () => {
    const cloud = await createCloud();
    const error = await cloud.as(user).config.update({ name: 'ha.tag', value: 'x' }).catch((e: unknown) => e);
    expect((error as CloudError).code).toBe(531);
  });
});
