import { describe, expect, it } from 'vitest';
import { createSimulator, SimulatedFault } from '../src/index.js';
import { spec } from './support/vm-spec.js';

describe('simulator VM calls', () => {
  async function connected(memoryBytes?: number) {
    const sim = createSimulator();
    sim.lab.defineHost('h1', memoryBytes === undefined ? {} : { memoryBytes });
    const driver = sim.hypervisors[0]!;
    await driver.connectHost({ url: 'http://sim/h1', username: 'root', password: 'p', hypervisorType: 'Simulator', clusterName: 'c1' });
    return { sim, driver, host: { url: 'http://sim/h1' } };
  }

  it('keeps the spec a VM was started from, and forgets it when the VM is destroyed', async () => {
    const { sim, driver, host } = await connected();
    await driver.startVm({ host, spec: spec('i-2-1-VM') });
    expect(sim.lab.vmSpec('i-2-1-VM')).toEqual(spec('i-2-1-VM'));
    expect(sim.lab.hostOfVm('i-2-1-VM')?.name).toBe('h1');
    await driver.destroyVm({ host, vmName: 'i-2-1-VM' });
    expect(sim.lab.vmSpec('i-2-1-VM')).toBeUndefined();
    expect(sim.lab.hostOfVm('i-2-1-VM')).toBeUndefined();
  });

  it('refuses a start that would pass the host memory, leaving nothing behind', async () => {
    const { sim, driver, host } = await connected(1024 ** 3);
    await driver.startVm({ host, spec: spec('i-2-1-VM', 768 * 1024 ** 2) });
    await expect(driver.startVm({ host, spec: spec('i-2-2-VM', 512 * 1024 ** 2) })).rejects.toThrow(/memory/);
    expect(sim.lab.hostOfVm('i-2-2-VM')).toBeUndefined();
  });

  it('refuses VM calls on a host that is not connected', async () => {
    const sim = createSimulator();
    sim.lab.defineHost('cold');
    await expect(sim.hypervisors[0]!.startVm({ host: { url: 'http://sim/cold' }, spec: spec('i-2-1-VM') })).rejects.toThrow(/connected/);
  });

  it('injects faults per VM name: fail throws, slow answers late, times lifts the fault', async () => {
    const { sim, driver, host } = await connected();
    sim.lab.faults.inject({ operation: 'startVm', mode: 'fail', target: 'i-2-1-VM', times: 1 });
    await expect(driver.startVm({ host, spec: spec('i-2-1-VM') })).rejects.toBeInstanceOf(SimulatedFault);
    expect(sim.lab.hostOfVm('i-2-1-VM')).toBeUndefined();
    await expect(driver.startVm({ host, spec: spec('i-2-1-VM') })).resolves.toEqual({ name: 'i-2-1-VM', powerState: 'Running' });
    const slow = sim.lab.faults.slow('stopVm', 5, 'h1');
    await driver.stopVm({ host, vmName: 'i-2-1-VM', mode: 'clean' });
    expect(slow.hits).toBe(1);
    expect(await driver.listVmStates(host)).toEqual([{ name: 'i-2-1-VM', powerState: 'Stopped' }]);
  });

  it('a hung call never settles on its own', async () => {
    const { sim, driver, host } = await connected();
    sim.lab.faults.hang('rebootVm');
    const outcome = await Promise.race([driver.rebootVm({ host, vmName: 'x' }).then(() => 'settled'), new Promise((resolve) => setTimeout(() => resolve('pending'), 20))]);
    expect(outcome).toBe('pending');
  });
});
