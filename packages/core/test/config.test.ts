import { describe, expect, it } from 'vitest';
import { CONFIG_PARAMETERS, CloudError, ConfigReader, Role, SYSTEM, parseConfigValue, type CallContext } from '../src/index.js';
import { createTestCloud } from './support/test-cloud.js';

const user: CallContext = { userId: 'u', accountId: 'a', domainId: SYSTEM.domainId, role: Role.User };

async function refusal(promise: Promise<unknown>): Promise<CloudError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(CloudError);
  return error as CloudError;
}

describe('configuration catalogue', () => {
  it('has every parameter the install guide names, with the guide defaults', () => {
    const byName = new Map(CONFIG_PARAMETERS.map((d) => [d.name, d]));
    const expected: Record<string, string | undefined> = {
      'management.network.cidr': undefined,
      'xen.setup.multipath': 'false',
      'secstorage.allowed.internal.sites': undefined,
      'use.local.storage': 'false',
      host: undefined,
      'default.page.size': '500',
      'ha.tag': undefined,
      'guest.vlan.bits': '12',
      'system.vm.local.storage.required': 'false',
      'swift.enable': 'false',
      'enable.ec2.api': 'false',
      'enable.s3.api': 'false',
      'integration.api.port': undefined,
      'external.network.stats.interval': '300',
      'direct.network.stats.interval': '86400',
      'firewall.rule.ui.enabled': 'false',
      'endpoint.url': 'http://localhost:8080/client/api',
      'max.account.vpcs': '20',
      'vpc.max.networks': '3',
      'remote.access.vpn.client.ip.range': '10.1.2.1-10.1.2.8',
      'remote.access.vpn.psk.length': '24',
      'remote.access.vpn.user.limit': '8',
      'cpu.overprovisioning.factor': '1',
      'mem.overprovisioning.factor': '1',
    };
    for (const [name, value] of Object.entries(expected)) {
      expect(byName.has(name), name).toBe(true);
      expect(byName.get(name)?.default, name).toBe(value);
    }
  });

  it('has unique names, a global scope on every entry, and defaults valid for their own types', () => {
    expect(new Set(CONFIG_PARAMETERS.map((d) => d.name)).size).toBe(CONFIG_PARAMETERS.length);
    for (const d of CONFIG_PARAMETERS) {
      expect(d.scopes, d.name).toContain('global');
      if (d.default !== undefined) expect(parseConfigValue(d, d.default).ok, `${d.name}=${d.default}`).toBe(true);
    }
  });
});

describe('configuration values', () => {
  it('parses by type and refuses values outside the type, bounds or allowed list', () => {
    const def = (name: string) => CONFIG_PARAMETERS.find((d) => d.name === name)!;
    expect(parseConfigValue(def('default.page.size'), '200')).toEqual({ ok: true, value: 200 });
    expect(parseConfigValue(def('swift.enable'), 'TRUE')).toEqual({ ok: true, value: true });
    expect(parseConfigValue(def('secstorage.allowed.internal.sites'), '10.0.0.0/8, 192.168.1.0/24')).toEqual({
      ok: true,
      value: ['10.0.0.0/8', '192.168.1.0/24'],
    });
    expect(parseConfigValue(def('management.network.cidr'), '192.168.10.0/33').ok).toBe(false);
    expect(parseConfigValue(def('remote.access.vpn.client.ip.range'), '10.1.2.9-10.1.2.1').ok).toBe(false);
    expect(parseConfigValue(def('remote.access.vpn.psk.length'), '4').ok).toBe(false);
    expect(parseConfigValue(def('integration.api.port'), '70000').ok).toBe(false);
    expect(parseConfigValue(def('vm.allocation.algorithm'), 'bestfit').ok).toBe(false);
    expect(parseConfigValue(def('endpoint.url'), 'ftp://x/').ok).toBe(false);
  });

  it('resolves the narrowest scope that sets a value, then global, then the default', async () => {
    const cloud = await createTestCloud();
    const reader = cloud.container.resolve(ConfigReader);
    expect(await reader.resolve('cpu.overprovisioning.factor', { clusterId: 'c-1', zoneId: 'z-1' })).toMatchObject({ value: 1, source: 'default' });
    await cloud.system.config.update({ name: 'cpu.overprovisioning.factor', value: '2' });
    await cloud.system.config.update({ name: 'cpu.overprovisioning.factor', value: '4', scope: 'cluster', scopeId: 'c-1' });
    expect(await reader.resolve('cpu.overprovisioning.factor', { clusterId: 'c-1' })).toMatchObject({ value: 4, source: 'cluster' });
    expect(await reader.resolve('cpu.overprovisioning.factor', { clusterId: 'c-2' })).toMatchObject({ value: 2, source: 'global' });
    expect(await reader.resolve('cpu.overprovisioning.factor')).toMatchObject({ value: 2, source: 'global' });
    await cloud.system.config.update({ name: 'max.account.vpcs', value: 5, scope: 'account', scopeId: 'acct-1' });
    expect(await reader.number('max.account.vpcs', { accountId: 'acct-1' })).toBe(5);
    expect(await reader.number('max.account.vpcs', { accountId: 'acct-2' })).toBe(20);
  });

  it('records each update as an event and lists the effective value with its source', async () => {
    const cloud = await createTestCloud();
    const entry = await cloud.system.config.update({ name: 'expunge.delay', value: 120 });
    expect(entry).toMatchObject({ name: 'expunge.delay', value: '120', source: 'global' });
    const [event] = (await cloud.system.events.list()).items;
    expect(event).toMatchObject({ type: 'CONFIGURATION.VALUE.EDIT', resourceId: 'expunge.delay', userId: SYSTEM.userId });
    expect(event?.description).toContain('120');
    const listed = await cloud.system.config.list({ keyword: 'expunge' });
    expect(listed.map((e) => e.name)).toContain('expunge.delay');
  });

  it('clears a parameter without a default with an empty value', async () => {
    const cloud = await createTestCloud();
    await cloud.system.config.update({ name: 'ha.tag', value: 'ha-hosts' });
    await cloud.system.config.update({ name: 'ha.tag', value: '' });
    const [entry] = await cloud.system.config.list({ name: 'ha.tag' });
    expect(entry).toMatchObject({ value: undefined, source: 'default' });
  });

  describe('refuses bad updates, naming the parameter and leaving nothing behind', () => {
    const cases: [string, Record<string, unknown>, number, string][] = [
      ['an unknown parameter', { name: 'no.such.thing', value: '1' }, 431, 'name'],
      ['a value of the wrong type', { name: 'default.page.size', value: 'many' }, 431, 'value'],
      ['a value out of bounds', { name: 'remote.access.vpn.psk.length', value: 4 }, 431, 'value'],
      ['a scope the parameter does not allow', { name: 'default.page.size', value: 10, scope: 'zone', scopeId: 'z' }, 431, 'scope'],
      ['a narrower scope without its id', { name: 'use.local.storage', value: true, scope: 'zone' }, 431, 'scopeid'],
      ['a global value with a scope id', { name: 'ha.tag', value: 'x', scopeId: 'z' }, 431, 'scopeid'],
      ['a missing value', { name: 'ha.tag' }, 431, 'value'],
    ];
    it.each(cases)('%s', async (_label, input, code, param) => {
      const cloud = await createTestCloud();
      const before = await cloud.store.transaction(async (tx) => [await tx.repo('configValues').count(), await tx.repo('events').count()]);
      const error = await refusal(cloud.system.config.update(input as never));
      expect(error.code).toBe(code);
      expect(error.param).toBe(param);
      const after = await cloud.store.transaction(async (tx) => [await tx.repo('configValues').count(), await tx.repo('events').count()]);
      expect(after).toEqual(before);
    });

    it('a caller who is not root admin (531)', async () => {
      const cloud = await createTestCloud();
      expect((await refusal(cloud.as(user).config.update({ name: 'ha.tag', value: 'x' }))).code).toBe(531);
      expect((await refusal(cloud.as(user).config.list())).code).toBe(531);
      expect(await cloud.store.transaction((tx) => tx.repo('configValues').count())).toBe(0);
    });
  });
});
