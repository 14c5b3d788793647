import type { VmSpec } from '@cloudstack-sdk/core';

/** A small VM spec on an NFS pool. */
export function spec(name: string, memoryBytes = 512 * 1024 ** 2): VmSpec {
  return {
    name,
    id: `id-${name}`,
    cpuNumber: 1,
    cpuSpeedMhz: 500,
    memoryBytes,
    limitCpuUse: false,
    disks: [{ volumeId: `vol-${name}`, type: 'ROOT', deviceId: 0, sizeBytes: 1024 ** 3, poolId: 'pool-1', poolUrl: 'nfs://10.0.0.5/export/primary' }],
    nics: [{ deviceId: 0, macAddress: '02:00:00:00:00:01', ipAddress: '192.168.10.100', netmask: '255.255.255.0', gateway: '192.168.10.1', vlan: 'untagged', trafficType: 'Guest', trafficLabel: 'simbr0', isDefault: true }],
    userData: Buffer.from('hello').toString('base64'),
    sshPublicKey: 'ssh-rsa AAAA test@example',
  };
}
