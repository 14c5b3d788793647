/**
 * The KVM hypervisor driver: a host is reached through its libvirt URI, and connecting it reports
 * what CloudStack's `StartupRoutingCommand` carries (CPU, memory, hypervisor version, the VMs
 * already there). VM calls (start, stop, reboot, destroy, states, migrate) and disk hot-plug run
 * over the connection `connectHost` opened (see `kvm-vm-operations.ts`).
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type {
  ApplySecurityGroupRulesRequest,
  HostAddress,
  HostConnectAnswer,
  HostConnectRequest,
  HostReleaseRequest,
  HypervisorCapability,
  HypervisorDriver,
  MigrateVmRequest,
  ReportedVm,
  ResizeVmVolumeRequest,
  StartVmAnswer,
  StartVmRequest,
  StopVmRequest,
  VmOnHost,
  VolumeOnVmRequest,
} from '@cloudstack-sdk/core';
import { KvmVmOperations, readHostFacts, type KvmHostFacts, type KvmVmOperationsOptions } from './kvm-vm-operations.js';
import { KvmPrimaryStorage, type KvmPrimaryStorageOptions } from './kvm-primary-storage.js';
import { connectLibvirt, type ConnectLibvirtOptions } from './libvirt-connect.js';
import { LibvirtError, toCloudError, VirErrorCode } from './libvirt-error.js';
import { powerStateOf } from './power-state.js';
import { parseLibvirtUri } from './libvirt-uri.js';
import { formatLibvirtVersion, type LibvirtProcedures } from './procedures.js';
import { KvmSecurityGroups } from './kvm-security-groups.js';
import { runSshScript, type SshLogin } from './ssh-command-runner.js';

/** Options of a {@link KvmHypervisorDriver}. */
export interface KvmHypervisorDriverOptions {
  /** Client timings and limits for every host connection. */
  client?: Pick<ConnectLibvirtOptions, 'callTimeoutMs' | 'connectTimeoutMs' | 'keepaliveIntervalMs' | 'keepaliveCount' | 'helperCommand'>;
  /** Known SSH host-key fingerprints by host name or address; a host listed here must present that key. */
  hostKeyFingerprints?: Readonly<Record<string, string>>;
  /**
   * How VMs are wired, stored and stopped: `bridgeType` is the hosts' `network.bridge.type`
   * (`native` by default; see `bridge-naming.ts`), plus default bridges, physical interfaces,
   * disk format and bus, where NFS pools are mounted, where templates are read from, and the
   * clean-stop bound.
   */
  vm?: KvmVmOperationsOptions;
  /**
   * The libvirt URI a source host uses to reach a migration target whose URL is not itself a
   * libvirt URI; `qemu+tcp://<target host>/system` by default (CloudStack's KVM migration URI).
   */
  migrationUri?: (target: HostAddress) => string;
  /** How long a host may take to run the security group commands over SSH; 60 s by default. */
  hostScriptTimeoutMs?: number;
}

interface HostConnection {
  credentials: string;
  libvirt: LibvirtProcedures;
  facts?: KvmHostFacts;
  /** How to log in to the host's shell, for hosts reached over SSH (absent over TCP). */
  sshLogin?: SshLogin;
  /** Whether the host is libvirt's test driver (`test+tcp://`, `test+ssh://`): no host commands run. */
  testHost: boolean;
}

/** The capabilities {@link KvmHypervisorDriver} declares. */
export const KVM_DRIVER_CAPABILITIES: readonly HypervisorCapability[] = [
  'host.connect',
  'host.release',
  'vm.start',
  'vm.stop',
  'vm.reboot',
  'vm.destroy',
  'vm.states',
  'vm.migrate',
  'volume.attach',
  'volume.detach',
  'volume.resize',
  'securitygroup.apply',
];

/**
 * The libvirt URI for a host URL as an admin gives it: a libvirt URI is used as is
 * (`qemu+ssh://10.1.1.5/system`, `qemu+tcp://10.1.1.5/system`, `test+tcp://127.0.0.1/default`);
 * a CloudStack-style `http://10.1.1.5` or a bare address means `qemu+ssh://<user>@10.1.1.5/system`.
 */
export function libvirtUriForHost(url: string, username: string): string {
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(url)?.[1]?.toLowerCase();
  if (scheme !== undefined && scheme.includes('+')) return url;
  const host = scheme === undefined ? url.replace(/\/.*$/, '') : new URL(url).host;
  return `qemu+ssh://${encodeURIComponent(username)}@${host}/system`;
}

/** A UUID-shaped identity for hosts whose capabilities carry none (libvirt's test driver). */
function derivedUuid(seed: string): string {
  const hex = createHash('sha256').update(seed).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** Guest OS types and domain types the capabilities XML offers (`hvm`, `domain:kvm`, ...). */
function capabilitiesOf(xml: string): string[] {
  const found = new Set<string>();
  for (const match of xml.matchAll(/<os_type>([^<]+)<\/os_type>/g)) if (match[1] !== undefined) found.add(match[1].trim());
  for (const match of xml.matchAll(/<domain type=['"]([^'"]+)['"]/g)) if (match[1] !== undefined) found.add(`domain:${match[1]}`);
  return [...found].sort();
}

/**
 * The libvirt URI a source host migrates to: the target URL itself when it is a libvirt URI
 * (`qemu+tcp://10.1.1.6/system`, `test+tcp://…`), else `qemu+tcp://<target host>/system`.
 */
export function defaultMigrationUri(target: HostAddress): string {
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(target.url)?.[1]?.toLowerCase();
  if (scheme !== undefined && scheme.includes('+')) return target.url;
  const host = scheme === undefined ? target.url.replace(/\/.*$/, '') : new URL(target.url).hostname;
  return `qemu+tcp://${host}/system`;
}

/** KVM hosts through libvirt: one held connection per host, reused across calls. */
export class KvmHypervisorDriver implements HypervisorDriver {
  /** @inheritDoc */
  readonly hypervisorType = 'KVM' as const;
  /** @inheritDoc */
  readonly capabilities: ReadonlySet<HypervisorCapability> = new Set<HypervisorCapability>(KVM_DRIVER_CAPABILITIES);

  private readonly connections = new Map<string, HostConnection>();
  private readonly vms: KvmVmOperations;
  private readonly securityGroups = new KvmSecurityGroups();

  /** @param options - client timings, known host keys, VM wiring and migration URIs. */
  constructor(private readonly options: KvmHypervisorDriverOptions = {}) {
    this.vms = new KvmVmOperations(options.vm);
  }

  /** @inheritDoc */
  async connectHost(request: HostConnectRequest): Promise<HostConnectAnswer> {
    const context = `Cannot connect KVM host ${request.url}`;
    try {
      const uri = libvirtUriForHost(request.url, request.username);
      const parsed = parseLibvirtUri(uri);
      const libvirt = await this.connectionFor(request.url, uri, request);
      const [hostname, node, version, capabilitiesXml, domains] = await Promise.all([
        libvirt.connectGetHostname(),
        libvirt.nodeGetInfo(),
        libvirt.connectGetVersion(),
        libvirt.connectGetCapabilities(),
        libvirt.connectListDomainsWithState(),
      ]);
      const hostUuid = /<host>[\s\S]*?<uuid>([^<]+)<\/uuid>/.exec(capabilitiesXml)?.[1] ?? derivedUuid(`${parsed.remoteUri}@${parsed.host}/${hostname}`);
      return {
        guid: `${hostUuid}-LibvirtComputingResource`,
        name: hostname,
        ipAddress: parsed.host,
        cpuSockets: Math.max(1, node.nodes * node.sockets),
        cpuCores: node.cpus,
        cpuSpeedMhz: node.mhz,
        memoryBytes: node.memoryKiB * 1024,
        hypervisorVersion: formatLibvirtVersion(version),
        vms: domains.map((d) => ({ name: d.domain.name, powerState: powerStateOf(d.state) })),
        capabilities: capabilitiesOf(capabilitiesXml),
      };
    } catch (error) {
      throw toCloudError(error, context);
    }
  }

  /** @inheritDoc */
  async releaseHost(request: HostReleaseRequest): Promise<void> {
    const connection = this.connections.get(request.url);
    if (connection === undefined) return;
    this.connections.delete(request.url);
    this.securityGroups.forgetHost(request.url);
    await connection.libvirt.close();
  }

  /** @inheritDoc */
  startVm(request: StartVmRequest): Promise<StartVmAnswer> {
    return this.onHost(request.host, `Cannot start VM ${request.spec.name}`, async (connection) =>
      this.vms.start(connection.libvirt, await this.factsOf(connection), request.spec),
    );
  }

  /** @inheritDoc */
  stopVm(request: StopVmRequest): Promise<void> {
    return this.onHost(request.host, `Cannot stop VM ${request.vmName}`, (c) => this.vms.stop(c.libvirt, request.vmName, request.mode));
  }

  /** @inheritDoc */
  rebootVm(request: VmOnHost): Promise<void> {
    return this.onHost(request.host, `Cannot reboot VM ${request.vmName}`, (c) => this.vms.reboot(c.libvirt, request.vmName));
  }

  /** @inheritDoc */
  destroyVm(request: VmOnHost): Promise<void> {
    return this.onHost(request.host, `Cannot destroy VM ${request.vmName}`, (c) => this.vms.destroy(c.libvirt, request.vmName));
  }

  /** @inheritDoc */
  listVmStates(host: HostAddress): Promise<readonly ReportedVm[]> {
    return this.onHost(host, `Cannot list VMs of ${host.url}`, (c) => this.vms.states(c.libvirt));
  }

  /**
   * @inheritDoc
   * Peer to peer: the source host's libvirtd connects to the target (see
   * {@link KvmHypervisorDriverOptions.migrationUri}). A VM no longer on the source but running on
   * the target (a connected host) counts as migrated.
   */
  migrateVm(request: MigrateVmRequest): Promise<void> {
    return this.onHost(request.host, `Cannot migrate VM ${request.vmName} to ${request.target.url}`, async (source) => {
      if ((await this.vms.find(source.libvirt, request.vmName)) === undefined) {
        const target = this.connections.get(request.target.url);
        const there = target === undefined ? undefined : (await this.vms.states(target.libvirt)).find((vm) => vm.name === request.vmName);
        if (there?.powerState === 'Running') return;
      }
      await this.vms.migrate(source.libvirt, request.vmName, (this.options.migrationUri ?? defaultMigrationUri)(request.target));
    });
  }

  /** @inheritDoc */
  attachVolume(request: VolumeOnVmRequest): Promise<void> {
    return this.onHost(request.host, `Cannot attach volume ${request.disk.volumeId} to VM ${request.vmName}`, (c) =>
      this.vms.attachDisk(c.libvirt, request.vmName, request.disk),
    );
  }

  /** @inheritDoc */
  detachVolume(request: VolumeOnVmRequest): Promise<void> {
    return this.onHost(request.host, `Cannot detach volume ${request.disk.volumeId} from VM ${request.vmName}`, (c) =>
      this.vms.detachDisk(c.libvirt, request.vmName, request.disk),
    );
  }

  /** @inheritDoc */
  resizeVolume(request: ResizeVmVolumeRequest): Promise<void> {
    return this.onHost(request.host, `Cannot resize volume ${request.disk.volumeId} of VM ${request.vmName}`, (c) =>
      this.vms.resizeDisk(c.libvirt, request.vmName, request.disk, request.newSizeBytes),
    );
  }

  /**
   * @inheritDoc
   * Renders the set into the iptables/ebtables commands of CloudStack's `security_group.py`
   * (see `renderSecurityGroupRules`) for the VM's NIC (the one with `macAddress`, else its
   * first) and runs them on the host over SSH (`sh -e`, the same login as the libvirt
   * connection). On a libvirt test-driver host nothing runs: the commands are kept for
   * {@link securityGroupRulesOf}. A host reached over plain TCP has no shell to run them in and
   * is refused (CloudError 432). A set older than the one in force is ignored.
   */
  applySecurityGroupRules(request: ApplySecurityGroupRulesRequest): Promise<void> {
    return this.onHost(request.host, `Cannot apply security group rules to VM ${request.vmName}`, async (c) => {
      const login = c.sshLogin;
      if (!c.testHost && login === undefined) {
        throw LibvirtError.client(VirErrorCode.VIR_ERR_NO_SUPPORT, `KVM host ${request.host.url} is reached over TCP: no shell to program iptables/ebtables in (connect it over SSH)`);
      }
      await this.securityGroups.apply(c.libvirt, request.host.url, request, async (commands) => {
        if (c.testHost || login === undefined) return;
        await runSshScript(login, commands.join('\n'), this.options.hostScriptTimeoutMs ?? 60_000);
      });
    });
  }

  /**
   * The commands last rendered for a VM's security group rules on a host (kept for every host,
   * run only on real SSH hosts), or undefined when none were applied. For inspection (tests, tools).
   */
  securityGroupRulesOf(hostUrl: string, vmName: string): readonly string[] | undefined {
    return this.securityGroups.rulesOf(hostUrl, vmName)?.commands;
  }

  /**
   * The primary-storage driver for KVM clusters that works through this driver's host
   * connections, with the same pool layout (NFS mount parent, disk format) as the VM calls.
   * @param options - how live snapshots are waited for.
   */
  primaryStorage(options: Pick<KvmPrimaryStorageOptions, 'liveBackup'> = {}): KvmPrimaryStorage {
    return new KvmPrimaryStorage(this, { ...this.options.vm, ...options });
  }

  /**
   * The libvirt connection this driver holds for a connected host, for callers that need more
   * than the contract (tests, tools). Rejects with CloudError 534 when the host is not connected.
   */
  async libvirtFor(host: HostAddress): Promise<LibvirtProcedures> {
    return this.onHost(host, `Cannot reach KVM host ${host.url}`, async (c) => c.libvirt);
  }

  /** Closes every host connection. */
  async close(): Promise<void> {
    const all = [...this.connections.values()];
    this.connections.clear();
    await Promise.all(all.map((c) => c.libvirt.close()));
  }

  /** Runs `fn` on the host's held connection; every failure becomes a CloudError with `context`. */
  private async onHost<T>(host: HostAddress, context: string, fn: (connection: HostConnection) => Promise<T>): Promise<T> {
    try {
      const connection = this.connections.get(host.url);
      if (connection === undefined) {
        // VM calls carry no credentials: they use the connection connectHost opened.
        throw LibvirtError.client(VirErrorCode.VIR_ERR_NO_CONNECT, `KVM host ${host.url} is not connected (connect it first)`);
      }
      return await fn(connection);
    } catch (error) {
      throw toCloudError(error, context);
    }
  }

  /** The host's domain type and CPU speed, read once per connection. */
  private async factsOf(connection: HostConnection): Promise<KvmHostFacts> {
    connection.facts ??= await readHostFacts(connection.libvirt);
    return connection.facts;
  }

  /**
   * The held connection for a host, opened anew when there is none or the credentials changed
   * (so a wrong password is refused even while an older connection is still open).
   */
  private async connectionFor(url: string, uri: string, request: HostConnectRequest): Promise<LibvirtProcedures> {
    const credentials = createHash('sha256').update(`${request.username}\0${request.password}`).digest('hex');
    const existing = this.connections.get(url);
    if (existing !== undefined && existing.credentials === credentials) return existing.libvirt;
    const parsed = parseLibvirtUri(uri);
    const fingerprint = this.options.hostKeyFingerprints?.[parsed.host];
    const libvirt = await connectLibvirt(uri, {
      ...this.options.client,
      username: request.username,
      password: request.password,
      ...(fingerprint === undefined ? {} : { hostKeyFingerprint: fingerprint }),
    });
    const sshLogin: SshLogin | undefined =
      parsed.transport === 'tcp'
        ? undefined
        : {
            host: parsed.host,
            port: parsed.port,
            username: parsed.username ?? request.username,
            password: request.password,
            ...(parsed.clientParams['keyfile'] === undefined ? {} : { privateKey: readFileSync(parsed.clientParams['keyfile']) }),
            ...(fingerprint === undefined ? {} : { hostKeyFingerprint: fingerprint }),
          };
    this.connections.set(url, { credentials, libvirt, testHost: parsed.driver === 'test', ...(sshLogin === undefined ? {} : { sshLogin }) });
    if (existing !== undefined) await existing.libvirt.close();
    return libvirt;
  }
}
