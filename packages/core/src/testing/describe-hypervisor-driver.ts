import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HYPERVISOR_TYPES, type HostAddress, type HostConnectRequest, type HypervisorDriver, type VCenterEndpoint, type VmDiskSpec, type VmSpec } from '../contracts/hypervisor.js';

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
  /** A password the host refuses; needed unless `credentials` is not covered. */
  readonly wrongPassword?: string;
  /** A host with a VM running, and that VM's name; needed unless `busyHost` is not covered. */
  readonly busyHost?: HostUnderTest & { readonly runningVm: string };
  /** The cluster name to present (vSphere: the cluster in vCenter). `cluster1` by default. */
  readonly clusterName?: string;
  /** The vCenter, for vSphere drivers. */
  readonly vcenter?: VCenterEndpoint;
  /**
   * A VM spec the host can run, named `name` (disks on a pool the host mounts). The `vm` part
   * needs it (and the `vm.*` capabilities) unless listed in `notCovered`.
   */
  readonly vmSpec?: (name: string) => VmSpec;
  /**
   * A second reachable host of the same cluster that can run `vmSpec`; the `migration` part
   * needs it (and `vm.migrate`) unless listed in `notCovered`.
   */
  readonly migrationTarget?: HostUnderTest;
  /**
   * A data disk (device 1 or above, on a pool the host mounts) that can be plugged into the VM
   * `vmName`; the `volumes` part needs it (and `volume.attach`/`volume.detach`) unless listed in `notCovered`.
   */
  readonly dataDisk?: (vmName: string) => VmDiskSpec;
  /** Releases whatever the subject made. */
  readonly dispose?: () => Promise<void>;
}

/**
 * Optional parts of the contract. Every part runs unless the driver's test lists it in
 * `notCovered`; a part that runs fails (never skips) when the subject lacks what it needs, so
 * a CI that refuses skipped tests sees exactly what a driver proves.
 */
export type HypervisorCase =
  /** A wrong password is refused (needs `wrongPassword`). */
  | 'credentials'
  /** VMs already running on a host are reported (needs `busyHost`). */
  | 'busyHost'
  /** `releaseHost` is idempotent (needs `host.release`). */
  | 'release'
  /** Start, reboot, stop, destroy and VM states (needs `vmSpec` and the `vm.*` capabilities). */
  | 'vm'
  /** Live migration (needs `vm.migrate` and `migrationTarget`). */
  | 'migration'
  /** Disk hot-plug (needs `volume.attach`, `volume.detach` and `dataDisk`). */
  | 'volumes';

/** Options of {@link describeHypervisorDriver}. */
export interface DescribeHypervisorDriverOptions {
  /** Per-test timeout in ms for calls that reach a real endpoint (20,000 by default). */
  readonly timeoutMs?: number;
  /** Parts of the contract this driver's test does not exercise; their cases are not registered. */
  readonly notCovered?: readonly HypervisorCase[];
}

/** Registers a case of an optional part unless the driver's test said it does not cover that part. */
type CaseRegistrar = (part: HypervisorCase, title: string, fn: () => Promise<void>, ms?: number) => void;

function caseRegistrar(notCovered: readonly HypervisorCase[]): CaseRegistrar {
  return (part, title, fn, ms) => {
    if (!notCovered.includes(part)) it(`${title} [${part}]`, fn, ms);
  };
}

/** Fails a covered case whose inputs or capabilities are missing, naming how to opt out. */
function missingForCase(): never {
  throw new Error('The subject lacks what this part of the contract needs: provide it, or list the part in notCovered');
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
  const itCase = caseRegistrar(options.notCovered ?? []);
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

    itCase('credentials', 'refuses a wrong password', async () => {
      if (subject.wrongPassword === undefined) return missingForCase();
      const error = await subject.driver.connectHost(request(subject.host, subject.wrongPassword)).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(Error);
    }, timeout);

    itCase('busyHost', 'reports VMs already running on a host', async () => {
      const busy = subject.busyHost;
      if (busy === undefined) return missingForCase();
      const answer = await subject.driver.connectHost(request(busy));
      expect(answer.vms).toContainEqual({ name: busy.runningVm, powerState: 'Running' });
    }, timeout);

    itCase('release', 'releases a host idempotently when it declares host.release', async () => {
      if (!subject.driver.capabilities.has('host.release') || subject.driver.releaseHost === undefined) return missingForCase();
      const answer = await subject.driver.connectHost(request(subject.host));
      await subject.driver.releaseHost({ url: subject.host.url, guid: answer.guid });
      await expect(subject.driver.releaseHost({ url: subject.host.url, guid: answer.guid })).resolves.toBeUndefined();
      const again = await subject.driver.connectHost(request(subject.host));
      expect(again.guid).toBe(answer.guid);
    }, timeout);
  });

  // A part the driver's test does not cover builds no subject for it at all.
  const notCovered = options.notCovered ?? [];
  if (!notCovered.includes('vm')) describeVmCalls(name, makeSubject, timeout, itCase);
  if (!notCovered.includes('migration') || !notCovered.includes('volumes')) describeVmMoves(name, makeSubject, timeout, itCase);
}

/**
 * The VM part of the suite: start from a full spec (idempotent), report states, reboot, stop
 * clean and forced (idempotent, also for an unknown VM), destroy (idempotent); every call
 * checks its capability is declared and that answers are plain data.
 */
function describeVmCalls(name: string, makeSubject: () => Promise<HypervisorDriverUnderTest>, timeout: number, itCase: CaseRegistrar): void {
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

    itCase('vm', 'starts a VM from its spec, idempotently, and reports it running', async () => {
      if (!ready() || subject.vmSpec === undefined || subject.driver.startVm === undefined) return missingForCase();
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

    itCase('vm', 'reboots a running VM', async () => {
      if (!ready() || subject.driver.rebootVm === undefined || !subject.driver.capabilities.has('vm.reboot')) return missingForCase();
      await expect(subject.driver.rebootVm({ host, vmName })).resolves.toBeUndefined();
      if (subject.driver.listVmStates !== undefined) expect((await subject.driver.listVmStates(host)).find((vm) => vm.name === vmName)?.powerState).toBe('Running');
    }, timeout);

    itCase('vm', 'stops a VM cleanly, then forced, idempotently; stopping an unknown VM succeeds', async () => {
      if (!ready() || subject.driver.stopVm === undefined || !subject.driver.capabilities.has('vm.stop')) return missingForCase();
      await subject.driver.stopVm({ host, vmName, mode: 'clean' });
      await subject.driver.stopVm({ host, vmName, mode: 'forced' });
      if (subject.driver.listVmStates !== undefined) {
        const state = (await subject.driver.listVmStates(host)).find((vm) => vm.name === vmName)?.powerState;
        expect(state === undefined || state === 'Stopped').toBe(true);
      }
      await expect(subject.driver.stopVm({ host, vmName: `${vmName}-unknown`, mode: 'forced' })).resolves.toBeUndefined();
    }, timeout);

    itCase('vm', 'refuses to reboot a stopped VM', async () => {
      if (!ready() || subject.driver.rebootVm === undefined || !subject.driver.capabilities.has('vm.reboot')) return missingForCase();
      const error = await subject.driver.rebootVm({ host, vmName }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(Error);
    }, timeout);

    itCase('vm', 'destroys a VM idempotently; it is no longer reported', async () => {
      if (!ready() || subject.driver.destroyVm === undefined || !subject.driver.capabilities.has('vm.destroy')) return missingForCase();
      await subject.driver.destroyVm({ host, vmName });
      await expect(subject.driver.destroyVm({ host, vmName })).resolves.toBeUndefined();
      if (subject.driver.listVmStates !== undefined) expect((await subject.driver.listVmStates(host)).map((vm) => vm.name)).not.toContain(vmName);
    }, timeout);
  });
}

/** Connects the subject's host at `target` and returns its address. */
async function connect(subject: HypervisorDriverUnderTest, target: HostUnderTest): Promise<HostAddress> {
  const answer = await subject.driver.connectHost({
    url: target.url,
    username: target.username,
    password: target.password,
    hypervisorType: subject.driver.hypervisorType,
    clusterName: subject.clusterName ?? 'cluster1',
    ...(subject.vcenter === undefined ? {} : { vcenter: subject.vcenter }),
  });
  return { url: target.url, guid: answer.guid };
}

/** The power state `driver` reports for `vmName` on `host`; undefined when it is not there or the driver cannot say. */
async function powerStateOn(driver: HypervisorDriver, host: HostAddress, vmName: string): Promise<string | undefined> {
  if (driver.listVmStates === undefined || !driver.capabilities.has('vm.states')) return undefined;
  return (await driver.listVmStates(host)).find((vm) => vm.name === vmName)?.powerState;
}

/**
 * The moving parts of the suite, each run only when the driver declares its capability and the
 * subject gives what it needs: `vm.migrate` (a refused migration leaves the VM running on the
 * source; a live migration moves it to the target; migrating again is a no-op) and
 * `volume.attach`/`volume.detach` (hot-plugging a data disk into a running VM and out again,
 * each idempotent).
 */
function describeVmMoves(name: string, makeSubject: () => Promise<HypervisorDriverUnderTest>, timeout: number, itCase: CaseRegistrar): void {
  describe(`HypervisorDriver conformance (migration and volumes): ${name}`, () => {
    let subject: HypervisorDriverUnderTest;
    let host: HostAddress;
    const started: { vmName: string; host: HostAddress }[] = [];

    beforeAll(async () => {
      subject = await makeSubject();
      host = await connect(subject, subject.host);
    }, timeout);

    afterAll(async () => {
      if (subject?.driver.destroyVm !== undefined) {
        for (const vm of started) await subject.driver.destroyVm({ host: vm.host, vmName: vm.vmName }).catch(() => undefined);
      }
      await subject?.dispose?.();
    }, timeout);

    const canStart = (): boolean => subject.vmSpec !== undefined && subject.driver.capabilities.has('vm.start') && subject.driver.startVm !== undefined;

    /** Starts `vmName` on `on` from the subject's spec and remembers it for clean-up. */
    const start = async (vmName: string, on: HostAddress): Promise<void> => {
      if (subject.vmSpec === undefined || subject.driver.startVm === undefined) throw new Error('the subject cannot start VMs');
      await subject.driver.startVm({ host: on, spec: subject.vmSpec(vmName) });
      started.push({ vmName, host: on });
    };

    it('declares a method for vm.migrate and each volume capability it declares', () => {
      const methods = { 'vm.migrate': subject.driver.migrateVm, 'volume.attach': subject.driver.attachVolume, 'volume.detach': subject.driver.detachVolume };
      for (const [capability, method] of Object.entries(methods)) {
        const declared = (subject.driver.capabilities as ReadonlySet<string>).has(capability);
        expect(declared ? typeof method : 'undeclared').toBe(declared ? 'function' : 'undeclared');
      }
    });

    itCase('migration', 'refuses to migrate a VM to a host that does not answer, leaving it running on its host', async () => {
      const migrate = subject.driver.migrateVm;
      if (!canStart() || migrate === undefined || !subject.driver.capabilities.has('vm.migrate') || subject.migrationTarget === undefined) return missingForCase();
      const vmName = 'i-2-9997-VM';
      await start(vmName, host);
      const error = await migrate.call(subject.driver, { host, vmName, target: { url: subject.unreachableUrl } }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(Error);
      const state = await powerStateOn(subject.driver, host, vmName);
      if (state !== undefined) expect(state).toBe('Running');
    }, timeout);

    itCase('migration', 'live-migrates a running VM to another host, idempotently', async () => {
      const migrate = subject.driver.migrateVm;
      const targetHost = subject.migrationTarget;
      if (!canStart() || migrate === undefined || !subject.driver.capabilities.has('vm.migrate') || targetHost === undefined) return missingForCase();
      const target = await connect(subject, targetHost);
      const vmName = 'i-2-9998-VM';
      await start(vmName, host);
      await expect(migrate.call(subject.driver, { host, vmName, target })).resolves.toBeUndefined();
      started.push({ vmName, host: target });
      await expect(migrate.call(subject.driver, { host, vmName, target })).resolves.toBeUndefined();
      if (subject.driver.listVmStates !== undefined && subject.driver.capabilities.has('vm.states')) {
        expect(await powerStateOn(subject.driver, target, vmName)).toBe('Running');
        expect(await powerStateOn(subject.driver, host, vmName)).not.toBe('Running');
      }
    }, timeout);

    itCase('volumes', 'hot-plugs a data disk into a running VM and out again, each call idempotent', async () => {
      const { attachVolume, detachVolume } = subject.driver;
      const capabilities = subject.driver.capabilities as ReadonlySet<string>;
      if (!canStart() || subject.dataDisk === undefined || attachVolume === undefined || !capabilities.has('volume.attach')) return missingForCase();
      const vmName = 'i-2-9996-VM';
      await start(vmName, host);
      const disk = subject.dataDisk(vmName);
      expect(disk.type).toBe('DATADISK');
      expect(disk.deviceId).toBeGreaterThanOrEqual(1);
      await expect(attachVolume.call(subject.driver, { host, vmName, disk })).resolves.toBeUndefined();
      await expect(attachVolume.call(subject.driver, { host, vmName, disk })).resolves.toBeUndefined();
      if (detachVolume === undefined || !capabilities.has('volume.detach')) return;
      await expect(detachVolume.call(subject.driver, { host, vmName, disk })).resolves.toBeUndefined();
      await expect(detachVolume.call(subject.driver, { host, vmName, disk })).resolves.toBeUndefined();
      const state = await powerStateOn(subject.driver, host, vmName);
      if (state !== undefined) expect(state).toBe('Running');
    }, timeout);
  });
}
