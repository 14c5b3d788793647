import type { ReportedVm, RouterConfig, SecurityGroupRuleSet, StorageCapacity, VmIsoSpec, VmSpec } from '@cloudstack-sdk/core';
import { FaultInjector } from './fault-injector.js';
import { hostNameOf, simulatedHost, type SimulatedHost, type SimulatedHostSpec } from './simulated-host.js';
import type { PublishedImage, StoredImage } from './simulated-images.js';

/** Options of a {@link SimulatorLab}. */
export interface SimulatorLabOptions {
  /** Whether a `http://sim/<name>` host nobody declared exists with default resources (true by default). */
  readonly autoProvisionHosts?: boolean;
  /** Size of a primary pool nobody sized (1 TiB by default). */
  readonly defaultPoolBytes?: number;
  /** Size of a secondary store nobody sized (2 TiB by default). */
  readonly defaultStoreBytes?: number;
  /** How long a download in progress asks core to wait before polling again, in ms (5 by default). */
  readonly downloadPollMs?: number;
}

/** The security group rules a simulated host enforces for one VM: the last set applied, with the VM's address and MAC. */
export interface SimulatedSecurityGroupRules {
  /** The VM's default guest address the filter is bound to. */
  readonly vmIp?: string;
  /** The VM's default MAC. */
  readonly macAddress?: string;
  /** The rule set in force. */
  readonly rules: SecurityGroupRuleSet;
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
  private readonly published = new Map<string, PublishedImage>();
  private readonly images = new Map<string, Map<string, StoredImage>>();
  private readonly specs = new Map<string, VmSpec>();
  private readonly routerConfigs = new Map<string, RouterConfig>();
  /** Security group rules in force, by host name, then VM name. */
  private readonly sgRules = new Map<string, Map<string, SimulatedSecurityGroupRules>>();
  private created = 0;

  constructor(private readonly options: SimulatorLabOptions = {}) {}

  /** How long a download in progress asks core to wait before polling again, in ms. */
  get downloadPollMs(): number {
    return this.options.downloadPollMs ?? 5;
  }

  /**
   * Serves an image at an http(s) URL for template downloads: its bytes (text is UTF-8), and
   * optionally a virtual size and how many status polls a download takes.
   */
  publishImage(url: string, image: { readonly content: string | Uint8Array; readonly virtualSizeBytes?: number; readonly steps?: number }): void {
    const content = typeof image.content === 'string' ? new TextEncoder().encode(image.content) : image.content;
    this.published.set(url, { content, ...(image.virtualSizeBytes === undefined ? {} : { virtualSizeBytes: image.virtualSizeBytes }), ...(image.steps === undefined ? {} : { steps: image.steps }) });
  }

  /** Stops serving an image. */
  unpublishImage(url: string): void {
    this.published.delete(url);
  }

  /** The image served at a URL, if any. */
  publishedImage(url: string): PublishedImage | undefined {
    return this.published.get(url);
  }

  /** The images on a store, by install path (empty for an unknown store). */
  storeImages(storeId: string): ReadonlyMap<string, StoredImage> {
    return this.images.get(storeId) ?? new Map();
  }

  /** The image at `installPath` on a store. */
  storedImage(storeId: string, installPath: string): StoredImage | undefined {
    return this.images.get(storeId)?.get(installPath);
  }

  /** Records an image on a store (replacing one at the same path). */
  putImage(storeId: string, image: StoredImage): void {
    let onStore = this.images.get(storeId);
    if (onStore === undefined) {
      onStore = new Map();
      this.images.set(storeId, onStore);
    }
    onStore.set(image.installPath, image);
  }

  /** Removes an image from a store, giving its bytes back; false when it was not there. */
  removeImage(storeId: string, installPath: string): boolean {
    const image = this.images.get(storeId)?.get(installPath);
    if (image === undefined) return false;
    const store = this.stores.get(storeId);
    if (store !== undefined && image.state === 'DOWNLOADED') store.usedBytes = Math.max(0, store.usedBytes - image.content.byteLength);
    this.images.get(storeId)?.delete(installPath);
    return true;
  }

  /** The configuration a virtual router enforces now (the last one applied), if any. */
  routerConfig(routerName: string): RouterConfig | undefined {
    return this.routerConfigs.get(routerName);
  }

  /** Names of the routers that hold a configuration. */
  configuredRouters(): string[] {
    return [...this.routerConfigs.keys()].sort();
  }

  /** Records a router's applied configuration (a deep copy); called by the hypervisor driver. */
  recordRouterConfig(routerName: string, config: RouterConfig): void {
    this.routerConfigs.set(routerName, structuredClone(config));
  }

  /** Forgets a router's configuration (its VM was destroyed). */
  forgetRouterConfig(routerName: string): void {
    this.routerConfigs.delete(routerName);
  }

  /** The security group rules host `hostName` enforces for VM `vmName` (the last set applied), if any. */
  securityGroupRules(hostName: string, vmName: string): SimulatedSecurityGroupRules | undefined {
    return this.sgRules.get(hostName)?.get(vmName);
  }

  /** Records the rules a host enforces for a VM (a deep copy); called by the hypervisor driver. */
  recordSecurityGroupRules(hostName: string, vmName: string, rules: SimulatedSecurityGroupRules): void {
    const onHost = this.sgRules.get(hostName) ?? new Map<string, SimulatedSecurityGroupRules>();
    onHost.set(vmName, structuredClone(rules));
    this.sgRules.set(hostName, onHost);
  }

  /** Forgets the rules a host enforced for a VM (the VM stopped, left or was destroyed there). */
  forgetSecurityGroupRules(hostName: string, vmName: string): void {
    this.sgRules.get(hostName)?.delete(vmName);
  }

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

  /** Records the spec a VM was last started from (kept until the VM is destroyed). */
  recordVmSpec(spec: VmSpec): void {
    this.specs.set(spec.name, structuredClone(spec));
  }

  /** The spec a VM was last started from, if it was started through the driver. */
  vmSpec(vmName: string): VmSpec | undefined {
    return this.specs.get(vmName);
  }

  /**
   * The ISO in a VM's CD-ROM as of its last start (the `iso` of the spec it was started from);
   * undefined when it was started without one or never started through the driver.
   */
  vmIso(vmName: string): VmIsoSpec | undefined {
    return this.specs.get(vmName)?.iso;
  }

  /** Forgets a VM's spec (when the VM is destroyed). */
  forgetVmSpec(vmName: string): void {
    this.specs.delete(vmName);
  }

  /** The host a VM is on, by the VM's name; undefined when no host has it. */
  hostOfVm(vmName: string): SimulatedHost | undefined {
    for (const host of this.hosts.values()) if (host.vms.has(vmName)) return host;
    return undefined;
  }

  /**
   * Simulates a host failure: the host stops answering (every call to it fails) and the VMs
   * it ran are gone, as after a power loss. `defineHost` or `recoverHost` brings it back.
   */
  failHost(name: string): void {
    const host = this.hosts.get(name);
    if (host === undefined) throw new Error(`No simulated host ${name}`);
    host.connected = false;
    host.vms.clear();
  }

  /** Brings a failed host back (answering again, with no VMs). */
  recoverHost(name: string): void {
    const host = this.hosts.get(name);
    if (host === undefined) throw new Error(`No simulated host ${name}`);
    host.connected = true;
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

  /** Forgets a store and its images (idempotent). */
  detachStore(storeId: string): void {
    this.stores.delete(storeId);
    this.images.delete(storeId);
  }
}
