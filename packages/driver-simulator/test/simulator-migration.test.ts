import type { VmSpec } from '@cloudstack-sdk/core';
import { describe, expect, it } from 'vitest';
import { createSimulator, SimulatedFault } from '../src/index.js';

/** A VM spec of `memoryBytes`. */
function spec(name: string, memoryBytes: number): VmSpec {
  return {
    name,
    id: `id-${name}`,
    cpuNumber: 1,
    cpuSpeedMhz: 500,
    memoryBytes,
    limitCpuUse: false,
    disks: [{ volumeId: `vol-${name}`, type: 'ROOT', deviceId: 0, sizeBytes: 1024 ** 3, poolId: 'pool-1', poolUrl: 'nfs://10.0.0.5/export/primary' }],
    nics: [],
  };
}

/** A simulator with two connected hosts of 2 GiB. */
async function twoHosts() {
  const sim = createSimulator();
  const driver = sim.hypervisors[0]!;
  for (const name of ['a', 'b']) {
    sim.lab.defineHost(name, { memoryBytes: 2 * 1024 ** 3 });
    await driver.connectHost({ url: `http://sim/${name}`, username: 'root', password: 'x', hypervisorType: 'Simulator', clusterName: 'c' });
  }
  return { sim, driver, a: { url: 'http://sim/a' }, b: { url: 'http://sim/b' } };
}

describe('simulator live migration and host failure', () => {
  it('declares vm.migrate and moves a running VM, idempotently', async () => {
    const { sim, driver, a, b } = await twoHosts();
    expect(driver.capabilities.has('vm.migrate')).toBe(true);
    await driver.startVm!({ host: a, spec: spec('v1', 1024 ** 3) });
    await driver.migrateVm!({ host: a, vmName: 'v1', target: b });
    expect(sim.lab.hostOfVm('v1')?.name).toBe('b');
    expect(await driver.listVmStates!(a)).toEqual([]);
    await driver.migrateVm!({ host: a, vmName: 'v1', target: b });
    expect(await driver.listVmStates!(b)).toEqual([{ name: 'v1', powerState: 'Running' }]);
  });

  it('refuses a target without the memory and a VM that is not running, leaving the VM on its source', async () => {
    const { sim, driver, a, b } = await twoHosts();
    await driver.startVm!({ host: b, spec: spec('big', 1.5 * 1024 ** 3) });
    await driver.startVm!({ host: a, spec: spec('v1', 1024 ** 3) });
    await expect(driver.migrateVm!({ host: a, vmName: 'v1', target: b })).rejects.toThrow(/memory free/);
    await expect(driver.migrateVm!({ host: a, vmName: 'ghost', target: b })).rejects.toThrow(/not running/);
    expect(sim.lab.hostOfVm('v1')?.name).toBe('a');
  });

  it('applies migrateVm faults by VM or either host', async () => {
    const { sim, driver, a, b } = await twoHosts();
    await driver.startVm!({ host: a, spec: spec('v1', 1024 ** 3) });
    const fault = sim.lab.faults.fail('migrateVm', 'b', 'target refused');
    await expect(driver.migrateVm!({ host: a, vmName: 'v1', target: b })).rejects.toBeInstanceOf(SimulatedFault);
    expect(fault.hits).toBe(1);
    fault.clear();
    await driver.migrateVm!({ host: a, vmName: 'v1', target: b });
    expect(sim.lab.hostOfVm('v1')?.name).toBe('b');
  });

  it('failHost loses the host and its VMs until recoverHost', async () => {
    const { sim, driver, a } = await twoHosts();
    await driver.startVm!({ host: a, spec: spec('v1', 1024 ** 3) });
    sim.lab.failHost('a');
    expect(sim.lab.hostOfVm('v1')).toBeUndefined();
    await expect(driver.listVmStates!(a)).rejects.toThrow(/No connected simulated host/);
    sim.lab.recoverHost('a');
    expect(await driver.listVmStates!(a)).toEqual([]);
    expect(() => sim.lab.failHost('nope')).toThrow(/No simulated host/);
  });
});
