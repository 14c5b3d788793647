// The example server's driver wiring for HYPERVISORS=KVM, without a libvirt host: the KVM driver
// is registered, primary storage of KVM clusters goes to the KVM storage driver (libvirt pools)
// while other pools stay on the simulator, and the KVM agent settings come from the environment,
// a bad value refused naming its variable. (The libvirt tier's e2e-example-server test deploys
// through this wiring onto a real libvirt test host.)
import type { PrimaryPoolSpec } from '@cloudstack-sdk/core';
import { KvmHypervisorDriver } from '@cloudstack-sdk/driver-kvm';
import { describe, expect, it } from 'vitest';
import { driversFor, kvmOptionsFrom } from '../src/drivers.js';

const pool = (hypervisorType: PrimaryPoolSpec['hypervisorType']): PrimaryPoolSpec => ({
  poolId: '3f0e2d1c-0000-4000-8000-000000000001',
  protocol: 'NFS',
  hypervisorType,
  server: '10.1.1.5',
  path: '/export/primary',
  // No such host is connected (KVM) or simulated (Simulator): each driver refuses in its own words.
  hostUrls: ['test+tcp://127.0.0.1/not-connected'],
});

describe('example server drivers for KVM', () => {
  it('registers the KVM driver and routes primary storage of KVM clusters to it, the rest to the simulator', async () => {
    const drivers = driversFor(['Simulator', 'KVM'], {});
    expect(drivers.kvm).toBeInstanceOf(KvmHypervisorDriver);
    expect(drivers.hypervisors.map((h) => h.hypervisorType).sort()).toEqual(['KVM', 'Simulator']);
    const [primary] = drivers.storage.primary;
    expect(drivers.storage.primary).toHaveLength(1);
    expect(primary?.name).toBe('kvm+simulator');
    expect([...(primary?.protocols ?? [])]).toEqual(expect.arrayContaining(['NFS', 'SharedMountPoint', 'CLVM', 'RBD', 'iSCSI', 'VMFS']));
    expect([...(primary?.volumeCapabilities ?? [])].sort()).toEqual(['copyVolume', 'createVolume', 'deleteSnapshot', 'deleteVolume', 'resizeVolume', 'snapshotVolume']);
    expect(drivers.storage.secondary).toBe(drivers.simulator.storage.secondary);

    const kvm = await primary?.createPool(pool('KVM')).catch((e: unknown) => e);
    expect(kvm).toMatchObject({ name: 'CloudError', code: 534, message: expect.stringMatching(/^Cannot attach NFS primary storage .*not connected/) });
    const simulated = await primary?.createPool(pool('Simulator')).catch((e: unknown) => e);
    expect(simulated).toMatchObject({ name: 'SimulatorStorageError', message: expect.stringMatching(/cannot reach nfs:\/\/10\.1\.1\.5\/export\/primary/) });
    const volume = await primary?.createVolume?.({ pool: pool('KVM'), volumeId: 'v1', sizeBytes: 1024 }).catch((e: unknown) => e);
    expect(volume).toMatchObject({ name: 'CloudError', code: 534 });
    await drivers.kvm?.close();
  });

  it('keeps the simulator storage alone when KVM is not registered', () => {
    const drivers = driversFor(['Simulator'], {});
    expect(drivers.kvm).toBeUndefined();
    expect(drivers.storage).toBe(drivers.simulator.storage);
  });

  it('reads network.bridge.type and the physical interfaces from the environment, native by default', () => {
    expect(kvmOptionsFrom({})).toEqual({ vm: { bridgeType: 'native', physicalInterfaces: {} } });
    expect(kvmOptionsFrom({ NETWORK_BRIDGE_TYPE: 'openvswitch', KVM_PHYSICAL_INTERFACES: 'cloudbr0=eth0, cloudbr1=bond0.200' })).toEqual({
      vm: { bridgeType: 'openvswitch', physicalInterfaces: { cloudbr0: 'eth0', cloudbr1: 'bond0.200' } },
    });
  });

  it('refuses a bad setting naming its variable, before any driver exists', () => {
    expect(() => kvmOptionsFrom({ NETWORK_BRIDGE_TYPE: 'linuxbridge' })).toThrow(expect.objectContaining({ code: 431, param: 'NETWORK_BRIDGE_TYPE' }));
    expect(() => kvmOptionsFrom({ KVM_PHYSICAL_INTERFACES: 'cloudbr0:eth0' })).toThrow(expect.objectContaining({ code: 431, param: 'KVM_PHYSICAL_INTERFACES' }));
    expect(() => driversFor(['KVM'], { NETWORK_BRIDGE_TYPE: 'ovs' })).toThrow(expect.objectContaining({ param: 'NETWORK_BRIDGE_TYPE' }));
  });
});
