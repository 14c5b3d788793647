import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IN_CI, pythonCanImport, runClientScript, startDemoServer, type RunningServer } from './harness.js';
import { DEMO_TEMPLATE_NAME } from '../../src/demo-template.js';

/** A node as `py/libcloud_networks.py` shows it. */
interface ShownNode {
  readonly id: string;
  readonly name: string;
  readonly state: string;
  readonly private_ips: string[];
  readonly public_ips: string[];
  readonly ip_addresses: string[];
  readonly port_forwarding_rules: string[];
  readonly ip_forwarding_rules: string[];
}

/** A network as `py/libcloud_networks.py` shows it. */
interface ShownNetwork {
  readonly id: string;
  readonly name: string;
  readonly displaytext: string;
  readonly networkofferingid: string;
  readonly zoneid: string;
  readonly state: string | null;
  readonly type: string | null;
  readonly traffic_type: string | null;
  readonly is_system: string | null;
  readonly acl_type: string | null;
  readonly network_domain: string | null;
  readonly can_use_for_deploy: string | null;
  readonly gateway: string | null;
  readonly zone_name: string | null;
}

interface ShownAddress {
  readonly id: string;
  readonly address: string;
  readonly associated_network_id: string | null;
  readonly virtualmachine_id: string | null;
}

interface ShownFirewallRule {
  readonly id: string;
  readonly address: string | null;
  readonly cidr_list: string;
  readonly protocol: string;
  readonly start_port: string | number | null;
  readonly end_port: string | number | null;
  readonly icmp_type: number | null;
  readonly icmp_code: number | null;
}

interface ShownPortForwardingRule {
  readonly id: string;
  readonly node_id: string;
  readonly address: string;
  readonly protocol: string;
  readonly public_port: string | number;
  readonly private_port: string | number;
  readonly public_end_port: string | number | null;
  readonly private_end_port: string | number | null;
}

/** What `py/libcloud_networks.py` prints. */
interface NetworksRun {
  readonly created: ShownNode;
  readonly networks: ShownNetwork[];
  readonly listed: ShownNode;
  readonly allocated: ShownAddress;
  readonly public_ips: ShownAddress[];
  readonly firewall_created: ShownFirewallRule;
  readonly firewall_listed: ShownFirewallRule[];
  readonly egress_created: { id: string; network_id: string; cidr_list: string; protocol: string; start_port: number | string; end_port: number | string };
  readonly egress_listed: { id: string; network_id: string; cidr_list: string; protocol: string; start_port: number | string; end_port: number | string }[];
  readonly pf_created: ShownPortForwardingRule;
  readonly pf_listed: ShownPortForwardingRule[];
  readonly listed_with_pf: ShownNode;
  readonly firewall_with_pf: ShownFirewallRule[];
  readonly release_with_rules: { status: number; message?: string };
  readonly pf_deleted: boolean;
  readonly pf_after_delete: ShownPortForwardingRule[];
  readonly firewall_deleted: boolean[];
  readonly egress_deleted: boolean;
  readonly firewall_after_delete: ShownFirewallRule[];
  readonly released: boolean;
  readonly public_ips_after_release: ShownAddress[];
  readonly own_network: ShownNetwork;
  readonly on_own: ShownNode;
  readonly networks_after: ShownNetwork[];
  readonly deleted_spare: boolean;
  readonly network_names_after_delete: string[];
  readonly destroyed: boolean[];
  readonly nodes_after_destroy: string[];
}

interface ShownBalancer {
  readonly id: string;
  readonly name: string;
  readonly state: number;
  readonly ip: string;
  readonly port: string;
  readonly private_port: string;
  readonly public_ip_id: string;
}

/** What `py/libcloud_lb.py` prints. */
interface BalancersRun {
  readonly node_ids: string[];
  readonly network_id: string;
  readonly before: ShownBalancer[];
  readonly created: ShownBalancer;
  readonly listed: ShownBalancer[];
  readonly got: ShownBalancer;
  readonly attached: boolean[];
  readonly members: { id: string; ip: string; port: string }[];
  readonly detached: boolean;
  readonly members_after_detach: { id: string; ip: string; port: string }[];
  readonly after_destroy: ShownBalancer[];
  readonly public_ips_after_destroy: string[];
}

const libcloud = pythonCanImport('libcloud');

// Outside CI a machine without the Debian client skips; under CI=true the first test fails instead.
describe.skipIf(!libcloud && !IN_CI)("Guest networks, public IPs, firewall, port forwarding and load balancing driven by Libcloud 3.4.1 against the example server's advanced demo zone", () => {
  let running: RunningServer;

  beforeAll(async () => {
    running = await startDemoServer();
  }, 60_000);
  afterAll(async () => {
    await running?.server.close();
  });

  it('has Libcloud importable by /usr/bin/python3 (python3-libcloud)', () => {
    expect(libcloud).toBe(true);
  });

  it('compute driver: create_node and list_nodes in the advanced zone, networks, public IPs, firewall, egress and port forwarding', async () => {
    const cloud = running.server.cloud;
    const zone = (await cloud.system.zones.list({})).find((z) => z.name === 'demo-advanced');
    const requiredOffering = (await cloud.system.networkOfferings.list({ name: 'DefaultIsolatedNetworkOfferingWithSourceNatService' })).items[0];
    const run = await runClientScript<NetworksRun>(
      'libcloud_networks.py',
      { endpoint: running.endpoint, ...running.tenant, imageName: DEMO_TEMPLATE_NAME, sizeName: 'Small Instance', zoneName: 'demo-advanced', nodeName: 'lc-adv', offeringName: 'DefaultIsolatedNetworkOfferingWithSourceNatService', offeringId: requiredOffering?.id, portForwarding: true },
      240_000,
    );

    // The node lands on the account's isolated network, created for it and implemented at its start.
    expect(run.created).toMatchObject({ name: 'lc-adv', state: 'running', public_ips: [] });
    expect(run.created.private_ips).toEqual([expect.stringMatching(/^10\.1\.1\.\d+$/)]);
    expect(run.networks).toEqual([
      expect.objectContaining({ networkofferingid: requiredOffering?.id, zoneid: zone?.id, zone_name: 'demo-advanced', state: 'Implemented', type: 'Isolated', traffic_type: 'Guest', is_system: 'False', acl_type: 'Account', can_use_for_deploy: 'True', gateway: '10.1.1.1', network_domain: 'demo.cloud' }),
    ]);
    // list_nodes works: it also asked listPublicIpAddresses, listPortForwardingRules and listIpForwardingRules.
    expect(run.listed).toMatchObject({ id: run.created.id, state: 'running', private_ips: run.created.private_ips, public_ips: [], port_forwarding_rules: [] });
    const networkId = run.networks[0]?.id;
    const stored = await cloud.store.transaction((tx) => tx.repo('networks').get(networkId ?? ''));
    expect(Number(stored?.vlan)).toBeGreaterThanOrEqual(500);

    // Public IPs: the source NAT address and the one allocated, both on the network.
    expect(run.allocated.address).toMatch(/^203\.0\.113\.\d+$/);
    expect(run.public_ips).toHaveLength(2);
    expect(run.public_ips.map((ip) => ip.associated_network_id)).toEqual([networkId, networkId]);
    expect(run.public_ips.map((ip) => ip.address)).toContain(run.allocated.address);

    // Firewall: libcloud keeps what it sent for the created rule; the list shows the server's view.
    expect(run.firewall_created).toMatchObject({ address: run.allocated.address, cidr_list: '0.0.0.0/0', protocol: 'TCP', start_port: 80, end_port: 81 });
    expect(run.firewall_listed).toEqual([
      { id: expect.any(String), address: run.allocated.address, cidr_list: '10.0.0.0/8', protocol: 'icmp', start_port: null, end_port: null, icmp_type: 8, icmp_code: 0 },
      { id: run.firewall_created.id, address: run.allocated.address, cidr_list: '0.0.0.0/0', protocol: 'tcp', start_port: '80', end_port: '81', icmp_type: null, icmp_code: null },
    ]);
    expect(run.egress_listed).toEqual([{ id: run.egress_created.id, network_id: networkId, cidr_list: '0.0.0.0/0', protocol: 'tcp', start_port: '443', end_port: '443' }]);

    // Port forwarding: the rule, the node showing the address, and the firewall opened for it (openfirewall=True).
    expect(run.pf_created).toMatchObject({ node_id: run.created.id, address: run.allocated.address, protocol: 'TCP' });
    expect(run.pf_listed).toEqual([{ id: run.pf_created.id, node_id: run.created.id, address: run.allocated.address, protocol: 'tcp', public_port: '2222', private_port: '22', public_end_port: '2222', private_end_port: '22' }]);
    expect(run.listed_with_pf).toMatchObject({ id: run.created.id, public_ips: [run.allocated.address], port_forwarding_rules: [run.pf_created.id] });
    expect(run.firewall_with_pf.map((r) => [r.protocol, r.start_port])).toEqual([
      ['icmp', null],
      ['tcp', '2222'],
      ['tcp', '80'],
    ]);
    // An address with rules is not released: Libcloud raises the job's error.
    expect(run.release_with_rules.status).toBe(0);
    expect(run.release_with_rules.message).toMatch(/rule/);
    expect(run.pf_deleted).toBe(true);
    expect(run.pf_after_delete).toEqual([]);

    expect(run.firewall_deleted).toEqual([true, true]);
    expect(run.egress_deleted).toBe(true);
    expect(run.firewall_after_delete).toEqual([]);
    expect(run.released).toBe(true);
    expect(run.public_ips_after_release.map((ip) => ip.address)).not.toContain(run.allocated.address);
    expect(run.public_ips_after_release).toHaveLength(1);

    // A network of its own (ex_create_network), a node on it (networkids), and an empty one deleted.
    expect(run.own_network).toMatchObject({ name: 'lc-tier', displaytext: 'Libcloud tier', state: 'Allocated', gateway: '10.5.0.1', network_domain: 'tier.example', networkofferingid: requiredOffering?.id });
    expect(run.on_own).toMatchObject({ name: 'lc-adv-tier', state: 'running' });
    expect(run.on_own.private_ips).toEqual([expect.stringMatching(/^10\.5\.0\.\d+$/)]);
    expect(run.networks_after.find((n) => n.name === 'lc-tier')?.state).toBe('Implemented');
    expect(run.deleted_spare).toBe(true);
    expect(run.network_names_after_delete).not.toContain('lc-spare');
    expect(run.network_names_after_delete).toContain('lc-tier');
    expect(run.destroyed).toEqual([true, true]);
    expect(run.nodes_after_destroy).toEqual([]);
    // The first network's router was told each change; it ends with none of the rules or the released address.
    const router = await cloud.store.transaction((tx) => tx.repo('routers').findOne({ networkId: networkId ?? '' }));
    const config = running.server.simulator.lab.routerConfig(router?.name ?? '');
    expect(config).toMatchObject({ firewall: [], portForwarding: [], staticNat: [], egress: { defaultPolicy: 'deny', rules: [] } });
    expect(config?.publicIps).not.toContain(run.allocated.address);

    const asked = running.requests().filter((r) => r.userId === running.tenant.userId);
    for (const command of ['listPublicIpAddresses', 'listPortForwardingRules', 'listIpForwardingRules', 'associateIpAddress', 'createFirewallRule', 'createEgressFirewallRule', 'createPortForwardingRule', 'createNetwork', 'deleteNetwork', 'disassociateIpAddress']) {
      expect({ command, ok: asked.some((r) => r.command === command && r.status === 200) }).toEqual({ command, ok: true });
    }
  }, 300_000);

  it('load-balancer driver: list_balancers, create_balancer, balancer_attach_member, balancer_list_members, balancer_detach_member (two members stay), destroy_balancer', async () => {
    const cloud = running.server.cloud;
    const run = await runClientScript<BalancersRun>(
      'libcloud_lb.py',
      { endpoint: running.endpoint, ...running.tenant, imageName: DEMO_TEMPLATE_NAME, sizeName: 'Small Instance', zoneName: 'demo-advanced', nodeNames: ['lb-a', 'lb-b', 'lb-c'], balancerName: 'lc-balancer' },
      240_000,
    );
    expect(run.before).toEqual([]);
    // create_balancer lists the rule right after createLoadBalancerRule's accept reply: it exists and is Active (libcloud's State.RUNNING is 0).
    expect(run.created).toMatchObject({ name: 'lc-balancer', state: 0, port: '80', private_port: '8080' });
    expect(run.created.ip).toMatch(/^203\.0\.113\.\d+$/);
    expect(run.listed).toEqual([run.created]);
    expect(run.got).toEqual(run.created);
    const vms = await Promise.all(run.node_ids.map((id) => cloud.system.vms.get({ id })));
    const guestIps = vms.map((vm) => vm.nics[0]?.ipAddress);
    expect(run.attached).toEqual([true, true]);
    expect(run.members).toEqual(
      run.node_ids.map((id, i) => ({ id, ip: guestIps[i], port: '8080' })).sort((x, y) => String(x.ip).localeCompare(String(y.ip))),
    );
    expect(run.detached).toBe(true);
    expect(run.members_after_detach.map((m) => m.id).sort()).toEqual(run.node_ids.slice(1).sort());
    expect(run.after_destroy).toEqual([]);
    expect(run.public_ips_after_destroy).not.toContain(run.created.ip);
    // The network's router enforces neither the rule nor the firewall rule it opened any more, nor the address.
    const router = await cloud.store.transaction((tx) => tx.repo('routers').findOne({ networkId: run.network_id }));
    const config = running.server.simulator.lab.routerConfig(router?.name ?? '');
    expect(config).toMatchObject({ loadBalancers: [], firewall: [] });
    expect(config?.publicIps).not.toContain(run.created.ip);
    const asked = running.requests().filter((r) => r.userId === running.tenant.userId);
    for (const command of ['listLoadBalancerRules', 'associateIpAddress', 'createLoadBalancerRule', 'assignToLoadBalancerRule', 'listLoadBalancerRuleInstances', 'removeFromLoadBalancerRule', 'deleteLoadBalancerRule', 'disassociateIpAddress']) {
      expect({ command, ok: asked.some((r) => r.command === command && r.status === 200) }).toEqual({ command, ok: true });
    }
  }, 300_000);
});

/** What `py/cs_networks.py` prints. */
interface CsNetworksRun {
  readonly created: { id: string; name: string; state: string; cidr: string; type: string; acltype: string };
  readonly vm_nic: { networkid: string; networkname: string; ipaddress: string; broadcasturi: string; type: string };
  readonly networks: { id: string; name: string; state: string; broadcasturi?: string }[];
  readonly ip: { id: string; ipaddress: string; associatednetworkid: string; issourcenat: boolean; state: string };
  readonly rule: { protocol: string; startport: string; endport: string; state: string; ipaddress: string };
  readonly public_ips: string[];
  readonly restarted: { id: string; state: string };
  readonly routers: { id: string; state: string; guestnetworkid: string; guestipaddress: string; publicip: string }[];
  readonly stopped: string;
  readonly started: string;
  readonly rebooted: string;
  readonly delete_in_use: { raised: boolean; result?: { errorcode?: number; errortext?: string } };
}

const cs = pythonCanImport('cs');

describe.skipIf(!cs && !IN_CI)("Guest networks and routers driven by cs 2.7.1 (signature version 3) against the example server's advanced demo zone", () => {
  let running: RunningServer;

  beforeAll(async () => {
    running = await startDemoServer();
  }, 60_000);
  afterAll(async () => {
    await running?.server.close();
  });

  it('has cs importable by /usr/bin/python3 (python3-cs)', () => {
    expect(cs).toBe(true);
  });

  it('tenant: createNetwork, deploy with networkids, listNetworks/listPublicIpAddresses (fetch_list), associateIpAddress/createFirewallRule/restartNetwork (fetch_result); admin: listRouters, stopRouter, startRouter, rebootRouter', async () => {
    const system = running.server.cloud.system;
    const zone = (await system.zones.list({})).find((z) => z.name === 'demo-advanced');
    const template = (await system.templates.list({ templateFilter: 'featured', name: DEMO_TEMPLATE_NAME })).items.find((t) => t.zoneId === zone?.id);
    const serviceOffering = (await system.serviceOfferings.list({ name: 'Small Instance' })).items[0];
    const offering = (await system.networkOfferings.list({ name: 'DefaultIsolatedNetworkOfferingWithSourceNatService' })).items[0];
    const run = await runClientScript<CsNetworksRun>(
      'cs_networks.py',
      { endpoint: running.endpoint, ...running.tenant, adminApiKey: running.admin.apiKey, adminSecretKey: running.admin.secretKey, zoneId: zone?.id, templateId: template?.id, serviceOfferingId: serviceOffering?.id, offeringId: offering?.id },
      180_000,
    );
    expect(run.created).toEqual({ id: expect.any(String), name: 'cs-net', state: 'Allocated', cidr: '10.9.0.0/24', type: 'Isolated', acltype: 'Account' });
    expect(run.vm_nic).toMatchObject({ networkid: run.created.id, networkname: 'cs-net', type: 'Isolated' });
    expect(run.vm_nic.ipaddress).toMatch(/^10\.9\.0\.\d+$/);
    expect(run.vm_nic.broadcasturi).toMatch(/^vlan:\/\/5\d\d$/);
    expect(run.networks).toEqual([{ id: run.created.id, name: 'cs-net', state: 'Implemented', broadcasturi: run.vm_nic.broadcasturi }]);
    expect(run.ip).toMatchObject({ associatednetworkid: run.created.id, issourcenat: false, state: 'Allocated' });
    expect(run.rule).toEqual({ protocol: 'tcp', startport: '443', endport: '443', state: 'Active', ipaddress: run.ip.ipaddress });
    expect(run.public_ips).toHaveLength(2);
    expect(run.public_ips).toContain(run.ip.ipaddress);
    expect(run.restarted).toEqual({ id: run.created.id, state: 'Implemented' });
    expect(run.routers).toEqual([{ id: expect.any(String), state: 'Running', guestnetworkid: run.created.id, guestipaddress: '10.9.0.1', publicip: expect.stringMatching(/^203\.0\.113\.\d+$/) }]);
    expect([run.stopped, run.started, run.rebooted]).toEqual(['Stopped', 'Running', 'Running']);
    // A network a VM still uses is not deleted: the job fails and cs raises with its result.
    expect(run.delete_in_use.raised).toBe(true);
    expect(run.delete_in_use.result?.errortext).toMatch(/cs-net-vm/);
    // The router enforces the firewall rule after the stop/start/reboot cycle.
    const router = await running.server.cloud.store.transaction((tx) => tx.repo('routers').get(run.routers[0]?.id ?? ''));
    expect(running.server.simulator.lab.routerConfig(router?.name ?? '')?.firewall).toEqual([expect.objectContaining({ publicIp: run.ip.ipaddress, protocol: 'tcp', startPort: 443, endPort: 443 })]);
  }, 240_000);
});
