// VmSpec → domain XML: bridges by traffic label, VLANs per network.bridge.type (per-VLAN Linux
// bridge vs OVS tag), kvm vs qemu from the host's capabilities, CPU shares and quota, disks on
// pools, escaping; and libvirt's test driver accepting the rendered XML as it is.
import type { VmNicSpec, VmSpec } from '@cloudstack-sdk/core';
import { afterAll, describe, expect, it } from 'vitest';
import {
  connectLibvirt,
  diskTargetDev,
  domainTypeFor,
  escapeXml,
  placeNic,
  renderDomainXml,
  renderNicXml,
  vlanBridgeName,
  vlanIdOf,
  type LibvirtProcedures,
} from '../src/index.js';
import { libvirtdReachable, TEST_DEFAULT_URI, uniqueName } from './support/libvirtd.js';

const reachable = await libvirtdReachable();

const nic = (overrides: Partial<VmNicSpec> = {}): VmNicSpec => ({
  deviceId: 0,
  macAddress: '02:00:4C:1F:00:01',
  ipAddress: '10.1.1.10',
  netmask: '255.255.255.0',
  gateway: '10.1.1.1',
  vlan: '100',
  trafficType: 'Guest',
  trafficLabel: 'cloudbr0',
  isDefault: true,
  ...overrides,
});

const spec = (overrides: Partial<VmSpec> = {}): VmSpec => ({
  name: 'i-2-10-VM',
  id: '6f0c2d1e-0000-4000-8000-000000000010',
  cpuNumber: 2,
  cpuSpeedMhz: 1000,
  memoryBytes: 512 * 1024 ** 2,
  limitCpuUse: false,
  guestOs: 'CentOS 6.3 (64-bit)',
  disks: [
    { volumeId: 'vol-root-10', type: 'ROOT', deviceId: 0, sizeBytes: 2 * 1024 ** 3, poolId: 'pool-a', poolUrl: 'nfs://10.0.0.5/export/primary' },
    { volumeId: 'vol-data-11', type: 'DATADISK', deviceId: 1, sizeBytes: 1024 ** 3, poolId: 'pool-a', poolUrl: 'nfs://10.0.0.5/export/primary' },
  ],
  nics: [nic()],
  ...overrides,
});

describe('VLAN ids and per-VLAN bridge names', () => {
  it('reads untagged, plain and vlan:// ids and refuses others', () => {
    expect(vlanIdOf('untagged')).toBeUndefined();
    expect(vlanIdOf('vlan://untagged')).toBeUndefined();
    expect(vlanIdOf('100')).toBe(100);
    expect(vlanIdOf('vlan://4094')).toBe(4094);
    expect(() => vlanIdOf('4095')).toThrow(RangeError);
    expect(() => vlanIdOf('vlan://abc')).toThrow(RangeError);
  });

  it("names per-VLAN bridges br<pif>-<vlan> as CloudStack's BridgeVifDriver does and refuses names over 15 characters", () => {
    expect(vlanBridgeName('eth0', 100)).toBe('breth0-100');
    expect(vlanBridgeName('cloudbr0', 4094)).toBe('brcloudbr0-4094');
    expect(() => vlanBridgeName('enp0s31f6', 1000)).toThrow(/longer than 15/);
  });

  it('places NICs: label bridge, default bridge per traffic type, physical interface, OVS tag', () => {
    expect(placeNic(nic({ vlan: 'untagged' }))).toEqual({ bridge: 'cloudbr0', openvswitch: false });
    expect(placeNic(nic(), { physicalInterfaces: { cloudbr0: 'eth0' } })).toEqual({ bridge: 'breth0-100', openvswitch: false });
    expect(placeNic(nic())).toEqual({ bridge: 'brcloudbr0-100', openvswitch: false });
    const { trafficLabel: _unused, ...unlabelled } = nic({ trafficType: 'Public', vlan: 'untagged' });
    expect(placeNic(unlabelled, { defaultBridges: { Public: 'cloudbr1' } })).toEqual({ bridge: 'cloudbr1', openvswitch: false });
    expect(placeNic(unlabelled)).toEqual({ bridge: 'cloudbr0', openvswitch: false });
    expect(placeNic(nic(), { bridgeType: 'openvswitch' })).toEqual({ bridge: 'cloudbr0', vlanTag: 100, openvswitch: true });
    expect(placeNic(nic({ vlan: 'untagged' }), { bridgeType: 'openvswitch' })).toEqual({ bridge: 'cloudbr0', openvswitch: true });
  });
});

describe('domain XML', () => {
  it('renders a tagged NIC on a native Linux bridge as a per-VLAN bridge with no <vlan> element', () => {
    const xml = renderNicXml(nic(), { bridgeType: 'native', physicalInterfaces: { cloudbr0: 'eth0' } });
    expect(xml).toBe("<interface type='bridge'><mac address='02:00:4c:1f:00:01'/><source bridge='breth0-100'/><model type='virtio'/></interface>");
    expect(xml).not.toContain('<vlan');
    expect(xml).not.toContain('virtualport');
  });

  it('renders a tagged NIC on Open vSwitch as a VLAN tag on the label bridge with an openvswitch virtualport', () => {
    expect(renderNicXml(nic(), { bridgeType: 'openvswitch' })).toBe(
      "<interface type='bridge'><mac address='02:00:4c:1f:00:01'/><source bridge='cloudbr0'/><vlan><tag id='100'/></vlan><virtualport type='openvswitch'/><model type='virtio'/></interface>",
    );
  });

  it('picks kvm only when the capabilities offer it', () => {
    expect(domainTypeFor("<guest><arch name='x86_64'><domain type='qemu'/><domain type='kvm'/></arch></guest>")).toBe('kvm');
    expect(domainTypeFor("<guest><arch name='x86_64'><domain type='qemu'/></arch></guest>")).toBe('qemu');
    expect(domainTypeFor("<guest><arch name='i686'><domain type='test'/></arch></guest>")).toBe('qemu');
    expect(renderDomainXml(spec(), { domainType: 'kvm' })).toMatch(/^<domain type='kvm'>/);
    expect(renderDomainXml(spec(), { domainType: 'qemu' })).toMatch(/^<domain type='qemu'>/);
  });

  it('renders name, vCPUs, memory in KiB, CPU shares, disks on pools by device id, NICs and a serial console', () => {
    const xml = renderDomainXml(spec(), { domainType: 'qemu' });
    expect(xml).toContain('<name>i-2-10-VM</name>');
    expect(xml).toContain('<vcpu>2</vcpu>');
    expect(xml).toContain("<memory unit='KiB'>524288</memory>");
    expect(xml).toContain("<currentMemory unit='KiB'>524288</currentMemory>");
    expect(xml).toContain('<cputune><shares>2000</shares></cputune>');
    expect(xml).toContain(
      "<disk type='volume' device='disk'><driver name='qemu' type='qcow2' cache='none'/><source pool='pool-a' volume='vol-root-10'/><target dev='vda' bus='virtio'/><serial>volroot10</serial></disk>",
    );
    expect(xml).toContain("<source pool='pool-a' volume='vol-data-11'/><target dev='vdb' bus='virtio'/>");
    expect(xml).toContain("<source bridge='brcloudbr0-100'/>");
    expect(xml).toContain("<serial type='pty'><target port='0'/></serial>");
    expect(xml).toContain('<description>cloudstack-sdk VM 6f0c2d1e-0000-4000-8000-000000000010 (CentOS 6.3 (64-bit))</description>');
  });

  it('caps each vCPU at its MHz share of the host when the offering limits CPU use', () => {
    expect(renderDomainXml(spec({ limitCpuUse: true }), { domainType: 'qemu', hostCpuMhz: 2000 })).toContain(
      '<cputune><shares>2000</shares><period>100000</period><quota>50000</quota></cputune>',
    );
    expect(renderDomainXml(spec({ limitCpuUse: true }), { domainType: 'qemu' })).toContain('<cputune><shares>2000</shares></cputune>');
    expect(renderDomainXml(spec({ limitCpuUse: false }), { domainType: 'qemu', hostCpuMhz: 2000 })).not.toContain('<quota>');
  });

  it('leaves user data, the SSH key and a password out of the domain XML (the virtual router serves them)', () => {
    const xml = renderDomainXml(spec({ userData: 'I2Nsb3VkLWNvbmZpZw==', sshPublicKey: 'ssh-ed25519 AAAAC3Nz user@host', password: 'p4ss' }), { domainType: 'qemu' });
    expect(xml).not.toContain('I2Nsb3VkLWNvbmZpZw==');
    expect(xml).not.toContain('ssh-ed25519');
    expect(xml).not.toContain('p4ss');
  });

  it('escapes every spec value that lands in the XML', () => {
    expect(escapeXml(`a&b<c>'d"`)).toBe('a&amp;b&lt;c&gt;&apos;d&quot;');
    const xml = renderDomainXml(
      spec({
        name: `vm<&>'"`,
        guestOs: 'Other <evil> & co',
        disks: [{ volumeId: `v'ol`, type: 'ROOT', deviceId: 0, sizeBytes: 1, poolId: `p"ool&`, poolUrl: 'nfs://x/y' }],
        nics: [nic({ trafficLabel: `br'0`, vlan: 'untagged' })],
      }),
      { domainType: 'qemu' },
    );
    expect(xml).toContain('<name>vm&lt;&amp;&gt;&apos;&quot;</name>');
    expect(xml).toContain('(Other &lt;evil&gt; &amp; co)');
    expect(xml).toContain("<source pool='p&quot;ool&amp;' volume='v&apos;ol'/>");
    expect(xml).toContain("<source bridge='br&apos;0'/>");
    expect(xml).not.toMatch(/<evil>/);
  });

  it('names disk targets vda… by device id', () => {
    expect([0, 1, 25, 26, 27].map((id) => diskTargetDev(id))).toEqual(['vda', 'vdb', 'vdz', 'vdaa', 'vdab']);
    expect(diskTargetDev(1, 'scsi')).toBe('sdb');
    expect(renderDomainXml(spec(), { domainType: 'qemu', diskBus: 'scsi' })).toContain("<target dev='sdb' bus='scsi'/>");
    expect(renderDomainXml(spec(), { domainType: 'qemu', diskBus: 'scsi' })).toContain("<controller type='scsi' index='0' model='virtio-scsi'/>");
    expect(() => diskTargetDev(-1)).toThrow(RangeError);
  });
});

describe.skipIf(!reachable)('rendered XML on libvirt (test driver)', () => {
  let lv: LibvirtProcedures;
  afterAll(async () => {
    await lv?.close();
  });

  it('defines and starts the rendered domain; bridge, MAC, VLAN and disks come back as rendered', async () => {
    lv = await connectLibvirt(TEST_DEFAULT_URI);
    const name = uniqueName('render');
    const dom = await lv.domainDefineXml(
      renderDomainXml(spec({ name, nics: [nic(), nic({ deviceId: 1, macAddress: '02:00:4c:1f:00:02', vlan: '200' })] }), { domainType: 'qemu', bridgeType: 'openvswitch' }),
    );
    try {
      await lv.domainCreate(dom);
      const xml = await lv.domainGetXmlDesc(dom);
      expect(xml).toMatch(/<domain type='qemu'/);
      expect(xml).toContain("<source pool='pool-a' volume='vol-root-10'/>");
      expect(xml).toContain("<mac address='02:00:4c:1f:00:02'/>");
      expect(xml).toContain("<tag id='200'/>");
      expect(xml).toContain("<virtualport type='openvswitch'>");
      expect(xml).toContain('<shares>2000</shares>');
    } finally {
      await lv.domainDestroy(dom).catch(() => undefined);
      await lv.domainUndefine(dom);
    }
  });
});
