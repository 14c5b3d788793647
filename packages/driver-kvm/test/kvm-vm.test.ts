// The KVM driver's VM calls against libvirt's test driver through libvirtd (TCP): core's
// conformance suite with its VM cases (start idempotently, states, reboot, clean and forced stop,
// destroy), then what the suite does not pin down: the XML the host got, the ROOT volume cloned
// from the template the fixture host has cached on its primary pool,
// resume of a paused domain, redefinition from a new spec, migration refused by the test driver,
// and calls for a host that was never connected.
import type { VmSpec } from '@cloudstack-sdk/core';
import { describeHypervisorDriver } from '@cloudstack-sdk/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DomainState, KVM_DRIVER_CAPABILITIES, KvmHypervisorDriver, templateVolumeName, type LibvirtProcedures } from '../src/index.js';
import { FIXTURE_NODE_XML, LIBVIRTD_HOST, libvirtdReachable, PRIMARY_NODE_XML, uniqueName } from './support/libvirtd.js';

const reachable = await libvirtdReachable();
const PRIMARY_HOST_URI = `test+tcp://${LIBVIRTD_HOST}${PRIMARY_NODE_XML}`;

/** The template's install path on secondary storage, as core hands it over in the ROOT disk; the fixture host has it cached. */
const TEMPLATE_PATH = 'template/tmpl/2/6f1c3e2a-1d2b-4c5d-8e9f-0a1b2c3d4e5f';

/** A small VM on the fixture host: one disk on a pool, one guest NIC on VLAN 100. */
function testVmSpec(name: string, overrides: Partial<VmSpec> = {}): VmSpec {
  return {
    name,
    id: `id-${name}`,
    cpuNumber: 1,
    cpuSpeedMhz: 500,
    memoryBytes: 128 * 1024 ** 2,
    limitCpuUse: false,
    disks: [{ volumeId: `${name}-root`, type: 'ROOT', deviceId: 0, sizeBytes: 1024 ** 3, poolId: 'primary', poolUrl: 'nfs://10.0.0.5/export/primary', templatePath: TEMPLATE_PATH }],
    nics: [
      {
        deviceId: 0,
        macAddress: '02:00:12:34:56:78',
        ipAddress: '10.1.1.20',
        netmask: '255.255.255.0',
        gateway: '10.1.1.1',
        vlan: 'vlan://100',
        trafficType: 'Guest',
        trafficLabel: 'cloudbr0',
        isDefault: true,
      },
    ],
    ...overrides,
  };
}

describe.skipIf(!reachable)('KVM driver VM calls on the libvirt test driver', () => {
  describeHypervisorDriver('KVM over TCP to a libvirt test-driver host, with VMs', async () => {
    const driver = new KvmHypervisorDriver({ vm: { physicalInterfaces: { cloudbr0: 'eth0' } } });
    return {
      driver,
      host: { url: PRIMARY_HOST_URI, username: 'root', password: '' },
      busyHost: { url: `test+tcp://${LIBVIRTD_HOST}${FIXTURE_NODE_XML}`, username: 'root', password: '', runningVm: 'i-2-10-VM' },
      unreachableUrl: 'qemu+tcp://127.0.0.1:1/system',
      vmSpec: (name) => testVmSpec(name),
      dispose: () => driver.close(),
    };
    // TCP with auth_tcp=none has no password to refuse (kvm-driver.test.ts covers it over SSH);
    // the test driver cannot migrate or hot-plug (the real-QEMU tier covers disk hot-plug).
  }, { notCovered: ['credentials', 'migration', 'volumes'] });

  describe('beyond the conformance suite', () => {
    const driver = new KvmHypervisorDriver({ vm: { physicalInterfaces: { cloudbr0: 'eth0' }, cleanStopTimeoutMs: 2_000 } });
    const host = { url: PRIMARY_HOST_URI };
    let lv: LibvirtProcedures;

    beforeAll(async () => {
      const answer = await driver.connectHost({ url: PRIMARY_HOST_URI, username: 'root', password: '', hypervisorType: 'KVM', clusterName: 'c1' });
      expect(answer.vms).toEqual([]);
      lv = await driver.libvirtFor(host);
    });
    afterAll(() => driver.close());

    it('declares every VM and volume capability it implements', () => {
      expect([...driver.capabilities].sort()).toEqual([...KVM_DRIVER_CAPABILITIES].sort());
      for (const method of [driver.startVm, driver.stopVm, driver.rebootVm, driver.destroyVm, driver.listVmStates, driver.migrateVm, driver.attachVolume, driver.detachVolume, driver.resizeVolume]) {
        expect(typeof method).toBe('function');
      }
    });

    it('defines a persistent qemu domain (the test host offers no kvm) on the per-VLAN Linux bridge, with no VLAN tag', async () => {
      const name = uniqueName('i-2-vm');
      expect(await driver.startVm({ host, spec: testVmSpec(name) })).toEqual({ name, powerState: 'Running' });
      const dom = await lv.domainLookupByName(name);
      const xml = await lv.domainGetXmlDesc(dom);
      expect(xml).toMatch(/^<domain type='qemu'/);
      expect(xml).toContain("<source bridge='breth0-100'/>");
      expect(xml).not.toContain('<vlan');
      expect(xml).toContain("<memory unit='KiB'>131072</memory>");
      expect(xml).toContain(`<source pool='primary' volume='${name}-root'/>`);
      // The ROOT volume was made on the host's primary pool from the template cached there, at the
      // disk's size (larger than the template's).
      const primary = await lv.storagePoolLookupByName('primary');
      expect(await lv.storagePoolGetXmlDesc(primary)).toMatch(/<pool type='netfs'>[\s\S]*<host name='10\.0\.0\.5'\/>[\s\S]*<dir path='\/export\/primary'\/>/);
      const names = (await lv.storagePoolListAllVolumes(primary)).map((v) => v.name);
      expect(names).toEqual(expect.arrayContaining([templateVolumeName(TEMPLATE_PATH), `${name}-root`]));
      expect(templateVolumeName(TEMPLATE_PATH)).toBe('template-6f1c3e2a-1d2b-4c5d-8e9f-0a1b2c3d4e5f');
      expect((await lv.storageVolGetInfo(await lv.storageVolLookupByName(primary, `${name}-root`))).capacity).toBe(1024 ** 3);
      await driver.stopVm({ host, vmName: name, mode: 'forced' });
      // Still defined while stopped, as CloudStack's stopped VMs are on KVM here.
      expect((await driver.listVmStates(host)).find((vm) => vm.name === name)).toEqual({ name, powerState: 'Stopped' });
      await driver.destroyVm({ host, vmName: name });
      expect((await lv.connectListAllDomains()).map((d) => d.name)).not.toContain(name);
    });

    it('redefines a stopped domain from the new spec when started again, and resumes a paused one', async () => {
      const name = uniqueName('i-2-vm');
      await driver.startVm({ host, spec: testVmSpec(name) });
      await driver.stopVm({ host, vmName: name, mode: 'clean' });
      await driver.startVm({ host, spec: testVmSpec(name, { cpuNumber: 2, memoryBytes: 256 * 1024 ** 2 }) });
      const dom = await lv.domainLookupByName(name);
      expect(await lv.domainGetInfo(dom)).toMatchObject({ state: DomainState.RUNNING, vcpus: 2, maxMemKiB: 262_144 });
      await lv.domainSuspend(dom);
      expect((await driver.listVmStates(host)).find((vm) => vm.name === name)?.powerState).toBe('Paused');
      expect(await driver.startVm({ host, spec: testVmSpec(name) })).toEqual({ name, powerState: 'Running' });
      expect((await lv.domainGetState(dom)).state).toBe(DomainState.RUNNING);
      await driver.destroyVm({ host, vmName: name });
    });

    it('destroys a transient (created, never defined) domain', async () => {
      const name = uniqueName('transient');
      await lv.domainCreateXml(`<domain type='test'><name>${name}</name><memory>65536</memory><vcpu>1</vcpu><os><type>hvm</type></os></domain>`);
      await driver.destroyVm({ host, vmName: name });
      expect((await driver.listVmStates(host)).map((vm) => vm.name)).not.toContain(name);
    });

    it('maps refusals to CloudErrors: reboot of an unknown VM 534, migration on the test driver 432', async () => {
      const reboot = await driver.rebootVm({ host, vmName: 'no-such-vm' }).catch((e: unknown) => e);
      expect(reboot).toMatchObject({ name: 'CloudError', code: 534, details: { libvirtError: 'VIR_ERR_NO_DOMAIN' } });
      const name = uniqueName('i-2-vm');
      await driver.startVm({ host, spec: testVmSpec(name) });
      const migrate = await driver.migrateVm({ host, vmName: name, target: { url: 'test+tcp://127.0.0.2/default' } }).catch((e: unknown) => e);
      expect(migrate).toMatchObject({ name: 'CloudError', code: 432, details: { libvirtError: 'VIR_ERR_NO_SUPPORT', origin: 'daemon' } });
      expect((migrate as Error).message).toMatch(/^Cannot migrate VM /);
      // The refusal left the VM running on the source.
      expect((await driver.listVmStates(host)).find((vm) => vm.name === name)?.powerState).toBe('Running');
      await driver.destroyVm({ host, vmName: name });
    });

    it('refuses hot-plug on the test driver with 432 (the real-QEMU tier covers attach/detach)', async () => {
      const name = uniqueName('i-2-vm');
      await driver.startVm({ host, spec: testVmSpec(name) });
      const disk = { volumeId: 'data-1', type: 'DATADISK' as const, deviceId: 1, sizeBytes: 1024 ** 2, poolId: 'primary', poolUrl: 'nfs://x/y' };
      expect(await driver.attachVolume({ host, vmName: name, disk }).catch((e: unknown) => e)).toMatchObject({ name: 'CloudError', code: 432 });
      // Detaching a disk the VM does not have is a no-op, as the contract's idempotence asks.
      await expect(driver.detachVolume({ host, vmName: name, disk })).resolves.toBeUndefined();
      await driver.destroyVm({ host, vmName: name });
    });

    it('refuses VM calls for a host that was never connected with 534', async () => {
      const error = await driver.listVmStates({ url: 'test+tcp://127.0.0.1/never-connected' }).catch((e: unknown) => e);
      expect(error).toMatchObject({ name: 'CloudError', code: 534, details: { libvirtError: 'VIR_ERR_NO_CONNECT', origin: 'client' } });
      expect(await driver.stopVm({ host: { url: 'x' }, vmName: 'v', mode: 'forced' }).catch((e: unknown) => e)).toMatchObject({ code: 534 });
    });
  });
});
