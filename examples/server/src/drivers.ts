import { KvmHypervisorDriver, type BridgeType, type KvmHypervisorDriverOptions } from '@cloudstack-sdk/driver-kvm';
import {
  invalidParameter,
  resourceUnavailable,
  type CopyVolumeSpec,
  type CreateVolumeSpec,
  type DeleteSnapshotSpec,
  type HypervisorDriver,
  type HypervisorType,
  type PrimaryPoolSpec,
  type PrimaryStorageDriver,
  type PrimaryVolumeCapability,
  type PrimaryVolumeSpec,
  type SnapshotAnswer,
  type StorageCapacity,
  type StorageDrivers,
  type StorageProtocol,
  type VolumeAnswer,
  type VolumeSnapshotSpec,
} from '@cloudstack-sdk/core';
import { createSimulator, type Simulator } from '@cloudstack-sdk/driver-simulator';

/** The drivers the server registers for the hypervisor types it was asked for. */
export interface ServerDrivers {
  /** One driver per hypervisor type. */
  readonly hypervisors: readonly HypervisorDriver[];
  /**
   * Storage drivers: primary pools of KVM clusters on the KVM hosts (libvirt storage pools) when
   * `KVM` is registered, every other pool and the secondary stores in the simulator's memory.
   */
  readonly storage: StorageDrivers;
  /** The simulator, always present: its hosts answer `http://sim/<name>`. */
  readonly simulator: Simulator;
  /** The KVM driver, when `KVM` is registered. */
  readonly kvm: KvmHypervisorDriver | undefined;
}

/**
 * The KVM agent settings a server passes to its KVM driver, from the environment (CloudStack keeps
 * them in each KVM host's `agent.properties`, set before the host is added):
 * - `NETWORK_BRIDGE_TYPE`: `native` (Linux bridges, per-VLAN bridges made host-side; the default)
 *   or `openvswitch` (the NIC is tagged on the label bridge) — CloudStack's `network.bridge.type`;
 * - `KVM_PHYSICAL_INTERFACES`: `cloudbr0=eth0,cloudbr1=eth1`, the physical interface under each
 *   label bridge, which names the per-VLAN bridges of `native` mode (`breth0-100`).
 * A bad value is refused naming the variable.
 */
export function kvmOptionsFrom(env: NodeJS.ProcessEnv = process.env): KvmHypervisorDriverOptions {
  const raw = (env.NETWORK_BRIDGE_TYPE ?? '').trim();
  if (raw !== '' && raw !== 'native' && raw !== 'openvswitch') throw invalidParameter('NETWORK_BRIDGE_TYPE', `must be native or openvswitch, got ${raw}`);
  const bridgeType: BridgeType = raw === 'openvswitch' ? 'openvswitch' : 'native';
  const physicalInterfaces: Record<string, string> = {};
  for (const entry of (env.KVM_PHYSICAL_INTERFACES ?? '').split(',').map((e) => e.trim()).filter((e) => e !== '')) {
    const match = /^([A-Za-z0-9_.-]{1,15})=([A-Za-z0-9_.-]{1,15})$/.exec(entry);
    if (match?.[1] === undefined || match[2] === undefined) throw invalidParameter('KVM_PHYSICAL_INTERFACES', `expected bridge=interface pairs (cloudbr0=eth0), got ${entry}`);
    physicalInterfaces[match[1]] = match[2];
  }
  return { vm: { bridgeType, physicalInterfaces } };
}

/**
 * Primary storage routed by the pool's hypervisor: pools of KVM clusters go to the KVM driver,
 * the rest to the simulator. (Core picks a primary-storage driver by protocol alone, and both
 * take NFS.)
 */
class PrimaryStorageByHypervisor implements PrimaryStorageDriver {
  readonly name: string;
  readonly protocols: ReadonlySet<StorageProtocol>;
  readonly volumeCapabilities: ReadonlySet<PrimaryVolumeCapability>;

  constructor(
    private readonly kvm: PrimaryStorageDriver,
    private readonly other: PrimaryStorageDriver,
  ) {
    this.name = `${kvm.name}+${other.name}`;
    this.protocols = new Set([...kvm.protocols, ...other.protocols]);
    // Core asks for a call by pool; each pool's driver must have it, so only calls both declare.
    this.volumeCapabilities = new Set([...(kvm.volumeCapabilities ?? [])].filter((c) => other.volumeCapabilities?.has(c) === true));
  }

  private driverFor(pool: PrimaryPoolSpec): PrimaryStorageDriver {
    return pool.hypervisorType === 'KVM' ? this.kvm : this.other;
  }

  private lacks(driver: PrimaryStorageDriver, call: PrimaryVolumeCapability): never {
    // Unreachable through core, which calls only what volumeCapabilities (declared by both) has.
    throw resourceUnavailable(`The ${driver.name} primary-storage driver cannot do ${call}`, { param: 'storageid' });
  }

  createPool(spec: PrimaryPoolSpec): Promise<StorageCapacity> {
    return this.driverFor(spec).createPool(spec);
  }

  deletePool(spec: PrimaryPoolSpec): Promise<void> {
    return this.driverFor(spec).deletePool(spec);
  }

  poolCapacity(spec: PrimaryPoolSpec): Promise<StorageCapacity> {
    return this.driverFor(spec).poolCapacity(spec);
  }

  createVolume(spec: CreateVolumeSpec): Promise<VolumeAnswer> {
    const driver = this.driverFor(spec.pool);
    return driver.createVolume?.(spec) ?? this.lacks(driver, 'createVolume');
  }

  deleteVolume(spec: PrimaryVolumeSpec): Promise<void> {
    const driver = this.driverFor(spec.pool);
    return driver.deleteVolume?.(spec) ?? this.lacks(driver, 'deleteVolume');
  }

  resizeVolume(spec: PrimaryVolumeSpec & { readonly newSizeBytes: number }): Promise<VolumeAnswer> {
    const driver = this.driverFor(spec.pool);
    return driver.resizeVolume?.(spec) ?? this.lacks(driver, 'resizeVolume');
  }

  snapshotVolume(spec: VolumeSnapshotSpec): Promise<SnapshotAnswer> {
    const driver = this.driverFor(spec.volume.pool);
    return driver.snapshotVolume?.(spec) ?? this.lacks(driver, 'snapshotVolume');
  }

  deleteSnapshot(spec: DeleteSnapshotSpec): Promise<void> {
    const driver = this.driverFor(spec.pool);
    return driver.deleteSnapshot?.(spec) ?? this.lacks(driver, 'deleteSnapshot');
  }

  copyVolume(spec: CopyVolumeSpec): Promise<VolumeAnswer> {
    const driver = this.driverFor(spec.source.pool);
    return driver.copyVolume?.(spec) ?? this.lacks(driver, 'copyVolume');
  }
}

/**
 * Picks a driver per hypervisor type: `Simulator` is the in-memory simulator, `KVM` the libvirt
 * driver (hosts added with their libvirt URI as `url`; its settings from {@link kvmOptionsFrom}),
 * whose primary storage is libvirt pools on the cluster's hosts. Secondary storage is always the
 * simulator's. XenServer and VMware have no driver yet and are refused, naming `HYPERVISORS`.
 */
export function driversFor(types: readonly HypervisorType[], env: NodeJS.ProcessEnv = process.env): ServerDrivers {
  const simulator = createSimulator({ hypervisorTypes: ['Simulator'] });
  const hypervisors: HypervisorDriver[] = [];
  let kvm: KvmHypervisorDriver | undefined;
  for (const type of types) {
    if (type === 'Simulator') hypervisors.push(...simulator.hypervisors);
    else if (type === 'KVM') {
      kvm = new KvmHypervisorDriver(kvmOptionsFrom(env));
      hypervisors.push(kvm);
    } else throw invalidParameter('HYPERVISORS', `no ${type} driver is available yet (available: Simulator, KVM)`);
  }
  if (kvm === undefined) return { hypervisors, storage: simulator.storage, simulator, kvm };
  const primary = simulator.storage.primary.map((other) => new PrimaryStorageByHypervisor(kvm.primaryStorage(), other));
  return { hypervisors, storage: { ...simulator.storage, primary }, simulator, kvm };
}
