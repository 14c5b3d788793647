/**
 * The KVM hypervisor driver, host-connect part: a host is reached through its libvirt URI, and
 * connecting it reports what CloudStack's `StartupRoutingCommand` carries (CPU, memory,
 * hypervisor version, the VMs already there). VM, volume and network operations join when core's
 * contract gains them.
 */
import { createHash } from 'node:crypto';
import type {
  HostConnectAnswer,
  HostConnectRequest,
  HostReleaseRequest,
  HypervisorCapability,
  HypervisorDriver,
  ReportedVm,
} from '@cloudstack-sdk/core';
import { DomainState } from './libvirt-constants.js';
import { connectLibvirt, type ConnectLibvirtOptions } from './libvirt-connect.js';
import { toCloudError } from './libvirt-error.js';
import { parseLibvirtUri } from './libvirt-uri.js';
import { formatLibvirtVersion, type LibvirtProcedures } from './procedures.js';

/** Options of a {@link KvmHypervisorDriver}. */
export interface KvmHypervisorDriverOptions {
  /** Client timings and limits for every host connection. */
  client?: Pick<ConnectLibvirtOptions, 'callTimeoutMs' | 'connectTimeoutMs' | 'keepaliveIntervalMs' | 'keepaliveCount' | 'helperCommand'>;
  /** Known SSH host-key fingerprints by host name or address; a host listed here must present that key. */
  hostKeyFingerprints?: Readonly<Record<string, string>>;
}

interface HostConnection {
  credentials: string;
  libvirt: LibvirtProcedures;
}

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

function powerState(state: number): ReportedVm['powerState'] {
  switch (state) {
    case DomainState.RUNNING:
    case DomainState.BLOCKED:
    case DomainState.SHUTDOWN:
      return 'Running';
    case DomainState.PAUSED:
    case DomainState.PMSUSPENDED:
      return 'Paused';
    case DomainState.SHUTOFF:
    case DomainState.CRASHED:
      return 'Stopped';
    default:
      return 'Unknown';
  }
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

/** KVM hosts through libvirt: one held connection per host, reused across calls. */
export class KvmHypervisorDriver implements HypervisorDriver {
  /** @inheritDoc */
  readonly hypervisorType = 'KVM' as const;
  /** @inheritDoc */
  readonly capabilities: ReadonlySet<HypervisorCapability> = new Set<HypervisorCapability>(['host.connect', 'host.release']);

  private readonly connections = new Map<string, HostConnection>();

  /** @param options - client timings and known host keys. */
  constructor(private readonly options: KvmHypervisorDriverOptions = {}) {}

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
        vms: domains.map((d) => ({ name: d.domain.name, powerState: powerState(d.state) })),
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
    await connection.libvirt.close();
  }

  /** Closes every host connection. */
  async close(): Promise<void> {
    const all = [...this.connections.values()];
    this.connections.clear();
    await Promise.all(all.map((c) => c.libvirt.close()));
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
    this.connections.set(url, { credentials, libvirt });
    if (existing !== undefined) await existing.libvirt.close();
    return libvirt;
  }
}
