// Security groups on KVM: the iptables/ebtables commands rendered for a VM's rule set (what
// CloudStack 4.1's security_group.py programs), and the driver's applySecurityGroupRules against
// libvirt test-driver hosts, where the rendered commands are kept for inspection; the SSH runner
// against an in-test ssh2 host.
import { isCloudError, type SecurityGroupRuleSet, type SecurityGroupTrafficRule } from '@cloudstack-sdk/core';
import { afterAll, describe, expect, it } from 'vitest';
import { domainInterfaces, KvmHypervisorDriver, renderSecurityGroupRules, runSshScript, securityGroupChains, VirErrorCode } from '../src/index.js';
import { FIXTURE_NODE_XML, LIBVIRTD_HOST, libvirtdReachable, QEMU_URI, TEST_DEFAULT_URI } from './support/libvirtd.js';
import { startFakeSshHost } from './support/ssh-host.js';

const DNS_DHCP: SecurityGroupTrafficRule[] = [
  { protocol: 'udp', startPort: 53, endPort: 53, cidrs: ['0.0.0.0/0'] },
  { protocol: 'tcp', startPort: 53, endPort: 53, cidrs: ['0.0.0.0/0'] },
  { protocol: 'udp', startPort: 67, endPort: 67, cidrs: ['0.0.0.0/0'] },
];

function ruleSet(overrides: { seq?: number; ingress?: SecurityGroupTrafficRule[]; egress?: SecurityGroupTrafficRule[]; egressPolicy?: 'allow' | 'deny' } = {}): SecurityGroupRuleSet {
  return {
    vmId: 'vm-10',
    seq: overrides.seq ?? 1,
    groupIds: ['sg-1'],
    ingress: { policy: 'deny', rules: overrides.ingress ?? [] },
    egress: { policy: overrides.egressPolicy ?? 'allow', rules: overrides.egress ?? [], alwaysAllowed: DNS_DHCP },
    allowReplies: true,
  };
}

const base = { vmName: 'i-2-10-VM', vmIp: '10.1.1.20', macAddress: '02:00:12:34:56:78', vif: 'vnet3', bridge: 'cloudbr0' };

describe('security group rules renderer', () => {
  it('names the chains after the VM like security_group.py', () => {
    expect(securityGroupChains('i-2-10-VM')).toEqual({ ingress: 'i-2-10-VM', egress: 'i-2-10-VM-eg', defaults: 'i-2-10-def', ebIn: 'i-2-10-VM-in', ebOut: 'i-2-10-VM-out' });
  });

  it('hooks the VM into the bridge firewall and drops all inbound traffic when no rule lets any in', () => {
    const commands = renderSecurityGroupRules({ ...base, rules: ruleSet() });
    expect(commands.slice(0, 11)).toEqual([
      'iptables -N i-2-10-VM 2>/dev/null || iptables -F i-2-10-VM',
      'iptables -N i-2-10-VM-eg 2>/dev/null || iptables -F i-2-10-VM-eg',
      'iptables -N i-2-10-def 2>/dev/null || iptables -F i-2-10-def',
      'iptables -C BF-cloudbr0-OUT -m physdev --physdev-is-bridged --physdev-out vnet3 -j i-2-10-def 2>/dev/null || iptables -A BF-cloudbr0-OUT -m physdev --physdev-is-bridged --physdev-out vnet3 -j i-2-10-def',
      'iptables -C BF-cloudbr0-IN -m physdev --physdev-is-bridged --physdev-in vnet3 -j i-2-10-def 2>/dev/null || iptables -A BF-cloudbr0-IN -m physdev --physdev-is-bridged --physdev-in vnet3 -j i-2-10-def',
      'iptables -A i-2-10-def -m state --state RELATED,ESTABLISHED -j ACCEPT',
      'iptables -A i-2-10-def -m physdev --physdev-is-bridged --physdev-in vnet3 -p udp --dport 67 --sport 68 -j ACCEPT',
      'iptables -A i-2-10-def -m physdev --physdev-is-bridged --physdev-out vnet3 -p udp --dport 68 --sport 67 -j ACCEPT',
      'iptables -A i-2-10-def -m physdev --physdev-is-bridged --physdev-in vnet3 --source 10.1.1.20 -j i-2-10-VM-eg',
      'iptables -A i-2-10-def -m physdev --physdev-is-bridged --physdev-in vnet3 -j DROP',
      'iptables -A i-2-10-def -j i-2-10-VM',
    ]);
    const ingress = commands.filter((c) => c.startsWith('iptables -A i-2-10-VM '));
    expect(ingress).toEqual(['iptables -A i-2-10-VM -j DROP']);
  });

  it('lets in TCP/UDP port ranges per CIDR, with 0.0.0.0/0 as no source match, before the final DROP', () => {
    const commands = renderSecurityGroupRules({
      ...base,
      rules: ruleSet({
        ingress: [
          { protocol: 'tcp', startPort: 22, endPort: 22, cidrs: ['192.168.0.0/16', '10.0.0.0/8'] },
          { protocol: 'udp', startPort: 1000, endPort: 2000, cidrs: ['0.0.0.0/0'] },
          { protocol: 'all', cidrs: ['10.1.1.21/32'] },
        ],
      }),
    });
    expect(commands.filter((c) => c.startsWith('iptables -A i-2-10-VM '))).toEqual([
      'iptables -A i-2-10-VM -p tcp -m tcp --dport 22 -m state --state NEW -s 10.0.0.0/8 -j ACCEPT',
      'iptables -A i-2-10-VM -p tcp -m tcp --dport 22 -m state --state NEW -s 192.168.0.0/16 -j ACCEPT',
      'iptables -A i-2-10-VM -p udp -m udp --dport 1000:2000 -m state --state NEW -j ACCEPT',
      'iptables -A i-2-10-VM -m state --state NEW -s 10.1.1.21/32 -j ACCEPT',
      'iptables -A i-2-10-VM -j DROP',
    ]);
  });

  it('lets in ICMP by type and code, by type alone, or any', () => {
    const commands = renderSecurityGroupRules({
      ...base,
      rules: ruleSet({
        ingress: [
          { protocol: 'icmp', icmpType: 8, icmpCode: 0, cidrs: ['10.0.0.0/8'] },
          { protocol: 'icmp', icmpType: 3, icmpCode: -1, cidrs: ['0.0.0.0/0'] },
          { protocol: 'icmp', icmpType: -1, icmpCode: -1, cidrs: ['172.16.0.0/12'] },
        ],
      }),
    });
    expect(commands.filter((c) => c.startsWith('iptables -A i-2-10-VM '))).toEqual([
      'iptables -A i-2-10-VM -p icmp --icmp-type 8/0 -s 10.0.0.0/8 -j ACCEPT',
      'iptables -A i-2-10-VM -p icmp --icmp-type 3 -j ACCEPT',
      'iptables -A i-2-10-VM -p icmp --icmp-type any -s 172.16.0.0/12 -j ACCEPT',
      'iptables -A i-2-10-VM -j DROP',
    ]);
  });

  it('lets everything out under egress policy allow', () => {
    const commands = renderSecurityGroupRules({ ...base, rules: ruleSet({ egressPolicy: 'allow' }) });
    expect(commands.filter((c) => c.startsWith('iptables -A i-2-10-VM-eg '))).toEqual(['iptables -A i-2-10-VM-eg -j ACCEPT']);
  });

  it('under egress policy deny lets out replies, DNS, DHCP and the listed rules only', () => {
    const commands = renderSecurityGroupRules({
      ...base,
      rules: ruleSet({ egressPolicy: 'deny', egress: [{ protocol: 'tcp', startPort: 80, endPort: 443, cidrs: ['203.0.113.0/24'] }] }),
    });
    expect(commands.filter((c) => c.startsWith('iptables -A i-2-10-VM-eg '))).toEqual([
      'iptables -A i-2-10-VM-eg -m state --state RELATED,ESTABLISHED -j ACCEPT',
      'iptables -A i-2-10-VM-eg -p udp -m udp --dport 53 -m state --state NEW -j ACCEPT',
      'iptables -A i-2-10-VM-eg -p tcp -m tcp --dport 53 -m state --state NEW -j ACCEPT',
      'iptables -A i-2-10-VM-eg -p udp -m udp --dport 67 -m state --state NEW -j ACCEPT',
      'iptables -A i-2-10-VM-eg -p tcp -m tcp --dport 80:443 -m state --state NEW -d 203.0.113.0/24 -j ACCEPT',
      'iptables -A i-2-10-VM-eg -j DROP',
    ]);
  });

  it('drops frames and ARP not from the VM MAC and address (ebtables anti-spoofing)', () => {
    const commands = renderSecurityGroupRules({ ...base, macAddress: '02:00:12:34:56:AB', rules: ruleSet() });
    expect(commands.filter((c) => c.startsWith('ebtables'))).toEqual([
      'ebtables -t nat -N i-2-10-VM-in 2>/dev/null || ebtables -t nat -F i-2-10-VM-in',
      'ebtables -t nat -N i-2-10-VM-out 2>/dev/null || ebtables -t nat -F i-2-10-VM-out',
      'ebtables -t nat -D PREROUTING -i vnet3 -j i-2-10-VM-in 2>/dev/null || true',
      'ebtables -t nat -A PREROUTING -i vnet3 -j i-2-10-VM-in',
      'ebtables -t nat -D POSTROUTING -o vnet3 -j i-2-10-VM-out 2>/dev/null || true',
      'ebtables -t nat -A POSTROUTING -o vnet3 -j i-2-10-VM-out',
      'ebtables -t nat -A i-2-10-VM-in -s ! 02:00:12:34:56:ab -j DROP',
      'ebtables -t nat -A i-2-10-VM-in -p ARP -s ! 02:00:12:34:56:ab -j DROP',
      'ebtables -t nat -A i-2-10-VM-in -p ARP --arp-mac-src ! 02:00:12:34:56:ab -j DROP',
      'ebtables -t nat -A i-2-10-VM-in -p ARP --arp-ip-src ! 10.1.1.20 -j DROP',
      'ebtables -t nat -A i-2-10-VM-in -p ARP --arp-op Request -j ACCEPT',
      'ebtables -t nat -A i-2-10-VM-in -p ARP --arp-op Reply -j ACCEPT',
      'ebtables -t nat -A i-2-10-VM-in -p ARP -j DROP',
      'ebtables -t nat -A i-2-10-VM-out -p ARP --arp-op Reply --arp-mac-dst ! 02:00:12:34:56:ab -j DROP',
      'ebtables -t nat -A i-2-10-VM-out -p ARP --arp-ip-dst ! 10.1.1.20 -j DROP',
      'ebtables -t nat -A i-2-10-VM-out -p ARP --arp-op Request -j ACCEPT',
      'ebtables -t nat -A i-2-10-VM-out -p ARP --arp-op Reply -j ACCEPT',
      'ebtables -t nat -A i-2-10-VM-out -p ARP -j DROP',
    ]);
  });

  it('is deterministic: CIDR order and duplicates do not change the output', () => {
    const a = renderSecurityGroupRules({ ...base, rules: ruleSet({ ingress: [{ protocol: 'tcp', startPort: 22, endPort: 22, cidrs: ['10.0.0.0/8', '192.168.0.0/16'] }] }) });
    const b = renderSecurityGroupRules({ ...base, rules: ruleSet({ ingress: [{ protocol: 'tcp', startPort: 22, endPort: 22, cidrs: ['192.168.0.0/16', '10.0.0.0/8', '10.0.0.0/8'] }] }) });
    expect(b).toEqual(a);
  });

  it.each([
    ['rules.ingress.rules[0].cidrs[0]', { ingress: [{ protocol: 'tcp' as const, startPort: 22, endPort: 22, cidrs: ['10.0.0.0/8; rm -rf /'] }] }, {}],
    ['rules.ingress.rules[0].endPort', { ingress: [{ protocol: 'tcp' as const, startPort: 30, endPort: 20, cidrs: ['0.0.0.0/0'] }] }, {}],
    ['rules.ingress.rules[0].icmpType', { ingress: [{ protocol: 'icmp' as const, icmpType: 300, icmpCode: 0, cidrs: ['0.0.0.0/0'] }] }, {}],
    ['rules.egress.rules[0].startPort', { egressPolicy: 'deny' as const, egress: [{ protocol: 'udp' as const, startPort: 70000, endPort: 70000, cidrs: ['0.0.0.0/0'] }] }, {}],
    ['macAddress', {}, { macAddress: 'not-a-mac' }],
    ['vmIp', {}, { vmIp: '10.1.1.300' }],
    ['vmName', {}, { vmName: 'i-2-10-VM; reboot' }],
  ])('refuses a bad %s with CloudError 431 naming it', (param, rules, input) => {
    let caught: unknown;
    try {
      renderSecurityGroupRules({ ...base, ...input, rules: ruleSet(rules) });
    } catch (error) {
      caught = error;
    }
    expect(isCloudError(caught, 431)).toBe(true);
    expect((caught as { param?: string }).param).toBe(param);
  });

  it('finds NICs, their tap devices and bridges in a domain XML', () => {
    const xml = `<domain><devices>
      <interface type='bridge'><mac address='02:00:12:34:56:78'/><source bridge='cloudbr0'/><target dev='vnet0'/></interface>
      <interface type='network'><mac address='AA:BB:CC:DD:EE:FF'/><source network='default'/><target dev='vnet1'/></interface>
    </devices></domain>`;
    expect(domainInterfaces(xml)).toEqual([
      { mac: '02:00:12:34:56:78', targetDev: 'vnet0', bridge: 'cloudbr0' },
      { mac: 'aa:bb:cc:dd:ee:ff', targetDev: 'vnet1', bridge: 'default' },
    ]);
  });
});

const reachable = await libvirtdReachable();

describe.skipIf(!reachable)('KVM driver applySecurityGroupRules on libvirt test-driver hosts', () => {
  const driver = new KvmHypervisorDriver();
  const host = { url: TEST_DEFAULT_URI };
  const fixtureHost = { url: `test+tcp://${LIBVIRTD_HOST}${FIXTURE_NODE_XML}` };
  afterAll(() => driver.close());

  it('declares securitygroup.apply, keeps the rendered commands for the running VM, and ignores an older set', async () => {
    expect(driver.capabilities.has('securitygroup.apply')).toBe(true);
    await driver.connectHost({ url: host.url, username: 'root', password: '', hypervisorType: 'KVM', clusterName: 'c1' });
    // The default test host's running domain `test` has one NIC: aa:bb:cc:dd:ee:ff on tap testnet0, network `default`.
    const ingress: SecurityGroupTrafficRule[] = [{ protocol: 'tcp', startPort: 22, endPort: 22, cidrs: ['0.0.0.0/0'] }];
    await driver.applySecurityGroupRules({ host, vmName: 'test', vmIp: '10.1.1.30', macAddress: 'AA:BB:CC:DD:EE:FF', rules: ruleSet({ seq: 5, ingress }) });
    const applied = driver.securityGroupRulesOf(host.url, 'test');
    expect(applied).toEqual(renderSecurityGroupRules({ vmName: 'test', vmIp: '10.1.1.30', macAddress: 'aa:bb:cc:dd:ee:ff', vif: 'testnet0', bridge: 'default', rules: ruleSet({ seq: 5, ingress }) }));
    expect(applied).toContain('iptables -A test -p tcp -m tcp --dport 22 -m state --state NEW -j ACCEPT');
    expect(applied).toContain('iptables -C BF-default-IN -m physdev --physdev-is-bridged --physdev-in testnet0 -j test-def 2>/dev/null || iptables -A BF-default-IN -m physdev --physdev-is-bridged --physdev-in testnet0 -j test-def');

    // An older set changes nothing; a newer one replaces the set in force.
    await driver.applySecurityGroupRules({ host, vmName: 'test', vmIp: '10.1.1.30', macAddress: 'aa:bb:cc:dd:ee:ff', rules: ruleSet({ seq: 4 }) });
    expect(driver.securityGroupRulesOf(host.url, 'test')).toEqual(applied);
    await driver.applySecurityGroupRules({ host, vmName: 'test', vmIp: '10.1.1.30', macAddress: 'aa:bb:cc:dd:ee:ff', rules: ruleSet({ seq: 6 }) });
    const newer = driver.securityGroupRulesOf(host.url, 'test');
    expect(newer).not.toContain('iptables -A test -p tcp -m tcp --dport 22 -m state --state NEW -j ACCEPT');
    expect(newer?.filter((c) => c.startsWith('iptables -A test '))).toEqual(['iptables -A test -j DROP']);

    // A bad set is refused and leaves the set in force as it was.
    await expect(
      driver.applySecurityGroupRules({ host, vmName: 'test', rules: ruleSet({ seq: 7, ingress: [{ protocol: 'tcp', startPort: 1, endPort: 2, cidrs: ['nope'] }] }) }),
    ).rejects.toMatchObject({ code: 431 });
    expect(driver.securityGroupRulesOf(host.url, 'test')).toEqual(newer);
  });

  it('applies concurrent sets for one VM one after another, the newest staying in force', async () => {
    const apply = (seq: number, port: number) =>
      driver.applySecurityGroupRules({ host, vmName: 'test', vmIp: '10.1.1.30', rules: ruleSet({ seq, ingress: [{ protocol: 'tcp', startPort: port, endPort: port, cidrs: ['0.0.0.0/0'] }] }) });
    await Promise.all([apply(21, 2021), apply(20, 2020)]);
    expect(driver.securityGroupRulesOf(host.url, 'test')).toContain('iptables -A test -p tcp -m tcp --dport 2021 -m state --state NEW -j ACCEPT');
    await Promise.all([apply(30, 2030), apply(31, 2031)]);
    const now = driver.securityGroupRulesOf(host.url, 'test');
    expect(now).toContain('iptables -A test -p tcp -m tcp --dport 2031 -m state --state NEW -j ACCEPT');
    expect(now).not.toContain('iptables -A test -p tcp -m tcp --dport 2030 -m state --state NEW -j ACCEPT');
  });

  it('refuses a host reached over plain TCP, which has no shell to run the commands in (432)', async () => {
    const qemuHost = { url: QEMU_URI };
    await driver.connectHost({ url: qemuHost.url, username: 'root', password: '', hypervisorType: 'KVM', clusterName: 'c1' });
    await expect(driver.applySecurityGroupRules({ host: qemuHost, vmName: 'i-2-10-VM', rules: ruleSet() })).rejects.toMatchObject({ code: 432 });
    expect(driver.securityGroupRulesOf(qemuHost.url, 'i-2-10-VM')).toBeUndefined();
  });

  it('refuses a VM that is not on the host, not running, or has no NIC, keeping nothing', async () => {
    await driver.connectHost({ url: fixtureHost.url, username: 'root', password: '', hypervisorType: 'KVM', clusterName: 'c1' });
    for (const vmName of ['i-9-99-VM', 'i-2-11-VM', 'i-2-10-VM']) {
      await expect(driver.applySecurityGroupRules({ host: fixtureHost, vmName, rules: ruleSet() })).rejects.toSatisfy((e: unknown) => isCloudError(e));
      expect(driver.securityGroupRulesOf(fixtureHost.url, vmName)).toBeUndefined();
    }
  });
});

describe('running the rendered commands over SSH', () => {
  it('sends the commands to sh -e on the host, and reports a failing script with its stderr', async () => {
    const ssh = await startFakeSshHost();
    try {
      const login = { host: '127.0.0.1', port: ssh.port, username: ssh.username, password: ssh.password, hostKeyFingerprint: ssh.hostKeyFingerprint };
      const commands = renderSecurityGroupRules({ ...base, rules: ruleSet() });
      await runSshScript(login, commands.join('\n'), 10_000);
      expect(ssh.commands).toContain('sh -e -s');
      expect(ssh.scripts).toEqual([`${commands.join('\n')}\n`]);
      await expect(runSshScript(login, 'true\nfalse', 10_000)).rejects.toMatchObject({ message: expect.stringContaining('script failed') });
      await expect(runSshScript({ ...login, password: 'wrong' }, 'true', 10_000)).rejects.toMatchObject({ code: VirErrorCode.VIR_ERR_AUTH_FAILED });
      expect(ssh.scripts).toHaveLength(2);
    } finally {
      await ssh.close();
    }
  });
});
