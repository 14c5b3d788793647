// The SSH path: an in-test ssh2 server (host key generated per run) runs the real
// virt-ssh-helper, which relays to the local libvirtd, exactly as `qemu+ssh://` does.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectLibvirt, SshTransport, toCloudError, VirErrorCode, type LibvirtProcedures } from '../src/index.js';
import { libvirtdReachable, testDomainXml, uniqueName } from './support/libvirtd.js';
import { startFakeSshHost, type FakeSshHost } from './support/ssh-host.js';

const reachable = await libvirtdReachable();

describe.skipIf(!reachable)('SSH transport (ssh2 exec of virt-ssh-helper)', () => {
  let host: FakeSshHost;
  beforeAll(async () => {
    host = await startFakeSshHost();
  });
  afterAll(async () => {
    await host?.close();
  });

  const uri = (path = '/default', driver = 'test'): string => `${driver}+ssh://root@127.0.0.1:${host.port}${path}`;

  it('logs in with a password, checks the host key and drives the test driver through the helper', async () => {
    const lv = await connectLibvirt(uri(), { password: host.password, hostKeyFingerprint: host.hostKeyFingerprint });
    try {
      expect(host.commands.at(-1)).toBe("virt-ssh-helper 'test:///default'");
      expect(await lv.connectGetType()).toBe('TEST');
      const name = uniqueName('ssh');
      const dom = await lv.domainCreate(await lv.domainDefineXml(testDomainXml(name)));
      expect(dom.id).toBeGreaterThan(0);
      expect((await lv.connectListAllDomains()).map((d) => d.name)).toContain(name);
      await lv.domainDestroy(dom);
      await lv.domainUndefine(dom);
    } finally {
      await lv.close();
    }
  });

  it('logs in with a private key', async () => {
    const lv: LibvirtProcedures = await connectLibvirt(uri(), { privateKey: host.clientPrivateKey, hostKeyFingerprint: host.hostKeyFingerprint });
    try {
      expect((await lv.nodeGetInfo()).cpus).toBe(16);
    } finally {
      await lv.close();
    }
  });

  it('reaches real QEMU over SSH (qemu+ssh://.../system)', async () => {
    const lv = await connectLibvirt(uri('/system', 'qemu'), { password: host.password, hostKeyFingerprint: host.hostKeyFingerprint });
    try {
      expect(host.commands.at(-1)).toBe("virt-ssh-helper 'qemu:///system'");
      expect(await lv.connectGetType()).toBe('QEMU');
      expect(await lv.connectGetVersion()).toBeGreaterThan(0);
    } finally {
      await lv.close();
    }
  });

  it('refuses a host whose key does not match the expected fingerprint (VIR_ERR_AUTH_FAILED → 531)', async () => {
    const error = await connectLibvirt(uri(), { password: host.password, hostKeyFingerprint: 'SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: VirErrorCode.VIR_ERR_AUTH_FAILED, origin: 'client', message: expect.stringContaining('does not match') });
    expect(toCloudError(error).code).toBe(531);
  });

  it('refuses a wrong password (VIR_ERR_AUTH_FAILED)', async () => {
    const error = await connectLibvirt(uri(), { password: 'wrong', hostKeyFingerprint: host.hostKeyFingerprint }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: VirErrorCode.VIR_ERR_AUTH_FAILED, message: expect.stringContaining('authentication refused') });
  });

  it('passes on the daemon\'s refusal of a URI it has no driver for', async () => {
    const error = await connectLibvirt(uri('/nowhere', 'bogus'), { password: host.password }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: VirErrorCode.VIR_ERR_NO_CONNECT, origin: 'daemon', message: expect.stringContaining('bogus:///nowhere') });
  });

  it('needs a password or a key', () => {
    expect(() => new SshTransport({ host: '127.0.0.1', username: 'root', remoteUri: 'test:///default' })).toThrow(/password or a private key/);
  });
});
