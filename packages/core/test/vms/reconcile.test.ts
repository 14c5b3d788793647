import { describe, expect, it } from 'vitest';
import { refused } from '../accounts/tenants.js';
import { deployInput, holdings, vmCloud } from './vm-fixtures.js';

describe('reconciling a host\'s VM states with the store', () => {
  it('marks Stopped a VM the host reports stopped or missing, releasing its host and IP; reports unknown VMs', async () => {
    const t = await vmCloud({ hosts: 1 });
    const empty = await holdings(t.cloud, t);
    const a = await t.cloud.as(t.as.alice).vms.deploy(deployInput(t, { name: 'a' }));
    const b = await t.cloud.as(t.as.alice).vms.deploy(deployInput(t, { name: 'b' }));
    const c = await t.cloud.as(t.as.alice).vms.deploy(deployInput(t, { name: 'c' }));
    t.sim.lab.setVm('h0', a.instanceName, 'Stopped');
    t.sim.lab.removeVm('h0', b.instanceName);
    t.sim.lab.setVm('h0', 'i-999-VM', 'Running');
    const outcome = await t.cloud.system.vmReconciler.reconcile({ hostId: t.hosts[0]!.id });
    expect([...outcome.stopped].sort()).toEqual([a.id, b.id].sort());
    expect(outcome.unknown).toEqual(['i-999-VM']);
    expect((await t.cloud.as(t.as.alice).vms.get({ id: a.id })).state).toBe('Stopped');
    expect((await t.cloud.as(t.as.alice).vms.get({ id: b.id })).nics[0]?.ipAddress).toBeUndefined();
    expect((await t.cloud.as(t.as.alice).vms.get({ id: c.id })).state).toBe('Running');
    const now = await holdings(t.cloud, t);
    expect(now.hosts[0]).toEqual([500, 512 * 1024 * 1024, 1]);
    expect(now.guestIps.free).toBe(empty.guestIps.free - 1);
    const warnings = (await t.cloud.system.events.list({ pageSize: -1, listAll: true })).items.filter((e) => e.level === 'WARN').map((e) => e.type);
    expect(warnings.sort()).toEqual(['VM.STOP', 'VM.STOP', 'VM.UNKNOWN']);
    expect(await t.cloud.system.vmReconciler.reconcile({ hostId: t.hosts[0]!.id })).toEqual({ stopped: [], unknown: ['i-999-VM'] });
  });

  it('is for root admins only, and a host that does not answer is 534', async () => {
    const t = await vmCloud({ hosts: 1 });
    await refused(() => t.cloud.as(t.as.admin1).vmReconciler.reconcile({ hostId: t.hosts[0]!.id }), 531);
    t.sim.lab.faults.fail('listVmStates');
    await refused(() => t.cloud.system.vmReconciler.reconcile({ hostId: t.hosts[0]!.id }), 534);
  });
});
