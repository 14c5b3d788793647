import { inject, injectable } from 'tsyringe';
import { CapacityReservations } from '../alloc/capacity-reservations.js';
import { DeploymentPlanner } from '../alloc/deployment-planner.js';
import { deploymentRequestFor } from '../alloc/deployment-request.js';
import { MacAllocator } from '../alloc/mac-allocator.js';
import { isoNow, type Clock } from '../contracts/clock.js';
import type { HypervisorDriver, VmSpec } from '../contracts/hypervisor.js';
import type { RandomSource } from '../contracts/random.js';
import type { RouterConfig } from '../contracts/router-configurator.js';
import type { Transaction } from '../contracts/store.js';
import { insufficientCapacity, notFound } from '../errors.js';
import { BUILTIN_IDS } from '../context/call-context.js';
import type { Network } from '../model/network.js';
import type { NetworkOffering } from '../model/network-offering.js';
import type { Router } from '../model/router.js';
import type { VmReservation } from '../model/vm.js';
import { ipRangePoolKey, UNTAGGED_VLAN } from '../model/vlan-ip-range.js';
import { prefixToNetmask, parseCidr } from '../net/ipv4.js';
import { TOKENS } from '../tokens.js';
import { VmDriver, type PreparedVmCall } from './vm-driver.js';

/** The counter numbering router names (`r-<n>-VM`). */
export const ROUTER_SEQUENCE_COUNTER = 'router:sequence';

/** A router start recorded in a transaction, with the driver call to make after it commits. */
export interface PreparedRouterStart {
  /** The router, as recorded (`Starting`). */
  readonly router: Router;
  /** The host's driver, address and timeout. */
  readonly call: PreparedVmCall;
  /** The spec the router VM starts from. */
  readonly spec: VmSpec;
}

/** A driver call on a router's host, prepared in a transaction. */
export interface PreparedRouterCall {
  /** The router, as read. */
  readonly router: Router;
  /** The host's driver, address and timeout. */
  readonly call: PreparedVmCall;
}

/**
 * The virtual routers of guest networks: one router system VM per network, placed by the
 * deployment planner with the router system offering on a host whose driver can configure
 * routers (`router.configure`), holding host capacity like any VM. Its NICs are the control NIC
 * (a link-local address), the guest NIC (the network's gateway address on its VLAN) and, when
 * the network has source NAT, the public NIC (the source NAT address on its range's VLAN). Every
 * step here is one side of rule 3: the callers record intents and outcomes in transactions
 * around the driver calls prepared here.
 */
@injectable()
export class VirtualRouters {
  constructor(
    @inject(TOKENS.Clock) private readonly clock: Clock,
    @inject(TOKENS.Random) private readonly random: RandomSource,
    @inject(TOKENS.Hypervisors) private readonly hypervisors: ReadonlyMap<string, HypervisorDriver>,
    @inject(DeploymentPlanner) private readonly planner: DeploymentPlanner,
    @inject(CapacityReservations) private readonly capacity: CapacityReservations,
    @inject(MacAllocator) private readonly macs: MacAllocator,
    @inject(VmDriver) private readonly driver: VmDriver,
  ) {}

  /** The network's router, if it has one (a basic zone's network has one per pod: see {@link ofPod}). */
  async of(tx: Transaction, networkId: string): Promise<Router | undefined> {
    return tx.repo('routers').findOne({ networkId });
  }

  /** The router serving `podId` on a basic zone's network, if it has one. */
  async ofPod(tx: Transaction, networkId: string, podId: string): Promise<Router | undefined> {
    return (await tx.repo('routers').find({ where: { networkId } })).items.find((r) => r.servedPodId === podId);
  }

  /** Every router of a network. */
  async allOf(tx: Transaction, networkId: string): Promise<Router[]> {
    return (await tx.repo('routers').find({ where: { networkId }, orderBy: [{ field: 'createdAt' }, { field: 'id' }] })).items;
  }

  /**
   * Records a router start in `tx`: creates the network's router when it has none (name, MACs,
   * link-local address), places it and reserves host capacity (533 when no host that can run
   * routers has room), and writes `Starting` with the reservation.
   */
  async prepareStart(tx: Transaction, network: Network, offering: NetworkOffering, podId?: string): Promise<PreparedRouterStart> {
    const systemOffering = await this.systemOffering(tx, offering);
    const existing = podId === undefined ? await this.of(tx, network.id) : await this.ofPod(tx, network.id, podId);
    const router = existing ?? (await this.create(tx, network, systemOffering.id, podId));
    const hypervisorTypes = await this.routerHypervisors(tx, network.zoneId);
    let placement: Awaited<ReturnType<DeploymentPlanner['planAndReserve']>> | undefined;
    let lastError: unknown;
    for (const hypervisorType of hypervisorTypes) {
      try {
        placement = await this.planner.planAndReserve(tx, deploymentRequestFor(systemOffering, { zoneId: network.zoneId, hypervisorType, diskBytes: 0, ...(network.accountId === undefined ? {} : { accountId: network.accountId }), ...(podId === undefined ? {} : { podId }) }));
        break;
      } catch (error) {
        lastError = error;
      }
    }
    if (placement === undefined) {
      if (lastError !== undefined) throw lastError;
      throw insufficientCapacity('hosts', `zone ${network.zoneId} has no host whose hypervisor driver can run a virtual router (router.configure)`, { zoneId: network.zoneId });
    }
    const host = await tx.repo('hosts').get(placement.hostId);
    if (host === undefined) throw notFound('host', 'hostid', placement.hostId);
    const reservation: VmReservation = { ...placement, amounts: { ...placement.amounts } };
    const sourceNat = await tx.repo('publicIps').findOne({ networkId: network.id, isSourceNat: true });
    const starting = await tx.repo('routers').update({
      ...router,
      hypervisorType: host.hypervisorType,
      state: 'Starting',
      podId: placement.podId,
      clusterId: placement.clusterId,
      hostId: placement.hostId,
      reservation,
      ...(sourceNat === undefined
        ? {}
        : { publicIp: sourceNat.address, publicVlan: sourceNat.vlan, publicGateway: sourceNat.gateway, publicNetmask: sourceNat.netmask, publicMac: router.publicMac ?? (await this.macs.allocate(tx, network.zoneId, `${router.id}:public`)) }),
      updatedAt: isoNow(this.clock),
    });
    const call = await this.driver.prepare(tx, placement.hostId, 'vm.start');
    const pool = await tx.repo('storagePools').get(placement.poolId);
    return { router: starting, call, spec: this.spec(starting, network, systemOffering, pool === undefined ? { id: placement.poolId, url: '' } : pool) };
  }

  /** Starts the router VM on its host (outside any transaction). */
  async start(prepared: PreparedRouterStart): Promise<void> {
    await this.driver.call(prepared.call, `start virtual router ${prepared.router.name}`, async (driver) => {
      if (driver.startVm === undefined) throw new Error(`the ${driver.hypervisorType} driver cannot start VMs`);
      await driver.startVm({ host: prepared.call.host, spec: prepared.spec });
    });
  }

  /** Records a started router `Running` in `tx`. */
  async started(tx: Transaction, routerId: string): Promise<Router> {
    const router = await this.require(tx, routerId);
    return tx.repo('routers').update({ ...router, state: 'Running', updatedAt: isoNow(this.clock) });
  }

  /** Records a failed start in `tx`: its host capacity goes back and it rests `Stopped`. */
  async startFailed(tx: Transaction, routerId: string): Promise<void> {
    const router = await tx.repo('routers').get(routerId);
    if (router === undefined) return;
    await this.releaseHost(tx, router);
  }

  /** The driver call to stop and remove a router from its host, or undefined when it holds none. */
  async prepareOnHost(tx: Transaction, router: Router, capability: 'vm.stop' | 'vm.reboot' | 'vm.destroy' | 'router.configure'): Promise<PreparedRouterCall | undefined> {
    const hostId = router.hostId ?? router.lastHostId;
    if (hostId === undefined || (await tx.repo('hosts').get(hostId)) === undefined) return undefined;
    return { router, call: await this.driver.prepare(tx, hostId, capability) };
  }

  /** Stops the router VM and removes its definition (outside any transaction). */
  async stopAndDestroy(prepared: PreparedRouterCall): Promise<void> {
    await this.driver.call(prepared.call, `stop virtual router ${prepared.router.name}`, async (driver) => {
      await driver.stopVm?.({ host: prepared.call.host, vmName: prepared.router.name, mode: 'forced' });
      await driver.destroyVm?.({ host: prepared.call.host, vmName: prepared.router.name });
    });
  }

  /**
   * Stops the router VM, cleanly or forced, and removes its definition from the host (outside
   * any transaction): a router keeps nothing on its host, it starts again from its spec wherever
   * the planner places it.
   */
  async stop(prepared: PreparedRouterCall, forced: boolean): Promise<void> {
    await this.driver.call(prepared.call, `stop virtual router ${prepared.router.name}`, async (driver) => {
      await driver.stopVm?.({ host: prepared.call.host, vmName: prepared.router.name, mode: forced ? 'forced' : 'clean' });
      await driver.destroyVm?.({ host: prepared.call.host, vmName: prepared.router.name });
    });
  }

  /** Reboots the router VM (outside any transaction). */
  async reboot(prepared: PreparedRouterCall): Promise<void> {
    await this.driver.call(prepared.call, `reboot virtual router ${prepared.router.name}`, async (driver) => {
      if (driver.rebootVm === undefined) throw new Error(`the ${driver.hypervisorType} driver cannot reboot VMs`);
      await driver.rebootVm({ host: prepared.call.host, vmName: prepared.router.name });
    });
  }

  /** Enforces a configuration on a running router (outside any transaction). */
  async configure(prepared: PreparedRouterCall, config: RouterConfig): Promise<void> {
    await this.driver.call(prepared.call, `configure virtual router ${prepared.router.name}`, async (driver) => {
      if (driver.applyRouterConfig === undefined) throw new Error(`the ${driver.hypervisorType} driver cannot configure virtual routers`);
      await driver.applyRouterConfig({ host: prepared.call.host, routerName: prepared.router.name, controlIp: prepared.router.linkLocalIp, config });
    });
  }

  /** Gives back the host capacity a router holds and records it `Stopped`, in `tx`. */
  async releaseHost(tx: Transaction, router: Router): Promise<Router> {
    if (router.reservation !== undefined) await this.capacity.release(tx, router.reservation, { ...router.reservation.amounts, diskBytes: 0 });
    const { reservation: _r, hostId, podId: _p, clusterId: _c, ...rest } = router;
    return tx.repo('routers').update({ ...rest, ...(hostId === undefined ? {} : { lastHostId: hostId }), state: 'Stopped', updatedAt: isoNow(this.clock) });
  }

  /** Removes a router for good in `tx`: its capacity, guest address and MACs go back, its row goes. */
  async remove(tx: Transaction, router: Router): Promise<void> {
    if (router.reservation !== undefined) await this.capacity.release(tx, router.reservation, { ...router.reservation.amounts, diskBytes: 0 });
    if (router.guestIpPool !== undefined) await tx.pools.release(router.guestIpPool, router.guestIp, `${router.id}:guest`);
    await this.macs.release(tx, router.zoneId, router.guestMac, `${router.id}:guest`);
    if (router.publicMac !== undefined) await this.macs.release(tx, router.zoneId, router.publicMac, `${router.id}:public`);
    await tx.repo('routers').delete(router.id);
  }

  private async require(tx: Transaction, id: string): Promise<Router> {
    const router = await tx.repo('routers').get(id);
    if (router === undefined) throw notFound('router', 'id', id);
    return router;
  }

  private async create(tx: Transaction, network: Network, serviceOfferingId: string, podId?: string): Promise<Router> {
    const sequence = (await tx.counters.adjust(ROUTER_SEQUENCE_COUNTER, 1)).value;
    const id = this.random.uuid();
    const now = isoNow(this.clock);
    const guest = podId === undefined ? { guestIp: network.gateway } : await this.podGuestAddress(tx, podId, `${id}:guest`);
    return tx.repo('routers').insert({
      id,
      name: `r-${sequence}-VM`,
      zoneId: network.zoneId,
      networkId: network.id,
      // A shared network's routers are the cloud's own, as CloudStack gives them to the SYSTEM account.
      accountId: network.accountId ?? BUILTIN_IDS.systemAccount,
      domainId: network.accountId === undefined ? BUILTIN_IDS.rootDomain : network.domainId,
      serviceOfferingId,
      hypervisorType: 'Simulator',
      ...guest,
      ...(podId === undefined ? {} : { servedPodId: podId }),
      guestMac: await this.macs.allocate(tx, network.zoneId, `${id}:guest`),
      linkLocalIp: linkLocalFor(sequence),
      state: 'Stopped',
      configGeneration: 0,
      createdAt: now,
      updatedAt: now,
    });
  }

  /** A pod router's guest address, claimed from the pod's `DirectGuest` ranges (533 when none is free). */
  private async podGuestAddress(tx: Transaction, podId: string, holder: string): Promise<Pick<Router, 'guestIp' | 'guestIpPool' | 'guestNetmask' | 'guestGateway' | 'guestVlan'>> {
    for (const range of (await tx.repo('vlanIpRanges').find({ where: { podId, purpose: 'DirectGuest' } })).items) {
      const pool = ipRangePoolKey(range);
      const address = await tx.pools.claim(pool, holder);
      if (address !== undefined) return { guestIp: address, guestIpPool: pool, guestNetmask: range.netmask, guestGateway: range.gateway, guestVlan: range.vlan };
    }
    throw insufficientCapacity('guest IP addresses', `pod ${podId} has no free direct guest address for its virtual router`, { podId });
  }

  /** The system offering routers of `offering`'s networks run with. */
  private async systemOffering(tx: Transaction, offering: NetworkOffering) {
    if (offering.serviceOfferingId !== undefined) {
      const chosen = await tx.repo('serviceOfferings').get(offering.serviceOfferingId);
      if (chosen !== undefined) return chosen;
    }
    const fallback = await tx.repo('serviceOfferings').findOne({ isSystem: true, systemVmType: 'domainrouter', defaultUse: true });
    const any = fallback ?? (await tx.repo('serviceOfferings').findOne({ isSystem: true, systemVmType: 'domainrouter' }));
    if (any === undefined) throw notFound('service offering', 'serviceofferingid', 'System Offering For Software Router');
    return any;
  }

  /** The zone's hypervisor types whose drivers can start and configure routers, in cluster-name order. */
  private async routerHypervisors(tx: Transaction, zoneId: string): Promise<Router['hypervisorType'][]> {
    const clusters = (await tx.repo('clusters').find({ where: { zoneId }, orderBy: [{ field: 'name' }, { field: 'id' }] })).items;
    const types: Router['hypervisorType'][] = [];
    for (const cluster of clusters) {
      const driver = this.hypervisors.get(cluster.hypervisorType);
      if (driver === undefined || !driver.capabilities.has('router.configure') || !driver.capabilities.has('vm.start')) continue;
      if (!types.includes(cluster.hypervisorType)) types.push(cluster.hypervisorType);
    }
    return types;
  }

  private spec(router: Router, network: Network, offering: { cpuNumber: number; cpuSpeed: number; memory: number; limitCpuUse: boolean }, pool: { id: string; url: string }): VmSpec {
    const guestPrefix = parseCidr(network.cidr)?.prefix ?? 24;
    return {
      name: router.name,
      id: router.id,
      cpuNumber: offering.cpuNumber,
      cpuSpeedMhz: offering.cpuSpeed,
      memoryBytes: offering.memory * 1024 * 1024,
      limitCpuUse: offering.limitCpuUse,
      guestOs: 'Debian GNU/Linux 7(64-bit)',
      disks: [{ volumeId: `${router.id}-root`, type: 'ROOT', deviceId: 0, sizeBytes: 0, poolId: pool.id, poolUrl: pool.url, templatePath: 'systemvm' }],
      nics: [
        { deviceId: 0, macAddress: controlMac(router.linkLocalIp), ipAddress: router.linkLocalIp, netmask: '255.255.0.0', gateway: '', vlan: UNTAGGED_VLAN, trafficType: 'Control', isDefault: false },
        { deviceId: 1, macAddress: router.guestMac, ipAddress: router.guestIp, netmask: router.guestNetmask ?? prefixToNetmask(guestPrefix), gateway: router.guestGateway ?? '', vlan: router.guestVlan ?? network.vlan ?? UNTAGGED_VLAN, trafficType: 'Guest', isDefault: router.publicIp === undefined },
        ...(router.publicIp === undefined || router.publicMac === undefined
          ? []
          : [{ deviceId: 2, macAddress: router.publicMac, ipAddress: router.publicIp, netmask: router.publicNetmask ?? '', gateway: router.publicGateway ?? '', vlan: router.publicVlan ?? UNTAGGED_VLAN, trafficType: 'Public' as const, isDefault: true }]),
      ],
    };
  }
}

/** The router's link-local control address, `169.254.a.b`, unique per router. */
export function linkLocalFor(sequence: number): string {
  const n = (sequence % 65024) + 256;
  return `169.254.${Math.floor(n / 256)}.${n % 256}`;
}

/** A control NIC's MAC, `0e:00:a9:fe:a:b` from its link-local address (as CloudStack derives it). */
function controlMac(linkLocal: string): string {
  const [, , c, d] = linkLocal.split('.').map((p) => Number(p).toString(16).padStart(2, '0'));
  return `0e:00:a9:fe:${c ?? '00'}:${d ?? '00'}`;
}

