import { describe, expect, it } from 'vitest';
import type { GuestNetworkTO, NetworkElement, NetworkRuleSet, NetworkService } from '../../src/index.js';
import { refused } from '../accounts/tenants.js';
import { deployInput, networkCloud } from './network-fixtures.js';

/** A network element that records what core asks of it, and can be told to refuse. */
class RecordingElement implements NetworkElement {
  readonly provider = 'Netscaler';
  readonly services: ReadonlySet<NetworkService> = new Set<NetworkService>(['Lb', 'StaticNat']);
  readonly calls: string[] = [];
  readonly applied: NetworkRuleSet[] = [];
  failNext?: string;

  async implementNetwork(network: GuestNetworkTO): Promise<void> {
    this.refuseIf('implement');
    this.calls.push(`implement ${network.name} vlan ${network.vlan}`);
  }

  async applyRules(network: GuestNetworkTO, rules: NetworkRuleSet): Promise<void> {
    this.refuseIf('apply');
    this.calls.push(`apply ${network.name}`);
    this.applied.push(rules);
  }

  async shutdownNetwork(network: GuestNetworkTO): Promise<void> {
    this.refuseIf('shutdown');
    this.calls.push(`shutdown ${network.name}`);
  }

  private refuseIf(step: string): void {
    if (this.failNext !== step) return;
    this.failNext = undefined;
    throw new Error(`device refused ${step}`);
  }
}

async function setup() {
  const element = new RecordingElement();
  const t = await networkCloud({ networkElements: [element] });
  const offering = await t.cloud.system.networkOfferings.create({
    name: 'vr-with-netscaler-lb',
    displayText: 'virtual router, load balancing on a NetScaler',
    guestIpType: 'Isolated',
    supportedServices: ['Dhcp', 'Dns', 'UserData', 'SourceNat', 'Firewall', 'PortForwarding', 'Lb'],
    serviceProviderList: [{ service: 'Lb', provider: 'Netscaler' }],
  });
  await t.cloud.system.networkOfferings.update({ id: offering.id, state: 'Enabled' });
  const alice = t.cloud.as(t.as.alice);
  const network = await alice.networks.create({ name: 'lbnet', displayText: 'lbnet', networkOfferingId: offering.id, zoneId: t.zone.id });
  return { t, element, alice, network };
}

describe('external network elements', () => {
  it('an element of the offering implements the network, gets the whole rule set after each change, and shuts it down', async () => {
    const { t, element, alice, network } = await setup();
    const vm = await alice.vms.deploy(deployInput(t, { name: 'web1', networkIds: [network.id] }));
    const implemented = await alice.networks.get({ id: network.id });
    expect(element.calls).toEqual([`implement lbnet vlan ${implemented.vlan}`, 'apply lbnet']);
    expect(element.applied[0]?.dhcp.map((d) => d.hostName)).toEqual(['web1']);
    await alice.vms.destroy({ id: vm.id });
    await t.cloud.system.vms.expunge({ id: vm.id });
    await new Promise((resolve) => setTimeout(resolve, 50));
    await alice.networks.delete({ id: network.id });
    expect(element.calls.at(-1)).toBe('shutdown lbnet');
  });

  it('an element refusing the implementation fails the deployment and gives back the VLAN, the source NAT IP and the router', async () => {
    const { t, element, alice, network } = await setup();
    element.failNext = 'implement';
    await refused(() => alice.vms.deploy(deployInput(t, { name: 'web1', networkIds: [network.id] })), 534, 'networkid');
    const stored = await alice.networks.get({ id: network.id });
    expect(stored).toMatchObject({ state: 'Allocated' });
    expect(stored.vlan).toBeUndefined();
    const rows = await t.cloud.store.transaction(async (tx) => ({ ips: await tx.repo('publicIps').count(), running: (await tx.repo('routers').find()).items.filter((r) => r.state === 'Running').length }));
    expect(rows).toEqual({ ips: 0, running: 0 });
  });

  it('an offering whose provider has no registered element cannot be implemented: the deployment is refused with 534 and the network is left as it was', async () => {
    const t = await networkCloud();
    const offering = await t.cloud.system.networkOfferings.create({
      name: 'needs-netscaler',
      displayText: 'load balancing on a NetScaler nobody registered',
      guestIpType: 'Isolated',
      supportedServices: ['Dhcp', 'Dns', 'SourceNat', 'Lb'],
      serviceProviderList: [{ service: 'Lb', provider: 'Netscaler' }],
    });
    await t.cloud.system.networkOfferings.update({ id: offering.id, state: 'Enabled' });
    const alice = t.cloud.as(t.as.alice);
    const network = await alice.networks.create({ name: 'n', displayText: 'n', networkOfferingId: offering.id, zoneId: t.zone.id });
    const error = await refused(() => alice.vms.deploy(deployInput(t, { name: 'web1', networkIds: [network.id] })), 534, 'networkid');
    expect(error.message).toMatch(/no Netscaler network element is registered/);
    const stored = await alice.networks.get({ id: network.id });
    expect(stored.state).toBe('Allocated');
    expect(stored.vlan).toBeUndefined();
    expect(await t.cloud.store.transaction((tx) => tx.repo('publicIps').count())).toBe(0);
  });
});
