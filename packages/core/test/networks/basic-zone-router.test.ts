import { describe, expect, it } from 'vitest';
import { CapacityKeys } from '../../src/index.js';
import { deployInput, vmCloud } from '../vms/vm-fixtures.js';

describe("a basic zone's virtual router", () => {
  it('the first VM of a pod starts its router, which takes a pod address and host capacity and serves DHCP, DNS and user data only', async () => {
    const t = await vmCloud();
    const alice = t.cloud.as(t.as.alice);
    const vm = await alice.vms.deploy(deployInput(t, { name: 'web1', userData: Buffer.from('hello').toString('base64') }));
    const [router] = (await t.cloud.system.routers.list({})).items;
    expect(router).toMatchObject({ state: 'Running', servedPodId: t.pod.id, guestIpPool: `guestip:${t.range.id}`, guestGateway: '192.168.10.1' });
    expect(router?.publicIp).toBeUndefined();
    const config = t.sim.lab.routerConfig(router?.name ?? '');
    expect(config?.dhcp).toEqual([{ macAddress: vm.nics[0]?.macAddress, ipAddress: vm.nics[0]?.ipAddress, hostName: 'web1', isDefault: true }]);
    expect(config?.vmData).toEqual([{ ipAddress: vm.nics[0]?.ipAddress, hostName: 'web1', userData: Buffer.from('hello').toString('base64') }]);
    expect(config?.sourceNatIp).toBeUndefined();
    expect(config).toMatchObject({ staticNat: [], portForwarding: [], firewall: [], loadBalancers: [], egress: { defaultPolicy: 'allow', rules: [] } });
    const held = await t.cloud.store.transaction(async (tx) => ({
      vms: await Promise.all(t.hosts.map((h) => tx.counters.get(CapacityKeys.hostVms(h.id)))),
      ips: await tx.pools.stats(`guestip:${t.range.id}`),
    }));
    expect(held.vms.reduce((a, b) => a + b, 0)).toBe(2);
    expect(held.ips.total - held.ips.free).toBe(2);
    const vm2 = await alice.vms.deploy(deployInput(t, { name: 'web2' }));
    expect((await t.cloud.system.routers.list({})).items).toHaveLength(1);
    expect(t.sim.lab.routerConfig(router?.name ?? '')?.dhcp.map((d) => d.ipAddress)).toEqual([vm.nics[0]?.ipAddress, vm2.nics[0]?.ipAddress].sort());
    const [network] = (await alice.networks.list({})).items;
    expect(network).toMatchObject({ guestType: 'Shared', aclType: 'Domain', podAddressing: true, state: 'Implemented' });
  });
});
