// One test per libvirt error number the driver maps to a CloudError code, each provoked for real:
// by libvirtd (test driver or QEMU), by this client (unreachable port, silent or dropping daemon on
// 127.0.0.1), or by the SSH transport. The libvirt number always survives in `details`.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  connectLibvirt,
  LibvirtClient,
  MAPPED_LIBVIRT_CODES,
  RemoteProcedure,
  TcpTransport,
  toCloudError,
  VirErrorCode,
  type LibvirtProcedures,
  type StoragePoolRef,
} from '../src/index.js';
import { startFakeLibvirtd } from './support/fake-libvirtd.js';
import { libvirtdReachable, QEMU_URI, TEST_DEFAULT_URI, testDomainXml, uniqueName } from './support/libvirtd.js';
import { startFakeSshHost } from './support/ssh-host.js';

const reachable = await libvirtdReachable();
const tested = new Set<number>();

/** Runs `provoke`, expects it to fail with libvirt error `code`, and checks the CloudError it maps to. */
async function expectMapped(provoke: () => Promise<unknown>, code: number, cloudCode: number): Promise<void> {
  tested.add(code);
  const error = await provoke().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, `expected libvirt error ${code}`).toMatchObject({ name: 'LibvirtError', code });
  const cloud = toCloudError(error, 'context');
  expect(cloud).toMatchObject({ name: 'CloudError', code: cloudCode, details: { libvirtCode: code } });
  expect(cloud.message.startsWith('context: ')).toBe(true);
}

describe.skipIf(!reachable)('libvirt errors mapped to CloudError codes', () => {
  let lv: LibvirtProcedures;
  let qemu: LibvirtProcedures;
  let poolDir: string;
  let pool: StoragePoolRef | undefined;

  beforeAll(async () => {
    lv = await connectLibvirt(TEST_DEFAULT_URI);
    qemu = await connectLibvirt(QEMU_URI);
    poolDir = mkdtempSync(join(tmpdir(), 'cssdk-errors-'));
  });
  afterAll(async () => {
    if (pool !== undefined) {
      await qemu.storagePoolDestroy(pool).catch(() => undefined);
      await qemu.storagePoolUndefine(pool).catch(() => undefined);
    }
    await lv?.close();
    await qemu?.close();
    rmSync(poolDir, { recursive: true, force: true });
  });

  it('VIR_ERR_NO_DOMAIN (42) → 534: the host no longer has the VM', async () => {
    await expectMapped(() => lv.domainLookupByName(uniqueName('missing')), VirErrorCode.VIR_ERR_NO_DOMAIN, 534);
  });

  it('VIR_ERR_OPERATION_INVALID (55) → 534: destroying a VM that is not running', async () => {
    const dom = await lv.domainDefineXml(testDomainXml(uniqueName('stopped')));
    await expectMapped(() => lv.domainDestroy(dom), VirErrorCode.VIR_ERR_OPERATION_INVALID, 534);
    await lv.domainUndefine(dom);
  });

  it('VIR_ERR_NO_SUPPORT (3) → 432: the test driver has no device hot-plug', async () => {
    const dom = await lv.domainLookupByName('test');
    await expectMapped(
      () => lv.domainAttachDevice(dom, "<disk type='file' device='disk'><source file='/tmp/none.img'/><target dev='vdb'/></disk>"),
      VirErrorCode.VIR_ERR_NO_SUPPORT,
      432,
    );
  });

  it('VIR_ERR_NO_STORAGE_POOL (49) → 534', async () => {
    await expectMapped(() => lv.storagePoolLookupByName(uniqueName('nopool')), VirErrorCode.VIR_ERR_NO_STORAGE_POOL, 534);
  });

  it('VIR_ERR_NO_STORAGE_VOL (50) → 534', async () => {
    const defaultPool = await lv.storagePoolLookupByName('default-pool');
    await expectMapped(() => lv.storageVolLookupByName(defaultPool, uniqueName('novol')), VirErrorCode.VIR_ERR_NO_STORAGE_VOL, 534);
  });

  it('VIR_ERR_INVALID_ARG (8) → 431: flags the driver does not know', async () => {
    const dom = await lv.domainLookupByName('test');
    await expectMapped(() => lv.domainDestroy(dom, 0x4000), VirErrorCode.VIR_ERR_INVALID_ARG, 431);
  });

  it('VIR_ERR_OPERATION_FAILED (9) → 530: a name taken by a domain with another UUID', async () => {
    const name = uniqueName('taken');
    const dom = await lv.domainDefineXml(testDomainXml(name));
    const clash = testDomainXml(name).replace('<name>', '<uuid>11111111-2222-3333-4444-555555555555</uuid><name>');
    await expectMapped(() => lv.domainDefineXml(clash), VirErrorCode.VIR_ERR_OPERATION_FAILED, 530);
    await lv.domainUndefine(dom);
  });

  it('VIR_ERR_XML_ERROR (27) → 431: a domain without an OS type', async () => {
    await expectMapped(() => lv.domainDefineXml(`<domain type='test'><name>${uniqueName('noos')}</name></domain>`), VirErrorCode.VIR_ERR_XML_ERROR, 431);
  });

  it('VIR_ERR_XML_DETAIL (35) → 431: XML that does not parse', async () => {
    await expectMapped(() => lv.domainDefineXml('<domain'), VirErrorCode.VIR_ERR_XML_DETAIL, 431);
  });

  it('VIR_ERR_SYSTEM_ERROR (38) → 534: a dir pool whose directory does not exist (QEMU host)', async () => {
    const broken = await qemu.storagePoolDefineXml(
      `<pool type='dir'><name>${uniqueName('cssdk-nodir')}</name><target><path>${join(poolDir, 'does-not-exist')}</path></target></pool>`,
    );
    try {
      await expectMapped(() => qemu.storagePoolCreate(broken), VirErrorCode.VIR_ERR_SYSTEM_ERROR, 534);
    } finally {
      await qemu.storagePoolUndefine(broken);
    }
  });

  it('VIR_ERR_CONFIG_UNSUPPORTED (67) → 431: a guest architecture the host cannot emulate (QEMU host)', async () => {
    const xml = `<domain type='qemu'><name>${uniqueName('cssdk-sparc')}</name><memory>65536</memory><os><type arch='sparc64'>hvm</type></os></domain>`;
    await expectMapped(() => qemu.domainDefineXml(xml), VirErrorCode.VIR_ERR_CONFIG_UNSUPPORTED, 431);
  });

  it('VIR_ERR_STORAGE_VOL_EXIST (90) → 536: a volume name already used in the pool (QEMU host)', async () => {
    pool = await qemu.storagePoolDefineXml(`<pool type='dir'><name>${uniqueName('cssdk-dup')}</name><target><path>${poolDir}</path></target></pool>`);
    await qemu.storagePoolCreate(pool);
    const xml = `<volume><name>dup.raw</name><capacity>1048576</capacity><target><format type='raw'/></target></volume>`;
    const vol = await qemu.storageVolCreateXml(pool, xml);
    await expectMapped(() => qemu.storageVolCreateXml(pool as StoragePoolRef, xml), VirErrorCode.VIR_ERR_STORAGE_VOL_EXIST, 536);
    await qemu.storageVolDelete(vol);
  });

  it('VIR_ERR_NO_CONNECT (5) → 534: nothing listens on the port', async () => {
    await expectMapped(() => connectLibvirt('test+tcp://127.0.0.1:1/default', { connectTimeoutMs: 2_000 }), VirErrorCode.VIR_ERR_NO_CONNECT, 534);
  });

  it('VIR_ERR_RPC (39) → 534: the connection drops during a call', async () => {
    const server = await startFakeLibvirtd(() => (socket) => socket.destroy());
    const client = new LibvirtClient({ transport: new TcpTransport({ host: '127.0.0.1', port: server.port }), remoteUri: 'test:///default' });
    try {
      await expectMapped(() => client.call(RemoteProcedure.CONNECT_GET_HOSTNAME), VirErrorCode.VIR_ERR_RPC, 534);
    } finally {
      await client.close();
      await server.close();
    }
  });

  it('VIR_ERR_OPERATION_TIMEOUT (68) → 534: no reply within the call timeout', async () => {
    const server = await startFakeLibvirtd(() => 'silent');
    const client = new LibvirtClient({ transport: new TcpTransport({ host: '127.0.0.1', port: server.port }), remoteUri: 'test:///default', callTimeoutMs: 100 });
    try {
      await expectMapped(() => client.call(RemoteProcedure.CONNECT_GET_HOSTNAME), VirErrorCode.VIR_ERR_OPERATION_TIMEOUT, 534);
    } finally {
      await client.close();
      await server.close();
    }
  });

  it('VIR_ERR_AUTH_FAILED (45) → 531: the SSH host refuses the password', async () => {
    const host = await startFakeSshHost();
    try {
      await expectMapped(
        () => connectLibvirt(`test+ssh://root@127.0.0.1:${host.port}/default`, { password: 'wrong', hostKeyFingerprint: host.hostKeyFingerprint }),
        VirErrorCode.VIR_ERR_AUTH_FAILED,
        531,
      );
    } finally {
      await host.close();
    }
  });

  it('an unmapped number (VIR_ERR_INTERNAL_ERROR, 1) → 530, still with its libvirt number', async () => {
    const dom = await lv.domainLookupByName('test');
    const error = await lv.domainCreate(dom).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: VirErrorCode.VIR_ERR_INTERNAL_ERROR });
    expect(toCloudError(error)).toMatchObject({ code: 530, details: { libvirtCode: 1, libvirtError: 'VIR_ERR_INTERNAL_ERROR' } });
  });

  it('has provoked every mapped libvirt number above', () => {
    expect([...tested].sort((a, b) => a - b)).toEqual([...MAPPED_LIBVIRT_CODES].sort((a, b) => a - b));
  });
});
