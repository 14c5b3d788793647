import { inject, injectable } from 'tsyringe';
import { CapacityIndex } from '../alloc/capacity-index.js';
import { CapacityReservations } from '../alloc/capacity-reservations.js';
import { DeploymentPlanner } from '../alloc/deployment-planner.js';
import { deploymentRequestFor } from '../alloc/deployment-request.js';
import { MacAllocator } from '../alloc/mac-allocator.js';
import type { Transaction } from '../contracts/store.js';
import { insufficientCapacity, notFound } from '../errors.js';
import type { Nic } from '../model/nic.js';
import type { VirtualMachine, VmReservation } from '../model/vm.js';
import { ipRangePoolKey } from '../model/vlan-ip-range.js';
import { guestNetworkIpPoolKey } from '../alloc/guest-ip-allocator.js';
import { CapacityKeys } from './capacity-keys.js';

/** What a start reserved, to record with the VM and give back if the start fails. */
export interface StartReservation {
  /** The host reservation (its `amounts.diskBytes` > 0 when this start also placed the root disk). */
  readonly reservation: VmReservation;
  /** The NICs with the addresses this start claimed. */
  readonly nics: readonly Nic[];
}

/**
 * The scarce things a VM holds, claimed and given back in the caller's transaction: host
 * capacity through the deployment planner (the root disk's bytes on the first placement only,
 * and later starts kept to the root disk's cluster), a direct guest IP from the chosen pod's
 * `DirectGuest` ranges for each NIC, and the zone's MACs.
 */
@injectable()
export class VmReservations {
  constructor(
    @inject(DeploymentPlanner) private readonly planner: DeploymentPlanner,
    @inject(CapacityReservations) private readonly capacity: CapacityReservations,
    @inject(CapacityIndex) private readonly index: CapacityIndex,
    @inject(MacAllocator) private readonly macs: MacAllocator,
  ) {}

  /** Claims a MAC of the VM's zone for a NIC. */
  allocateMac(tx: Transaction, zoneId: string, nicId: string): Promise<string> {
    return this.macs.allocate(tx, zoneId, nicId);
  }

  /** Gives a NIC's MAC back to the zone's pool. */
  releaseMac(tx: Transaction, zoneId: string, mac: string, nicId: string): Promise<boolean> {
    return this.macs.release(tx, zoneId, mac, nicId);
  }

  /**
   * Places a VM for a start and claims host capacity (and on the first placement the root
   * disk's bytes) and one address per NIC; 533 naming what was short. Nothing is claimed when
   * it throws (the caller's transaction rolls back).
   */
  async reserveStart(tx: Transaction, vm: VirtualMachine, requestedHostId?: string): Promise<StartReservation> {
    const offering = await tx.repo('serviceOfferings').get(vm.serviceOfferingId);
    if (offering === undefined) throw notFound('service offering', 'serviceofferingid', vm.serviceOfferingId);
    const lastHost = vm.lastHostId === undefined ? undefined : await tx.repo('hosts').get(vm.lastHostId);
    const firstPlacement = vm.rootPoolId === undefined;
    const placement = await this.planner.planAndReserve(
      tx,
      deploymentRequestFor(offering, {
        zoneId: vm.zoneId,
        hypervisorType: vm.hypervisorType,
        diskBytes: firstPlacement ? vm.rootDiskBytes : 0,
        accountId: vm.accountId,
        ...(requestedHostId === undefined ? {} : { requestedHostId }),
        // The root disk stays on its pool: a stopped VM starts again in that pool's cluster.
        ...(!firstPlacement && lastHost !== undefined ? { clusterId: lastHost.clusterId } : {}),
      }),
    );
    const reservation: VmReservation = { ...placement, amounts: { ...placement.amounts } };
    const nics: Nic[] = [];
    for (const nic of (await tx.repo('nics').find({ where: { vmId: vm.id } })).items) {
      const network = nic.networkId === undefined ? undefined : await tx.repo('networks').get(nic.networkId);
      if (network !== undefined && network.podAddressing !== true) {
        // A guest network's NIC keeps its address; the VLAN is the network's as implemented now.
        nics.push(network.vlan === undefined || network.vlan === nic.vlan ? nic : await tx.repo('nics').update({ ...nic, vlan: network.vlan }));
        continue;
      }
      nics.push(await tx.repo('nics').update({ ...nic, ...(await this.claimAddress(tx, placement.podId, nic.id)) }));
    }
    return { reservation, nics };
  }

  /**
   * Gives back what a start reserved: host capacity, the root disk bytes when that start
   * placed it, and the NICs' addresses.
   */
  async releaseStart(tx: Transaction, vm: VirtualMachine, reservation: VmReservation): Promise<void> {
    await this.capacity.release(tx, reservation, reservation.amounts);
    await this.releaseAddresses(tx, vm.id);
  }

  /**
   * Gives back what a running VM holds on its host when it stops: CPU, memory and its place on
   * the host, and its addresses. The root disk keeps its bytes on its pool.
   */
  async releaseHost(tx: Transaction, vm: VirtualMachine, reservation: VmReservation): Promise<void> {
    await this.capacity.release(tx, reservation, { ...reservation.amounts, diskBytes: 0 });
    await this.releaseAddresses(tx, vm.id);
  }

  /** Gives back the root disk's bytes on its pool and the NICs' MACs, and removes the NICs (expunge, failed deploy). */
  async releaseForever(tx: Transaction, vm: VirtualMachine): Promise<void> {
    if (vm.rootPoolId !== undefined && vm.rootDiskBytes > 0) {
      const key = CapacityKeys.poolAllocatedBytes(vm.rootPoolId);
      const outcome = await tx.counters.adjust(key, -vm.rootDiskBytes, { min: 0 });
      if (!outcome.ok) await tx.counters.set(key, 0);
      const poolId = vm.rootPoolId;
      const bytes = vm.rootDiskBytes;
      tx.afterCommit(() => this.index.notePoolUsage(poolId, { bytes: -bytes }));
    }
    await this.releaseAddresses(tx, vm.id);
    for (const nic of (await tx.repo('nics').find({ where: { vmId: vm.id } })).items) {
      if (isNetworkAddress(nic) && nic.ipAddress !== undefined) await tx.pools.release(nic.ipPool, nic.ipAddress, nic.id);
      await this.macs.release(tx, nic.zoneId, nic.macAddress, nic.id);
      await tx.repo('nics').delete(nic.id);
    }
  }

  /** Releases the pod addresses of basic-zone NICs (a guest network's own address stays with its NIC) and clears them. */
  private async releaseAddresses(tx: Transaction, vmId: string): Promise<void> {
    for (const nic of (await tx.repo('nics').find({ where: { vmId } })).items) {
      if (isNetworkAddress(nic) || nic.ipPool === undefined || nic.ipAddress === undefined) continue;
      await tx.pools.release(nic.ipPool, nic.ipAddress, nic.id);
      const { ipAddress: _ip, ipPool: _pool, netmask: _mask, gateway: _gw, vlan: _vlan, ...rest } = nic;
      await tx.repo('nics').update(rest);
    }
  }

  /** A direct guest address of the pod for a NIC; 533 when the pod has none free. */
  private async claimAddress(tx: Transaction, podId: string, holder: string): Promise<Pick<Nic, 'ipAddress' | 'ipPool' | 'netmask' | 'gateway' | 'vlan'>> {
    const ranges = (await tx.repo('vlanIpRanges').find({ where: { podId, purpose: 'DirectGuest' } })).items;
    for (const range of ranges) {
      const pool = ipRangePoolKey(range);
      const address = await tx.pools.claim(pool, holder);
      if (address !== undefined) return { ipAddress: address, ipPool: pool, netmask: range.netmask, gateway: range.gateway, vlan: range.vlan };
    }
    throw insufficientCapacity('guest IP addresses', `pod ${podId} has no free direct guest address${ranges.length === 0 ? ' (it has no guest IP range)' : ''}`, { podId });
  }
}

/** Whether a NIC's address is its guest network's own (kept until the NIC goes), not a pod address claimed per start. */
function isNetworkAddress(nic: Nic): nic is Nic & { ipPool: string } {
  return nic.ipPool?.startsWith(`${guestNetworkIpPoolKey('')}`) === true;
}
