// The KVM driver's host-connect part: core's conformance suite over the SSH path (an in-test
// ssh2 host running virt-ssh-helper against libvirt's test driver with fixture host files), and
// the exact facts it reports for a fixture host over TCP.
import { describeHypervisorDriver } from '@cloudstack-sdk/core/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { KvmHypervisorDriver, libvirtUriForHost } from '../src/index.js';
import { EMPTY_NODE_XML, FIXTURE_NODE_XML, LIBVIRTD_HOST, libvirtdReachable } from './support/libvirtd.js';
import { startFakeSshHost, type FakeSshHost } from './support/ssh-host.js';

const reachable = await libvirtdReachable();

describe.skipIf(!reachable)('KVM hypervisor driver', () => {
  describeHypervisorDriver('KVM over SSH to libvirt test-driver hosts', async () => {
    const ssh: FakeSshHost = await startFakeSshHost();
    const driver = new KvmHypervisorDriver({ hostKeyFingerprints: { '127.0.0.1': ssh.hostKeyFingerprint } });
    const base = `test+ssh://127.0.0.1:${ssh.port}`;
    return {
      driver,
      host: { url: `${base}${EMPTY_NODE_XML}`, username: ssh.username, password: ssh.password },
      busyHost: { url: `${base}${FIXTURE_NODE_XML}`, username: ssh.username, password: ssh.password, runningVm: 'i-2-10-VM' },
      unreachableUrl: 'qemu+tcp://127.0.0.1:1/system',
      wrongPassword: 'not-the-password',
      dispose: async () => {
        await driver.close();
        await ssh.close();
      },
    };
    // The VM, migration and disk parts run over TCP in kvm-vm.test.ts and real-vm-driver.test.ts.
  }, { notCovered: ['vm', 'migration', 'volumes'] });

  describe('host facts over TCP', () => {
    const driver = new KvmHypervisorDriver();
    const url = `test+tcp://${LIBVIRTD_HOST}${FIXTURE_NODE_XML}`;
    const request = { url, username: 'root', password: '', hypervisorType: 'KVM' as const, clusterName: 'c1' };
    afterAll(() => driver.close());

    it('reports the fixture host exactly: sockets, cores, speed, memory, version and VM states', async () => {
      const answer = await driver.connectHost(request);
      expect(answer).toMatchObject({
        name: expect.any(String),
        ipAddress: '127.0.0.1',
        cpuSockets: 2,
        cpuCores: 8,
        cpuSpeedMhz: 2400,
        memoryBytes: 16 * 1024 ** 3,
        hypervisorVersion: expect.stringMatching(/^\d+\.\d+\.\d+$/),
      });
      expect(answer.guid).toMatch(/^[0-9a-f-]{36}-LibvirtComputingResource$/);
      expect([...answer.vms].sort((a, b) => a.name.localeCompare(b.name))).toEqual([
        { name: 'i-2-10-VM', powerState: 'Running' },
        { name: 'i-2-11-VM', powerState: 'Stopped' },
      ]);
      expect(answer.capabilities).toContain('hvm');
    });

    it('turns an unreachable host into a CloudError 534 that keeps the libvirt code', async () => {
      const error = await driver.connectHost({ ...request, url: 'qemu+tcp://127.0.0.1:1/system' }).catch((e: unknown) => e);
      expect(error).toMatchObject({ name: 'CloudError', code: 534, details: { libvirtCode: 5, libvirtError: 'VIR_ERR_NO_CONNECT', origin: 'client' } });
    });

    it('releases a host idempotently and connects it again afterwards', async () => {
      const first = await driver.connectHost(request);
      await driver.releaseHost({ url, guid: first.guid });
      await driver.releaseHost({ url, guid: first.guid });
      expect((await driver.connectHost(request)).guid).toBe(first.guid);
    });
  });

  describe('host URLs', () => {
    it('keeps libvirt URIs and turns CloudStack http:// URLs and bare addresses into qemu+ssh', () => {
      expect(libvirtUriForHost('qemu+tcp://10.1.1.5/system', 'root')).toBe('qemu+tcp://10.1.1.5/system');
      expect(libvirtUriForHost('http://10.1.1.5', 'root')).toBe('qemu+ssh://root@10.1.1.5/system');
      expect(libvirtUriForHost('10.1.1.6', 'admin')).toBe('qemu+ssh://admin@10.1.1.6/system');
    });
  });
});

