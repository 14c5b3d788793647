import type { RouterConfigurator } from './router-configurator.js';
import type { ApplySecurityGroupRulesRequest } from './security-group-rules.js';
/** The hypervisor types CloudStack 4.1 manages, plus the in-memory simulator. */
export const HYPERVISOR_TYPES = ['KVM', 'XenServer', 'VMware', 'Simulator'] as const;

/** One of {@link HYPERVISOR_TYPES}. */
export type HypervisorType = (typeof HYPERVISOR_TYPES)[number];

/**
 * Capabilities a hypervisor driver may declare. Core calls only what is declared:
 * `host.connect` is what adding a host needs; `host.release` lets core tell the driver it
 * no longer manages a host it deletes; `vm.start`, `vm.stop`, `vm.reboot`, `vm.destroy` and
 * `vm.states` are the VM calls of the same names (`vm.states` is `listVmStates`); `vm.migrate`
 * is `migrateVm` (live migration within a cluster).
 */
export const HYPERVISOR_CAPABILITIES = ['host.connect', 'host.release', 'vm.start', 'vm.stop', 'vm.reboot', 'vm.destroy', 'vm.states', 'vm.migrate'] as const;

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

/** Where a host is, as a VM call addresses it: its URL and the guid it reported when it connected. */
export interface HostAddress {
  /** The host's URL (`http://sim/h1`, `http://10.1.1.5`). */
  readonly url: string;
  /** The guid the host reported when it connected. */
  readonly guid?: string;
}

/** One disk of a VM, on a named primary storage pool. */
export interface VmDiskSpec {
  /** The volume's id in the cloud. */
  readonly volumeId: string;
  /** `ROOT` or `DATADISK`. */
  readonly type: 'ROOT' | 'DATADISK';
  /** Device number (0 for the root disk). */
  readonly deviceId: number;
  /** Size in bytes. */
  readonly sizeBytes: number;
  /** The pool's id in the cloud. */
  readonly poolId: string;
  /** The pool's URL (`nfs://server/path`), which the hypervisor mounts. */
  readonly poolUrl: string;
  /** The template image the root disk is cloned from (its install path on secondary storage). */
  readonly templatePath?: string;
}

/**
 * An ISO attached to a VM as its CD-ROM (CloudStack's ISO `DiskTO` of type `ISO`): the VM boots
 * from it when it was deployed from a bootable ISO (its ROOT disk is then blank), otherwise the
 * guest sees it as a mounted CD. Sent with the spec at start; a driver that cannot attach it
 * boots without the CD-ROM only if it ignores this optional field.
 */
export interface VmIsoSpec {
  /** The ISO's id in the cloud (its template row). */
  readonly templateId: string;
  /** The ISO's name. */
  readonly name: string;
  /** The URL it was registered from. */
  readonly url?: string;
  /** Where its downloaded copy lies on the zone's secondary storage (the store's install path). */
  readonly installPath?: string;
  /**
   * True when the VM was deployed from an ISO (its ROOT disk started blank): it boots from the
   * CD-ROM first, then the ROOT disk. False for an ISO merely attached to a template's VM.
   */
  readonly bootable: boolean;
}

/** One NIC of a VM. */
export interface VmNicSpec {
  /** Device number (0 for the default NIC). */
  readonly deviceId: number;
  /** MAC address, `02:00:xx:xx:xx:xx`. */
  readonly macAddress: string;
  /** IPv4 address. */
  readonly ipAddress: string;
  /** Netmask. */
  readonly netmask: string;
  /** Gateway. */
  readonly gateway: string;
  /** VLAN id, or `untagged`. */
  readonly vlan: string;
  /** Traffic type this NIC carries (`Guest`). */
  readonly trafficType: 'Guest' | 'Public' | 'Management' | 'Control' | 'Storage';
  /** The hypervisor's network label for that traffic (bridge, port group, XenServer network), when the admin set one. */
  readonly trafficLabel?: string;
  /** Whether this is the VM's default NIC. */
  readonly isDefault: boolean;
}

/**
 * Everything a hypervisor needs to run a VM, as plain serialisable data (CloudStack's
 * `VirtualMachineTO`). A driver starting a VM from the same spec twice runs one VM.
 */
export interface VmSpec {
  /** The VM's name on the hypervisor (CloudStack's instance name, `i-<n>-<id>-VM`). */
  readonly name: string;
  /** The VM's id in the cloud. */
  readonly id: string;
  /** Virtual CPUs. */
  readonly cpuNumber: number;
  /** MHz of each virtual CPU. */
  readonly cpuSpeedMhz: number;
  /** Memory in bytes. */
  readonly memoryBytes: number;
  /** Whether CPU use is capped at `cpuSpeedMhz` (the offering's `limitCpuUse`). */
  readonly limitCpuUse: boolean;
  /** Guest OS description, for hypervisors that tune by OS. */
  readonly guestOs?: string;
  /** Disks, root first. */
  readonly disks: readonly VmDiskSpec[];
  /** NICs, default first. */
  readonly nics: readonly VmNicSpec[];
  /** Base64 user data served to the guest, when given. */
  readonly userData?: string;
  /** OpenSSH public key injected into the guest, when given. */
  readonly sshPublicKey?: string;
  /**
   * A new guest password to set at this boot (after `resetPasswordForVirtualMachine` on a
   * password-enabled template), served to the guest once as CloudStack's password server does.
   */
  readonly password?: string;
  /**
   * The ISO attached as the VM's CD-ROM, when one is (deployed from an ISO, or `attachIso`).
   * Changes made while the VM runs reach the host at its next start.
   */
  readonly iso?: VmIsoSpec;
}

/** What a VM call is about: the host and the VM's name on it. */
export interface VmOnHost {
  /** The host the VM runs on. */
  readonly host: HostAddress;
  /** The VM's name on the hypervisor. */
  readonly vmName: string;
}

/** A request to start a VM on a host. */
export interface StartVmRequest {
  /** The host to start it on. */
  readonly host: HostAddress;
  /** The VM. */
  readonly spec: VmSpec;
}

/** What a started VM reports. */
export interface StartVmAnswer {
  /** The VM's name on the hypervisor. */
  readonly name: string;
  /** Its power state after the start (`Running`). */
  readonly powerState: ReportedVm['powerState'];
}

/** A request to stop a VM: `clean` shuts the guest down, `forced` pulls the plug. */
export interface StopVmRequest extends VmOnHost {
  /** `clean` (ACPI shutdown) or `forced` (power off). */
  readonly mode: 'clean' | 'forced';
}

/** A request to live-migrate a VM (`vm.migrate`): from `host` to `target`, in one cluster. */
export interface MigrateVmRequest extends VmOnHost {
  /** The host the VM moves to. */
  readonly target: HostAddress;
}

/**
 * A hypervisor driver, keyed by the type it manages. Core calls only what a driver declares in
 * `capabilities`; the VM, volume and network operations are added to this contract by the
 * issues that use them. Every input and output is plain serialisable data.
 */
export interface HypervisorDriver extends VolumeCapableHypervisor, NicCapableHypervisor, Partial<RouterConfigurator> {
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
  /**
   * Starts a VM from its full spec (declared by `vm.start`). Idempotent: starting a VM that
   * already runs on the host reports it running. Rejects when the host cannot run it.
   */
  startVm?(request: StartVmRequest): Promise<StartVmAnswer>;
  /** Stops a VM (declared by `vm.stop`). Idempotent: stopping a stopped or unknown VM succeeds. */
  stopVm?(request: StopVmRequest): Promise<void>;
  /** Reboots a running VM (declared by `vm.reboot`); rejects when the VM is not running. */
  rebootVm?(request: VmOnHost): Promise<void>;
  /** Removes a VM and its definition from the host (declared by `vm.destroy`). Idempotent. */
  destroyVm?(request: VmOnHost): Promise<void>;
  /** The VMs on a host with their power states, for reconciliation (declared by `vm.states`). */
  listVmStates?(host: HostAddress): Promise<readonly ReportedVm[]>;
  /**
   * Live-migrates a running VM from its host to another host of the same cluster (declared by
   * `vm.migrate`): when it resolves the VM runs on the target and no longer on the source.
   * Idempotent: migrating a VM already running on the target succeeds. Rejects, leaving the VM
   * running on the source, when the target cannot take it.
   */
  migrateVm?(request: MigrateVmRequest): Promise<void>;
  /**
   * Enforces a VM's complete security group rule set on its host (declared by
   * `securitygroup.apply`, see {@link SECURITY_GROUP_HYPERVISOR_CAPABILITIES}): the set replaces
   * the VM's previous one. Idempotent, and a set with a lower `seq` than the one in force is
   * ignored. Rejects when the VM does not run on the host.
   */
  applySecurityGroupRules?(request: ApplySecurityGroupRulesRequest): Promise<void>;
}

/**
 * Router capabilities a hypervisor driver may declare: `router.configure` is
 * {@link RouterConfigurator.applyRouterConfig}, which core calls to enforce a virtual router's
 * configuration on a router the driver started. Virtual routers run only on hosts whose
 * driver declares it.
 */
export const ROUTER_HYPERVISOR_CAPABILITIES = ['router.configure'] as const;

/**
 * NIC capabilities a hypervisor driver may declare: `nic.plug` is the pair
 * {@link NicCapableHypervisor.plugNic} / {@link NicCapableHypervisor.unplugNic}, hot-plugging a
 * NIC into a running VM (`addNicToVirtualMachine`, `removeNicFromVirtualMachine`). A stopped
 * VM's NICs change without a driver call: they reach the host at the next start.
 */
export const NIC_HYPERVISOR_CAPABILITIES = ['nic.plug'] as const;

/** A NIC hot-plugged into (or out of) a running VM. */
export interface NicOnVmRequest extends VmOnHost {
  /** The NIC. */
  readonly nic: VmNicSpec;
}

/** The optional NIC calls of a hypervisor driver (declared by `nic.plug`); both idempotent. */
export interface NicCapableHypervisor {
  /** Plugs a NIC into a running VM. */
  plugNic?(request: NicOnVmRequest): Promise<void>;
  /** Unplugs a NIC from a running VM. */
  unplugNic?(request: NicOnVmRequest): Promise<void>;
}

/**
 * Volume capabilities a hypervisor driver may declare beside {@link HYPERVISOR_CAPABILITIES}:
 * `volume.attach`, `volume.detach` and `volume.resize` are the optional calls of the same names
 * on {@link VolumeCapableHypervisor}. Core attaches a disk to a running VM only when the VM's
 * host declares `volume.attach`.
 */
export const VOLUME_HYPERVISOR_CAPABILITIES = ['volume.attach', 'volume.detach', 'volume.resize'] as const;

/** A disk hot-plugged into (or out of) a running VM. */
export interface VolumeOnVmRequest extends VmOnHost {
  /** The disk, on its pool. */
  readonly disk: VmDiskSpec;
}

/** A running VM's disk grown (or shrunk) in place. */
export interface ResizeVmVolumeRequest extends VolumeOnVmRequest {
  /** The new size in bytes. */
  readonly newSizeBytes: number;
}

/**
 * The optional volume calls of a hypervisor driver (CloudStack's `AttachVolumeCommand`,
 * `ResizeVolumeCommand`). Each is called only when its capability is declared; each is
 * idempotent: attaching an attached disk, or detaching a detached one, succeeds.
 */
export interface VolumeCapableHypervisor {
  /** Plugs a disk into a running VM (declared by `volume.attach`). */
  attachVolume?(request: VolumeOnVmRequest): Promise<void>;
  /** Unplugs a disk from a running VM (declared by `volume.detach`). */
  detachVolume?(request: VolumeOnVmRequest): Promise<void>;
  /** Tells a running VM its disk changed size (declared by `volume.resize`). */
  resizeVolume?(request: ResizeVmVolumeRequest): Promise<void>;
}

/**
 * Security group capabilities a hypervisor driver may declare: `securitygroup.apply` is
 * {@link HypervisorDriver.applySecurityGroupRules}, which core calls with each VM's rule set
 * when the VM starts and whenever its groups' rules or their members change. VMs in
 * security-group zones get their rules only on hosts whose driver declares it.
 */
export const SECURITY_GROUP_HYPERVISOR_CAPABILITIES = ['securitygroup.apply'] as const;
