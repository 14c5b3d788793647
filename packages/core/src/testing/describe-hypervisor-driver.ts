import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HYPERVISOR_TYPES, type HostAddress, type HostConnectRequest, type HypervisorDriver, type VCenterEndpoint, type VmSpec } from '../contracts/hypervisor.js';

/** Credentials of a host the suite connects to. */
export interface HostUnderTest {
  /** The host's URL. */
  readonly url: string;
  /** The user to log in as. */
  readonly username: string;
  /** That user's password. */
  readonly password: string;
}

/** A hypervisor driver under test and the endpoints it is tested against. */
export interface HypervisorDriverUnderTest {
  /** The driver. */
  readonly driver: HypervisorDriver;
  /** A reachable host with no VMs running. */
  readonly host: HostUnderTest;
  /** A URL where no host answers. */
  readonly unreachableUrl: string;
  /** A password the host refuses; the bad-credentials test is skipped when absent. */
  readonly wrongPassword?: string;
  /** A host with a VM running, and that VM's name; the running-VM test is skipped when absent. */
  readonly busyHost?: HostUnderTest & { readonly runningVm: string };
  /** The cluster name to present (vSphere: the cluster in vCenter). `cluster1` by default. */
  readonly clusterName?: string;
  /** The vCenter, for vSphere drivers. */
  readonly vcenter?: VCenterEndpoint;
  /**
   * A VM spec the host can run, named `name` (disks on a pool the host mounts). The VM part of
   * the suite is skipped when absent or when the driver does not declare `vm.start`.
   */
  readonly vmSpec?: (name: string) => VmSpec;
  /** Releases whatever the subject made. */
  readonly dispose?: () => Promise<void>;
}

/** Options of {@link describeHypervisorDriver}. */
export interface DescribeHypervisorDriverOptions {
  /** Per-test timeout in ms for calls that reach a real endpoint (20,000 by default). */
  readonly timeoutMs?: number;
}

/**
 * The hypervisor driver conformance suite, host-connect part: what "a driver can connect
 * hosts" means. A driver declares its type and `host.connect`; connecting a host reports its
 * identity, CPU sockets, cores and speed, memory, hypervisor version and VMs; connecting again
 * reports the same host (idempotence); a wrong password and an unreachable host are refused
 * with an error; a host already running a VM says so; and `releaseHost`, when declared, is
 * idempotent. Every driver package runs it against its own endpoint.
 */
export function describeHypervisorDriver(
  name: string,
  makeSubject: () => Promise<HypervisorDriverUnderTest>,
  options: DescribeHypervisorDriverOptions = {},
): void {
  const timeout = options.timeoutMs ?? 20_000;
  describe(`HypervisorDriver conformance (host connect): ${name}`, () => {
    let subject: HypervisorDriverUnderTest;
    const request = (host: HostUnderTest, password = host.password): HostConnectRequest => ({
      url: host.url,
      username: host.username,
      password,
      hypervisorType: subject.driver.hypervisorType,
      clusterName: subject.clusterName ?? 'cluster1',
      ...(subject.vcenter === undefined ? {} : { vcenter: subject.vcenter }),
    });

    beforeAll(async () => {
      subject = await makeSubject();
    }, timeout);

    afterAll(async () => {
      await subject?.dispose?.();
    }, timeout);

    it('declares a known hypervisor type and the host.connect capability', () => {
      expect(HYPERVISOR_TYPES).toContain(subject.driver.hypervisorType);
      expect(subject.driver.capabilities.has('host.connect')).toBe(true);
      if (subject.driver.capabilities.has('host.release')) expect(typeof subject.driver.releaseHost).toBe('function');
    });

    it('connects a host and reports its identity, CPU, memory, version and VMs', async () => {
      const answer = await subject.driver.connectHost(request(subject.host));
      expect(answer.guid).toMatch(/\S/);
      expect(answer.name).toMatch(/\S/);
      expect(answer.ipAddress).toMatch(/\S/);
      expect(Number.isInteger(answer.cpuSockets) && answer.cpuSockets >= 1).toBe(true);
      expect(Number.isInteger(answer.cpuCores) && answer.cpuCores >= answer.cpuSockets).toBe(true);
      expect(answer.cpuSpeedMhz).toBeGreaterThan(0);
      expect(answer.memoryBytes).toBeGreaterThan(0);
      expect(answer.hypervisorVersion).toMatch(/\S/);
      expect(Array.isArray(answer.vms)).toBe(true);
      expect(answer.vms.filter((vm) => vm.powerState === 'Running')).toEqual([]);
      expect(JSON.parse(JSON.stringify(answer))).toEqual(answer);
    }, timeout);

    it('is idempotent: connecting again reports the same host', async () => {
      const first = await subject.driver.connectHost(request(subject.host));
      const second = await subject.driver.connectHost(request(subject.host));
      expect(second.guid).toBe(first.guid);
      expect(second.cpuCores).toBe(first.cpuCores);
      expect(second.memoryBytes).toBe(first.memoryBytes);
    }, timeout);

    it('refuses a host that does not answer', async () => {
      const error = await subject.driver.connectHost({ ...request(subject.host), url: subject.unreachableUrl }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(Error);
    }, timeout);

    it('refuses a wrong password', async (context) => {
      if (subject.wrongPassword === undefined) return context.skip();
      const error = await subject.driver.connectHost(request(subject.host, subject.wrongPassword)).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(Error);
    }, timeout);

    it('reports VMs already running on a host', async (context) => {
      const busy = subject.busyHost;
      if (busy === undefined) return context.skip();
      const answer = await subject.driver.connectHost(request(busy));
      expect(answer.vms).toContainEqual({ name: busy.runningVm, powerState: 'Running' });
    }, timeout);

    it('releases a host idempotently when it declares host.release', async (context) => {
      if (!subject.driver.capabilities.has('host.release') || subject.driver.releaseHost === undefined) return context.skip();
      const answer = await subject.driver.connectHost(request(subject.host));
      await subject.driver.releaseHost({ url: subject.host.url, guid: answer.guid });
      await expect(subject.driver.releaseHost({ url: subject.host.url, guid: answer.guid })).resolves.toBeUndefined();
      const again = await subject.driver.connectHost(request(subject.host));
      expect(again.guid).toBe(answer.guid);
    }, timeout);
  });

  describeVmCalls(name, makeSubject, timeout);
}

/**
 * The VM part of the suite: start from a full spec (idempotent), report states, reboot, stop
 * clean and forced (idempotent, also for an unknown VM), destroy (idempotent); every call
 * checks its capability is declared and that answers are plain data.
 */
function describeVmCalls(name: string, makeSubject: () => Promise<HypervisorDriverUnderTest>, timeout: number): void {
  describe(`HypervisorDriver conformance (VMs): ${name}`, () => {
    let subject: HypervisorDriverUnderTest;
    let host: HostAddress;
    const vmName = 'i-2-9999-VM';

    beforeAll(async () => {
      subject = await makeSubject();
      const answer = await subject.driver.connectHost({
        url: subject.host.url,
        username: subject.host.username,
        password: subject.host.password,
        hypervisorType: subject.driver.hypervisorType,
        clusterName: subject.clusterName ?? 'cluster1',
        ...(subject.vcenter === undefined ? {} : { vcenter: subject.vcenter }),
      });
      host = { url: subject.host.url, guid: answer.guid };
    }, timeout);

    afterAll(async () => {
      if (subject?.vmSpec !== undefined && subject.driver.destroyVm !== undefined) await subject.driver.destroyVm({ host, vmName }).catch(() => undefined);
      await subject?.dispose?.();
    }, timeout);

    const ready = (): boolean => subject.vmSpec !== undefined && subject.driver.capabilities.has('vm.start') && subject.driver.startVm !== undefined;

    it('declares a method for every VM capability it declares', () => {
      const methods = { 'vm.start': subject.driver.startVm, 'vm.stop': subject.driver.stopVm, 'vm.reboot': subject.driver.rebootVm, 'vm.destroy': subject.driver.destroyVm, 'vm.states': subject.driver.listVmStates };
      for (const [capability, method] of Object.entries(methods)) {
        expect(subject.driver.capabilities.has(capability) ? typeof method : 'undeclared').toBe(subject.driver.capabilities.has(capability) ? 'function' : 'undeclared');
      }
    });

    it('starts a VM from its spec, idempotently, and reports it running', async (context) => {
      if (!ready() || subject.vmSpec === undefined || subject.driver.startVm === undefined) return context.skip();
      const spec = subject.vmSpec(vmName);
      const first = await subject.driver.startVm({ host, spec });
      expect(first).toEqual({ name: vmName, powerState: 'Running' });
      expect(JSON.parse(JSON.stringify(first))).toEqual(first);
      const again = await subject.driver.startVm({ host, spec });
      expect(again.powerState).toBe('Running');
      if (subject.driver.listVmStates !== undefined) {
        const states = await subject.driver.listVmStates(host);
        expect(states.filter((vm) => vm.name === vmName)).toEqual([{ name: vmName, powerState: 'Running' }]);
      }
    }, timeout);

    it('reboots a running VM', async (context) => {
      if (!ready() || subject.driver.rebootVm === undefined || !subject.driver.capabilities.has('vm.reboot')) return context.skip();
      await expect(subject.driver.rebootVm({ host, vmName })).resolves.toBeUndefined();
      if (subject.driver.listVmStates !== undefined) expect((await subject.driver.listVmStates(host)).find((vm) => vm.name === vmName)?.powerState).toBe('Running');
    }, timeout);

    it('stops a VM cleanly, then forced, idempotently; stopping an unknown VM succeeds', async (context) => {
      if (!ready() || subject.driver.stopVm === undefined || !subject.driver.capabilities.has('vm.stop')) return context.skip();
      await subject.driver.stopVm({ host, vmName, mode: 'clean' });
      await subject.driver.stopVm({ host, vmName, mode: 'forced' });
      if (subject.driver.listVmStates !== undefined) {
        const state = (await subject.driver.listVmStates(host)).find((vm) => vm.name === vmName)?.powerState;
        expect(state === undefined || state === 'Stopped').toBe(true);
      }
      await expect(subject.driver.stopVm({ host, vmName: `${vmName}-unknown`, mode: 'forced' })).resolves.toBeUndefined();
    }, timeout);

    it('refuses to reboot a stopped VM', async (context) => {
      if (!ready() || subject.driver.rebootVm === undefined || !subject.driver.capabilities.has('vm.reboot')) return context.skip();
      const error = await subject.driver.rebootVm({ host, vmName }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(Error);
    }, timeout);

    it('destroys a VM idempotently; it is no longer reported', async (context) => {
      if (!ready() || subject.driver.destroyVm === undefined || !subject.driver.capabilities.has('vm.destroy')) return context.skip();
      await subject.driver.destroyVm({ host, vmName });
      await expect(subject.driver.destroyVm({ host, vmName })).resolves.toBeUndefined();
      if (subject.driver.listVmStates !== undefined) expect((await subject.driver.listVmStates(host)).map((vm) => vm.name)).not.toContain(vmName);
    }, timeout);
  });
}
