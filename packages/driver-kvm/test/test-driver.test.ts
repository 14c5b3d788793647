// The typed procedures against libvirt's test driver through the real libvirtd
// (test+tcp://127.0.0.1/default and a fixture host file). The test driver keeps its state only
// while a connection to it is open, so each describe holds one connection for its tests.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  connectLibvirt,
  DomainEventType,
  DomainState,
  formatLibvirtVersion,
  isLibvirtError,
  ListAllDomainsFlags,
  StoragePoolState,
  VirErrorCode,
  type DomainLifecycleEvent,
  type LibvirtProcedures,
} from '../src/index.js';
import { libvirtdReachable, TEST_DEFAULT_URI, TEST_FIXTURE_URI, testDomainXml, uniqueName } from './support/libvirtd.js';

const reachable = await libvirtdReachable();

async function waitFor(predicate: () => boolean, timeoutMs = 5_000): Promise<void> {
  const started = Date.now();
  while (!predicate()) {
    if (Date.now() - started > timeoutMs) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe.skipIf(!reachable)('test driver, default host (test+tcp://127.0.0.1/default)', () => {
  let lv: LibvirtProcedures;
  beforeAll(async () => {
    lv = await connectLibvirt(TEST_DEFAULT_URI);
  });
  afterAll(async () => {
    await lv?.close();
  });

  it('reports the host name, driver type and versions', async () => {
    expect(await lv.connectGetHostname()).not.toBe('');
    expect(await lv.connectGetType()).toBe('TEST');
    expect(formatLibvirtVersion(await lv.connectGetLibVersion())).toMatch(/^\d+\.\d+\.\d+$/);
    expect(await lv.connectGetLibVersion()).toBeGreaterThanOrEqual(8_000_000);
    expect(await lv.connectGetVersion()).toBeGreaterThan(0);
  });

  it('reports node info, free memory and capabilities', async () => {
    const info = await lv.nodeGetInfo();
    expect(info).toMatchObject({ cpus: 16, mhz: 1400, nodes: 2, sockets: 2, cores: 2, threads: 2 });
    expect(info.model).toBe('i686');
    expect(info.memoryKiB).toBeGreaterThan(0);
    expect(await lv.nodeGetFreeMemory()).toBeGreaterThan(0);
    const caps = await lv.connectGetCapabilities();
    expect(caps).toContain('<capabilities>');
    expect(caps).toContain('<guest>');
  });

  it('runs a domain through define, start, suspend, resume, reboot, shutdown, destroy and undefine', async () => {
    const name = uniqueName('life');
    const defined = await lv.domainDefineXml(testDomainXml(name, 131_072));
    expect(defined).toMatchObject({ name, id: -1 });
    expect(await lv.domainLookupByName(name)).toEqual(defined);
    expect(await lv.domainLookupByUuid(defined.uuid)).toEqual(defined);
    expect((await lv.domainGetState(defined)).state).toBe(DomainState.SHUTOFF);

    const started = await lv.domainCreate(defined);
    expect(started.id).toBeGreaterThan(0);
    expect(await lv.domainGetState(started)).toMatchObject({ state: DomainState.RUNNING });
    const info = await lv.domainGetInfo(started);
    expect(info).toMatchObject({ state: DomainState.RUNNING, maxMemKiB: 131_072, vcpus: 1 });
    expect(typeof info.cpuTimeNs).toBe('bigint');
    expect(await lv.domainGetXmlDesc(started)).toContain(`<name>${name}</name>`);

    await lv.domainSuspend(started);
    expect((await lv.domainGetState(started)).state).toBe(DomainState.PAUSED);
    await lv.domainResume(started);
    expect((await lv.domainGetState(started)).state).toBe(DomainState.RUNNING);
    await lv.domainReboot(started);
    expect((await lv.domainGetState(started)).state).toBe(DomainState.RUNNING);
    await lv.domainShutdown(started);
    expect((await lv.domainGetState(started)).state).toBe(DomainState.SHUTOFF);

    const again = await lv.domainCreate(defined);
    await lv.domainDestroy(again);
    expect((await lv.domainGetState(again)).state).toBe(DomainState.SHUTOFF);
    await lv.domainUndefine(again);
    await expect(lv.domainLookupByName(name)).rejects.toMatchObject({ code: VirErrorCode.VIR_ERR_NO_DOMAIN });
  });

  it('creates a transient domain that disappears when destroyed', async () => {
    const name = uniqueName('transient');
    const dom = await lv.domainCreateXml(testDomainXml(name));
    expect((await lv.domainGetState(dom)).state).toBe(DomainState.RUNNING);
    await lv.domainDestroy(dom);
    await expect(lv.domainLookupByName(name)).rejects.toSatisfy((e) => isLibvirtError(e, VirErrorCode.VIR_ERR_NO_DOMAIN));
  });

  it('answers many concurrent calls, each matched to its own reply by serial', async () => {
    const names = Array.from({ length: 40 }, (_, i) => uniqueName(`par${i}`));
    const defined = await Promise.all(names.map((name) => lv.domainDefineXml(testDomainXml(name))));
    const looked = await Promise.all([...names].reverse().map((name) => lv.domainLookupByName(name)));
    expect(looked.map((d) => d.name)).toEqual([...names].reverse());
    await Promise.all(defined.map((dom) => lv.domainUndefine(dom)));
  });

  it('delivers lifecycle events as typed events, for all domains or for one', async () => {
    const all: DomainLifecycleEvent[] = [];
    const one: DomainLifecycleEvent[] = [];
    const name = uniqueName('events');
    const other = uniqueName('other');
    const subscription = await lv.onDomainLifecycle((event) => all.push(event));
    const dom = await lv.domainDefineXml(testDomainXml(name));
    const single = await lv.onDomainLifecycle((event) => one.push(event), dom);
    const otherDom = await lv.domainDefineXml(testDomainXml(other));
    await lv.domainCreate(dom);
    await lv.domainDestroy(dom);
    await lv.domainUndefine(dom);
    await lv.domainUndefine(otherDom);
    await waitFor(() => all.filter((e) => e.domain.name === other).length >= 2 && one.length >= 3);
    const mine = all.filter((e) => e.domain.name === name).map((e) => e.eventName);
    expect(mine).toEqual(['defined', 'started', 'stopped', 'undefined']);
    expect(one.map((e) => e.event)).toEqual([DomainEventType.STARTED, DomainEventType.STOPPED, DomainEventType.UNDEFINED]);
    expect(one.every((e) => e.domain.uuid === dom.uuid)).toBe(true);
    await subscription.unsubscribe();
    await single.unsubscribe();
    const after = all.length;
    const late = await lv.domainDefineXml(testDomainXml(uniqueName('late')));
    await lv.domainUndefine(late);
    await lv.connectGetHostname();
    expect(all.length).toBe(after);
  });

  it('keeps test-driver state while a connection holds it, for a second connection too', async () => {
    const name = uniqueName('shared');
    const dom = await lv.domainDefineXml(testDomainXml(name));
    const second = await connectLibvirt(TEST_DEFAULT_URI);
    try {
      expect((await second.domainLookupByName(name)).uuid).toBe(dom.uuid);
    } finally {
      await second.close();
    }
    await lv.domainUndefine(dom);
  });

  it('sends peer-to-peer migration, which the test driver decodes and refuses as unsupported', async () => {
    const dom = await lv.domainLookupByName('test');
    await expect(lv.domainMigrate(dom, 'test+tcp://127.0.0.1/default', { migrateUri: 'tcp://127.0.0.1', bandwidthMiBs: 100 })).rejects.toMatchObject({
      code: VirErrorCode.VIR_ERR_NO_SUPPORT,
      message: expect.stringContaining('virDomainMigratePerform3Params'),
    });
  });
});

describe.skipIf(!reachable)('test driver, fixture host file (test+tcp://127.0.0.1/<fixtures/node.xml>)', () => {
  let lv: LibvirtProcedures;
  beforeAll(async () => {
    lv = await connectLibvirt(TEST_FIXTURE_URI);
  });
  afterAll(async () => {
    await lv?.close();
  });

  it('reports the fixture host: 2 sockets x 4 cores at 2400 MHz and 16 GiB', async () => {
    expect(await lv.nodeGetInfo()).toEqual({
      model: 'x86_64',
      memoryKiB: 16 * 1024 * 1024,
      cpus: 8,
      mhz: 2400,
      nodes: 1,
      sockets: 2,
      cores: 4,
      threads: 1,
    });
  });

  it('lists every domain with its state in one call, and filters running ones', async () => {
    const withState = await lv.connectListDomainsWithState();
    const byName = new Map(withState.map((d) => [d.domain.name, d.state]));
    expect(byName.get('i-2-10-VM')).toBe(DomainState.RUNNING);
    expect(byName.get('i-2-11-VM')).toBe(DomainState.SHUTOFF);
    const all = await lv.connectListAllDomains();
    expect(all.map((d) => d.name).sort()).toEqual(['i-2-10-VM', 'i-2-11-VM']);
    const active = await lv.connectListAllDomains(ListAllDomainsFlags.ACTIVE);
    expect(active.map((d) => d.name)).toEqual(['i-2-10-VM']);
    expect(active[0]?.id).toBeGreaterThan(0);
  });

  it('looks up, refreshes and lists the fixture pool and its template', async () => {
    const pools = await lv.connectListAllStoragePools();
    expect(pools.map((p) => p.name)).toContain('primary');
    const pool = await lv.storagePoolLookupByName('primary');
    expect(pool.uuid).toBe('35c4d9c6-6a4c-4c1b-9c3d-3b0f8d4c9a01');
    await lv.storagePoolRefresh(pool);
    const info = await lv.storagePoolGetInfo(pool);
    expect(info.state).toBe(StoragePoolState.RUNNING);
    expect(info.capacity).toBe(100 * 1024 ** 3);
    expect(await lv.storagePoolGetXmlDesc(pool)).toContain('<name>primary</name>');
    const volumes = await lv.storagePoolListAllVolumes(pool);
    expect(volumes.map((v) => v.name)).toEqual(['template-centos.qcow2']);
  });

  it('clones a root volume from the template, inspects it and deletes it', async () => {
    const pool = await lv.storagePoolLookupByName('primary');
    const template = await lv.storageVolLookupByName(pool, 'template-centos.qcow2');
    expect(await lv.storageVolGetInfo(template)).toMatchObject({ capacity: 2 * 1024 ** 3 });
    const name = `${uniqueName('root')}.qcow2`;
    const clone = await lv.storageVolCreateXmlFrom(pool, `<volume><name>${name}</name><capacity>2147483648</capacity></volume>`, template);
    expect(clone).toMatchObject({ pool: 'primary', name });
    expect((await lv.storageVolGetInfo(clone)).capacity).toBe(2 * 1024 ** 3);
    expect(await lv.storageVolGetPath(clone)).toBe(`/var/lib/cssdk/primary/${name}`);
    await lv.storageVolDelete(clone);
    await expect(lv.storageVolLookupByName(pool, name)).rejects.toMatchObject({ code: VirErrorCode.VIR_ERR_NO_STORAGE_VOL });
  });

  it('creates a data volume from XML and finds it by name', async () => {
    const pool = await lv.storagePoolLookupByName('primary');
    const name = `${uniqueName('data')}.qcow2`;
    const vol = await lv.storageVolCreateXml(pool, `<volume><name>${name}</name><capacity unit='G'>5</capacity><target><format type='qcow2'/></target></volume>`);
    expect(await lv.storageVolLookupByName(pool, name)).toEqual(vol);
    expect((await lv.storageVolGetInfo(vol)).capacity).toBe(5 * 1024 ** 3);
    await lv.storageVolDelete(vol);
  });

  it('defines, starts, stops and undefines NFS and shared-mount-point pools', async () => {
    const netfs = uniqueName('nfs');
    const pool = await lv.storagePoolDefineXml(
      `<pool type='netfs'><name>${netfs}</name><source><host name='10.0.0.9'/><dir path='/export/primary'/><format type='nfs'/></source><target><path>/mnt/${netfs}</path></target></pool>`,
    );
    expect((await lv.storagePoolGetInfo(pool)).state).toBe(StoragePoolState.INACTIVE);
    await lv.storagePoolBuild(pool);
    await lv.storagePoolCreate(pool);
    expect((await lv.storagePoolGetInfo(pool)).state).toBe(StoragePoolState.RUNNING);
    expect((await lv.connectListAllStoragePools()).map((p) => p.name)).toContain(netfs);
    await lv.storagePoolDestroy(pool);
    await lv.storagePoolUndefine(pool);
    await expect(lv.storagePoolLookupByName(netfs)).rejects.toMatchObject({ code: VirErrorCode.VIR_ERR_NO_STORAGE_POOL });
  });
});
