// Primary-storage pools as libvirt pool XML, per protocol, from core's pool spec and from the pool
// URL a VM's disk carries; volume XML; disk formats; template cache names; and finding the disk a
// running domain has a volume open as. Pure: no libvirtd needed.
import { describe, expect, it } from 'vitest';
import {
  diskFormatFor,
  diskTargetOfVolume,
  diskTargetsOf,
  renderDiskBackupXml,
  parseVolumePath,
  poolDefinitionFromUrl,
  poolDefinitionOf,
  renderPoolXml,
  renderVolumeXml,
  templateVolumeName,
  volumePath,
} from '../src/index.js';

const ID = '0b6a4c1e-2f3d-4e5f-8a9b-1c2d3e4f5a6b';

describe('KVM pool definitions', () => {
  it('mounts NFS as a netfs pool under /mnt/<pool id>, named and identified by the pool id', () => {
    const definition = poolDefinitionOf({ poolId: ID, protocol: 'NFS', server: '10.1.1.5', path: '/export/primary/' });
    expect(definition).toEqual({ name: ID, type: 'netfs', sourceHost: '10.1.1.5', sourceDir: '/export/primary', targetPath: `/mnt/${ID}`, volumeFormat: 'qcow2' });
    expect(renderPoolXml(definition)).toBe(
      `<pool type='netfs'><name>${ID}</name><uuid>${ID}</uuid><source><host name='10.1.1.5'/><dir path='/export/primary'/><format type='nfs'/></source><target><path>/mnt/${ID}</path></target></pool>`,
    );
    expect(poolDefinitionOf({ poolId: ID, protocol: 'NFS', server: 'nfs1', path: 'export' }, { mountParent: '/var/lib/cloud/mnt/', diskFormat: 'raw' })).toMatchObject({
      sourceDir: '/export',
      targetPath: `/var/lib/cloud/mnt/${ID}`,
      volumeFormat: 'raw',
    });
  });

  it('takes SharedMountPoint as a dir pool on the mount path, CLVM as a logical pool on its volume group, RBD as an rbd pool', () => {
    expect(renderPoolXml(poolDefinitionOf({ poolId: 'smp', protocol: 'SharedMountPoint', path: '/mnt/gfs' }))).toBe(
      "<pool type='dir'><name>smp</name><target><path>/mnt/gfs</path></target></pool>",
    );
    const clvm = poolDefinitionOf({ poolId: ID, protocol: 'CLVM', path: '/vg_cloud' });
    expect(clvm).toMatchObject({ type: 'logical', sourceName: 'vg_cloud', targetPath: '/dev/vg_cloud', volumeFormat: 'raw' });
    expect(renderPoolXml(clvm)).toContain("<source><name>vg_cloud</name><format type='lvm2'/></source><target><path>/dev/vg_cloud</path></target>");
    const rbd = poolDefinitionOf({ poolId: ID, protocol: 'RBD', server: '10.1.1.9:6789', path: 'cloudstack' });
    expect(rbd).toMatchObject({ type: 'rbd', sourceHost: '10.1.1.9', sourcePort: 6789, sourceName: 'cloudstack', volumeFormat: 'raw' });
    expect(renderPoolXml(rbd)).toBe(`<pool type='rbd'><name>${ID}</name><uuid>${ID}</uuid><source><host name='10.1.1.9' port='6789'/><name>cloudstack</name></source></pool>`);
  });

  it('escapes values and refuses protocols KVM does not attach and incomplete fields (VIR_ERR_INVALID_ARG)', () => {
    expect(renderPoolXml(poolDefinitionOf({ poolId: 'p', protocol: 'SharedMountPoint', path: "/mnt/a'b&c" }))).toContain('<path>/mnt/a&apos;b&amp;c</path>');
    for (const [spec, message] of [
      [{ poolId: 'p', protocol: 'iSCSI', server: 's' }, /do not attach iSCSI/],
      [{ poolId: 'p', protocol: 'VMFS', server: 's', path: '/dc/ds' }, /do not attach VMFS/],
      [{ poolId: 'p', protocol: 'NFS', path: '/export' }, /needs a server/],
      [{ poolId: 'p', protocol: 'SharedMountPoint' }, /needs a path/],
      [{ poolId: 'p', protocol: 'CLVM', path: '/vg/lv' }, /volume group/],
      [{ poolId: 'p', protocol: 'RBD', server: 'mon', path: 'a/b' }, /RADOS pool/],
    ] as const) {
      expect(() => poolDefinitionOf(spec)).toThrow(expect.objectContaining({ codeName: 'VIR_ERR_INVALID_ARG', message: expect.stringMatching(message) }));
    }
  });

  it('reads the same definitions back from the pool URLs core stores', () => {
    expect(poolDefinitionFromUrl(ID, 'nfs://10.1.1.5/export/primary')).toEqual(poolDefinitionOf({ poolId: ID, protocol: 'NFS', server: '10.1.1.5', path: '/export/primary' }));
    expect(poolDefinitionFromUrl('p', 'sharedmountpoint://localhost/mnt/gfs')).toMatchObject({ type: 'dir', targetPath: '/mnt/gfs' });
    expect(poolDefinitionFromUrl('p', 'clvm://localhost//vg0')).toMatchObject({ type: 'logical', sourceName: 'vg0' });
    expect(poolDefinitionFromUrl('p', 'rbd://10.1.1.9:6789/cloudstack')).toMatchObject({ type: 'rbd', sourceHost: '10.1.1.9', sourcePort: 6789, sourceName: 'cloudstack' });
    expect(() => poolDefinitionFromUrl('p', 'iscsi://s/iqn/0')).toThrow(/cannot attach/);
  });
});

describe('KVM volumes', () => {
  it('renders thin qcow2 on file pools and full raw elsewhere, refusing a size that is not a positive integer', () => {
    expect(renderVolumeXml('v1', 1024, 'qcow2')).toBe("<volume><name>v1</name><capacity unit='bytes'>1024</capacity><allocation unit='bytes'>0</allocation><target><format type='qcow2'/></target></volume>");
    expect(renderVolumeXml('v1', 1024, 'raw')).toBe("<volume><name>v1</name><capacity unit='bytes'>1024</capacity><target><format type='raw'/></target></volume>");
    expect(() => renderVolumeXml('v1', 0, 'raw')).toThrow(/not a volume size/);
    expect(() => renderVolumeXml('v1', 1.5, 'raw')).toThrow(/not a volume size/);
  });

  it('formats disks by their pool: raw on CLVM and RBD, the configured format on file pools', () => {
    expect(diskFormatFor({ poolUrl: 'rbd://mon/pool' })).toBe('raw');
    expect(diskFormatFor({ poolUrl: 'clvm://localhost/vg' })).toBe('raw');
    expect(diskFormatFor({ poolUrl: 'nfs://s/export' })).toBe('qcow2');
    expect(diskFormatFor({ poolUrl: 'nfs://s/export' }, 'raw')).toBe('raw');
  });

  it('answers volumes as <pool>/<volume> and reads them back, refusing anything else', () => {
    expect(volumePath(ID, 'snapshot-9')).toBe(`${ID}/snapshot-9`);
    expect(parseVolumePath(`${ID}/snapshot-9`)).toEqual({ pool: ID, volume: 'snapshot-9' });
    for (const bad of ['nopool', '/a/b', 'a/b/c', 'a/']) expect(() => parseVolumePath(bad)).toThrow(expect.objectContaining({ codeName: 'VIR_ERR_INVALID_ARG' }));
  });

  it('names a cached template by the template id in its install path, else by a digest of the path', () => {
    expect(templateVolumeName(`template/tmpl/2/${ID}`)).toBe(`template-${ID}`);
    expect(templateVolumeName(`template/tmpl/2/${ID.toUpperCase()}/disk.qcow2`)).toBe(`template-${ID}`);
    expect(templateVolumeName(`template/tmpl/2/${ID}.qcow2`)).toBe(`template-${ID}`);
    const digest = templateVolumeName('template/tmpl/2/201');
    expect(digest).toMatch(/^template-[0-9a-f]{32}$/);
    expect(templateVolumeName('template/tmpl/2/201')).toBe(digest);
    expect(templateVolumeName('template/tmpl/2/202')).not.toBe(digest);
  });

  it('finds the target device of the disk a domain has a pool volume open as', () => {
    const xml = `<domain><devices>
      <disk type='volume' device='disk'><driver name='qemu' type='qcow2'/><source pool='p1' volume='root'/><target dev='vda' bus='virtio'/></disk>
      <disk type="volume" device="disk"><source volume="data&amp;1" pool="p1"/><target bus="scsi" dev="sdb"/></disk>
      <disk type='file' device='cdrom'><source file='/iso/x.iso'/><target dev='hdc'/></disk>
    </devices></domain>`;
    expect(diskTargetOfVolume(xml, 'p1', 'root')).toBe('vda');
    expect(diskTargetOfVolume(xml, 'p1', 'data&1')).toBe('sdb');
    expect(diskTargetOfVolume(xml, 'p2', 'root')).toBeUndefined();
    expect(diskTargetOfVolume(xml, 'p1', 'other')).toBeUndefined();
  });
});

describe('KVM live disk backups', () => {
  const domainXml = `<domain><devices>
    <disk type='volume' device='disk'><source pool='p1' volume='root'/><target dev='vda' bus='virtio'/></disk>
    <disk type="volume" device="disk"><source pool="p1" volume="data"/><target bus="virtio" dev="vdb"/></disk>
    <disk type='file' device='cdrom'><target dev='hdc' bus='ide'/></disk>
  </devices></domain>`;

  it('lists every disk target of a domain', () => {
    expect(diskTargetsOf(domainXml)).toEqual(['vda', 'vdb', 'hdc']);
  });

  it('backs up one disk into an existing file or block device and leaves every other disk out', () => {
    expect(renderDiskBackupXml(domainXml, 'vdb', { path: "/mnt/p1/snapshot-1&'", type: 'file', format: 'qcow2' })).toBe(
      "<domainbackup mode='push'><disks><disk name='vda' backup='no'/><disk name='vdb' backup='yes' type='file'><target file='/mnt/p1/snapshot-1&amp;&apos;'/><driver type='qcow2'/></disk><disk name='hdc' backup='no'/></disks></domainbackup>",
    );
    expect(renderDiskBackupXml(domainXml, 'vda', { path: '/dev/vg0/snapshot-1', type: 'block', format: 'raw' })).toContain(
      "<disk name='vda' backup='yes' type='block'><target dev='/dev/vg0/snapshot-1'/><driver type='raw'/></disk>",
    );
    expect(() => renderDiskBackupXml(domainXml, 'vdz', { path: '/x', type: 'file', format: 'qcow2' })).toThrow(expect.objectContaining({ codeName: 'VIR_ERR_INVALID_ARG' }));
  });
});
