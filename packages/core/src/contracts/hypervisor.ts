/** The hypervisor types CloudStack 4.1 manages, plus the in-memory simulator. */
export const HYPERVISOR_TYPES = ['KVM', 'XenServer', 'VMware', 'Simulator'] as const;

/** One of {@link HYPERVISOR_TYPES}. */
export type HypervisorType = (typeof HYPERVISOR_TYPES)[number];

/**
 * Capabilities a hypervisor driver may declare. Core calls only what is declared:
 * `host.connect` is what adding a host needs; `host.release` lets core tell the driver it
 * no longer manages a host it deletes.
 */
export const HYPERVISOR_CAPABILITIES = ['host.connect', 'host.release'] as const;

/** One of {@link HYPERVISOR_CAPABILITIES}, or a capability a later contract adds. */
export type HypervisorCapability = (typeof HYPERVISOR_CAPABILITIES)[number] | (string & {});

/** The vCenter a vSphere cluster is managed through, with its password in the clear (only in memory). */
export interface VCenterEndpoint {
  /** vCenter host name or IP address. */
  readonly host: string;
  /** vCenter user with administrative privileges. */
  readonly username: string;
  /** That user's password. */
  readonly password: string;
  /** The vCenter datacenter the cluster is in. */
  readonly datacenter: string;
}

/** What core asks a driver to connect: a host by URL, with the credentials and cluster context. */
export interface HostConnectRequest {
  /** The host's URL as the admin gave it (`http://10.1.1.5`, `http://sim/host1`). */
  readonly url: string;
  /** The user core logs in as (usually `root`). */
  readonly username: string;
  /** That user's password, opened from the sealed copy just for this call. */
  readonly password: string;
  /** The cluster's hypervisor type. */
  readonly hypervisorType: HypervisorType;
  /** The cluster's name (for vSphere, the name of the cluster in vCenter). */
  readonly clusterName: string;
  /** The cluster's vCenter, for vSphere clusters. */
  readonly vcenter?: VCenterEndpoint;
}

/** A VM the driver found on a host, with its power state. */
export interface ReportedVm {
  /** The VM's name on the hypervisor. */
  readonly name: string;
  /** Its power state. */
  readonly powerState: 'Running' | 'Stopped' | 'Paused' | 'Unknown';
}

/** What a host reported when it was connected (CloudStack's `StartupRoutingCommand`). */
export interface HostConnectAnswer {
  /** A stable, unique identity of the host on its hypervisor (UUID, serial, ...). */
  readonly guid: string;
  /** The host's name as the hypervisor knows it. */
  readonly name: string;
  /** The host's management IP address. */
  readonly ipAddress: string;
  /** CPU sockets. */
  readonly cpuSockets: number;
  /** CPU cores, across all sockets (CloudStack's `cpunumber`). */
  readonly cpuCores: number;
  /** Speed of one core in MHz. */
  readonly cpuSpeedMhz: number;
  /** Memory in bytes. */
  readonly memoryBytes: number;
  /** Hypervisor product version (`6.0.2`, `5.1`, `1.0.2` ...). */
  readonly hypervisorVersion: string;
  /** VMs that exist on the host, with their power states. */
  readonly vms: readonly ReportedVm[];
  /** Free-form host capabilities (`hvm`, `xen-3.0-x86_64` ...). */
  readonly capabilities?: readonly string[];
}

/** What core tells a driver when it stops managing a host. */
export interface HostReleaseRequest {
  /** The host's URL. */
  readonly url: string;
  /** The guid the host reported when it connected. */
  readonly guid: string;
}

/**
 * A hypervisor driver, keyed by the type it manages. Core calls only what a driver declares in
 * `capabilities`; the VM, volume and network operations are added to this contract by the
 * issues that use them. Every input and output is plain serialisable data.
 */
export interface HypervisorDriver {
  /** The hypervisor type this driver manages. */
  readonly hypervisorType: HypervisorType;
  /** What the driver can do; see {@link HYPERVISOR_CAPABILITIES}. */
  readonly capabilities: ReadonlySet<HypervisorCapability>;
  /**
   * Connects to a host, checks the credentials and reports its resources and the VMs on it.
   * Idempotent: connecting an already connected host reports it again. Rejects when the host
   * cannot be reached or refuses the credentials.
   */
  connectHost(request: HostConnectRequest): Promise<HostConnectAnswer>;
  /** Forgets a host (declared by `host.release`). Idempotent. */
  releaseHost?(request: HostReleaseRequest): Promise<void>;
}
