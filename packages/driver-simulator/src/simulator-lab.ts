import type { ReportedVm, StorageCapacity } from '@cloudstack-sdk/core';
import { FaultInjector } from './fault-injector.js';
import { hostNameOf, simulatedHost, type SimulatedHost, type SimulatedHostSpec } from './simulated-host.js';

/** Options of a {@link SimulatorLab}. */
export interface SimulatorLabOptions {
  /** Whether a `http://sim/<name>` host nobody declared exists with default resources (true by default). */
  readonly autoProvisionHosts?: boolean;
  /** Size of a primary pool nobody sized (1 TiB by default). */
  readonly defaultPoolBytes?: number;
  /** Size of a secondary store nobody sized (2 TiB by default). */
  readonly defaultStoreBytes?: number;
}

/** A storage device in the lab: a pool or store with its size and use. */
interface Device {
  capacityBytes: number;
  usedBytes: number;
  attached: boolean;
}

/**
 * The simulated data center the simulator drivers talk to: hosts with resources and VMs,
 * primary pools and secondary stores with capacity, and the fault injector. Tests reach in to
 * declare hosts, start VMs, size pools and inject faults.
 */
export class SimulatorLab {
  /** Fault injection for every simulator call. */
  readonly faults = new FaultInjector();
  private readonly hosts = new Map<string, SimulatedHost>();
  private readonly pools = new Map<string, Device>();
  private readonly stores = new Map<string, Device>();
  private readonly poolSizes = new Map<string, StorageCapacity>();
  private readonly storeSizes = new Map<string, StorageCapacity>();
  private created = 0;

  constructor(private readonly options: SimulatorLabOptions = {}) {}

  /** Declares a host (`http://sim/<name>`) with its resources and VMs; replaces an earlier declaration. */
  defineHost(name: string, spec: SimulatedHostSpec = {}): SimulatedHost {
    const host = simulatedHost(name, this.created++, spec);
    this.hosts.set(name, host);
    return host;
  }

  /** The host a URL addresses: declared, or auto-provisioned with defaults. Undefined when there is none. */
  hostAt(url: string): SimulatedHost | undefined {
    const name = hostNameOf(url);
    if (name === undefined) return undefined;
    const known = this.hosts.get(name);
    if (known !== undefined || this.options.autoProvisionHosts === false) return known;
    return this.defineHost(name);
  }

  /** A declared host by name. */
  host(name: string): SimulatedHost | undefined {
    return this.hosts.get(name);
  }

  /** Sets a VM's power state on a host (creating the VM). */
  setVm(hostName: string, vmName: string, powerState: ReportedVm['powerState']): void {
    const host = this.hosts.get(hostName) ?? this.defineHost(hostName);
    host.vms.set(vmName, powerState);
  }

  /** Removes a VM from a host. */
  removeVm(hostName: string, vmName: string): void {
    this.hosts.get(hostName)?.vms.delete(vmName);
  }

  /** Sizes the primary pool at `url` (`nfs://server/path` …) before it is attached. */
  sizePool(url: string, capacity: StorageCapacity): void {
    this.poolSizes.set(url, capacity);
  }

  /** Sizes the secondary store at `url` before it is added. */
  sizeStore(url: string, capacity: StorageCapacity): void {
    this.storeSizes.set(url, capacity);
  }

  /** Attaches a pool (idempotent) and returns it. */
  attachPool(poolId: string, url: string): Device {
    let pool = this.pools.get(poolId);
    if (pool === undefined) {
      const size = this.poolSizes.get(url) ?? { capacityBytes: this.options.defaultPoolBytes ?? 1024 ** 4, usedBytes: 0 };
      pool = { ...size, attached: true };
      this.pools.set(poolId, pool);
    }
    pool.attached = true;
    return pool;
  }

  /** A pool by id. */
  pool(poolId: string): Device | undefined {
    return this.pools.get(poolId);
  }

  /** Detaches a pool (idempotent). */
  detachPool(poolId: string): void {
    this.pools.delete(poolId);
  }

  /** Adds a store (idempotent) and returns it. */
  attachStore(storeId: string, url: string): Device {
    let store = this.stores.get(storeId);
    if (store === undefined) {
      const size = this.storeSizes.get(url) ?? { capacityBytes: this.options.defaultStoreBytes ?? 2 * 1024 ** 4, usedBytes: 0 };
      store = { ...size, attached: true };
      this.stores.set(storeId, store);
    }
    return store;
  }

  /** A store by id. */
  store(storeId: string): Device | undefined {
    return this.stores.get(storeId);
  }

  /** Forgets a store (idempotent). */
  detachStore(storeId: string): void {
    this.stores.delete(storeId);
  }
}
