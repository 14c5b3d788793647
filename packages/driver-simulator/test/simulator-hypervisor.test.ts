import { describeHypervisorDriver } from '@cloudstack-sdk/core/testing';
import { describe, expect, it } from 'vitest';
import { createSimulator, DEFAULT_SIMULATED_HOST, SimulatedFault } from '../src/index.js';
import { spec } from './support/vm-spec.js';

describeHypervisorDriver('simulator', async () => {
  const sim = createSimulator();
  sim.lab.defineHost('conformance', { password: 'secret' });
  sim.lab.defineHost('busy', { vms: [{ name: 'i-2-3-VM', powerState: 'Running' }] });
  return {
    driver: sim.hypervisors[0]!,
    host: { url: 'http://sim/conformance', username: 'root', password: 'secret' },
    unreachableUrl: 'http://10.255.255.1',
    wrongPassword: 'not-the-password',
    busyHost: { url: 'http://sim/busy', username: 'root', password: 'any', runningVm: 'i-2-3-VM' },
    vmSpec: (name) => spec(name),
    migrationTarget: { url: 'http://sim/conformance-2', username: 'root', password: 'any' },
    dataDisk: (vmName) => ({ volumeId: `data-${vmName}`, type: 'DATADISK', deviceId: 1, sizeBytes: 1024 ** 3, poolId: 'pool-1', poolUrl: 'nfs://10.0.0.5/export/primary' }),
  };
});

describe('simulator hypervisor', () => {
  const request = (url: string) => ({ url, username: 'root', password: 'p', hypervisorType: 'Simulator' as const, clusterName: 'c1' });

  it('reports 8 cores at 2.1 GHz and 32 GiB by default, and what a host was declared with', async () => {
    const sim = createSimulator();
    sim.lab.defineHost('big', { cpuSockets: 4, cpuCores: 32, cpuSpeedMhz: 3000, memoryBytes: 256 * 1024 ** 3, hypervisorVersion: '9.9' });
    const driver = sim.hypervisors[0]!;
    const plain = await driver.connectHost(request('http://sim/plain'));
    expect(plain).toMatchObject({ cpuCores: 8, cpuSpeedMhz: 2100, memoryBytes: 32 * 1024 ** 3, hypervisorVersion: '4.1.0' });
    expect(DEFAULT_SIMULATED_HOST.cpuCores).toBe(8);
    const big = await driver.connectHost(request('http://sim/big'));
    expect(big).toMatchObject({ cpuSockets: 4, cpuCores: 32, cpuSpeedMhz: 3000, memoryBytes: 256 * 1024 ** 3, hypervisorVersion: '9.9' });
  });

  it('answers for each requested hypervisor type with that type\'s version', async () => {
    const sim = createSimulator({ hypervisorTypes: ['KVM', 'XenServer', 'VMware'] });
    expect(sim.hypervisors.map((h) => h.hypervisorType)).toEqual(['KVM', 'XenServer', 'VMware']);
    const xen = await sim.hypervisors[1]!.connectHost({ ...request('http://sim/x1'), hypervisorType: 'XenServer' });
    expect(xen.hypervisorVersion).toBe('6.0.2');
  });

  it('refuses unknown hosts when auto-provisioning is off', async () => {
    const sim = createSimulator({ autoProvisionHosts: false });
    await expect(sim.hypervisors[0]!.connectHost(request('http://sim/ghost'))).rejects.toThrow(/No simulated host/);
  });

  it('keeps VM power states that tests change', async () => {
    const sim = createSimulator();
    sim.lab.setVm('h1', 'vm-a', 'Stopped');
    const driver = sim.hypervisors[0]!;
    expect((await driver.connectHost(request('http://sim/h1'))).vms).toEqual([{ name: 'vm-a', powerState: 'Stopped' }]);
    sim.lab.setVm('h1', 'vm-a', 'Running');
    expect((await driver.connectHost(request('http://sim/h1'))).vms).toEqual([{ name: 'vm-a', powerState: 'Running' }]);
    sim.lab.removeVm('h1', 'vm-a');
    expect((await driver.connectHost(request('http://sim/h1'))).vms).toEqual([]);
  });
});

describe('simulator fault injection', () => {
  const request = (url: string) => ({ url, username: 'root', password: 'p', hypervisorType: 'Simulator' as const, clusterName: 'c1' });

  it('fails one operation for one host only, until cleared', async () => {
    const sim = createSimulator();
    const driver = sim.hypervisors[0]!;
    const fault = sim.lab.faults.fail('connectHost', 'h1', 'link down');
    await expect(driver.connectHost(request('http://sim/h1'))).rejects.toBeInstanceOf(SimulatedFault);
    await expect(driver.connectHost(request('http://sim/h2'))).resolves.toMatchObject({ name: 'h2' });
    expect(fault.hits).toBe(1);
    fault.clear();
    await expect(driver.connectHost(request('http://sim/h1'))).resolves.toMatchObject({ name: 'h1' });
  });

  it('hangs a call (it never settles) and slows another by the given delay', async () => {
    const sim = createSimulator();
    const driver = sim.hypervisors[0]!;
    sim.lab.faults.hang('connectHost', 'http://sim/stuck');
    const outcome = await Promise.race([
      driver.connectHost(request('http://sim/stuck')).then(() => 'answered'),
      new Promise((resolve) => setTimeout(() => resolve('still waiting'), 50)),
    ]);
    expect(outcome).toBe('still waiting');
    sim.lab.faults.slow('connectHost', 60, 'lazy');
    const started = performance.now();
    await driver.connectHost(request('http://sim/lazy'));
    expect(performance.now() - started).toBeGreaterThanOrEqual(55);
  });

  it('lifts a fault by itself after `times` calls, and applies `*` to every operation', async () => {
    const sim = createSimulator();
    const driver = sim.hypervisors[0]!;
    sim.lab.faults.inject({ operation: '*', mode: 'fail', times: 2 });
    await expect(driver.connectHost(request('http://sim/a'))).rejects.toThrow();
    await expect(sim.storage.secondary!.addStore({ storeId: 's', protocol: 'NFS', url: 'nfs://n/p' })).rejects.toThrow();
    await expect(driver.connectHost(request('http://sim/a'))).resolves.toMatchObject({ name: 'a' });
  });
});
