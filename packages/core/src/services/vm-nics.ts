import { inject, injectable } from 'tsyringe';
import { guestNetworkIpPoolKey } from '../alloc/guest-ip-allocator.js';
import { VmNetworks } from './vm-networks.js';
import type { CallContext } from '../context/call-context.js';
import { isoNow, type Clock } from '../contracts/clock.js';
import type { VmNicSpec } from '../contracts/hypervisor.js';
import type { Store, Transaction } from '../contracts/store.js';
import { invalidParameter, notFound } from '../errors.js';
import type { Nic } from '../model/nic.js';
import type { VirtualMachine } from '../model/vm.js';
import { UNTAGGED_VLAN } from '../model/vlan-ip-range.js';
import { TOKENS } from '../tokens.js';
import { EventRecorder } from './event-recorder.js';
import { NetworkAccess } from './network-access.js';
import { NetworkImplementer } from './network-implementer.js';
import { NetworkRuleSync } from './network-rule-sync.js';
import { validate } from './validate.js';
import { VmAccess } from './vm-access.js';
import { VmDriver, type PreparedVmCall } from './vm-driver.js';
import { AddNicInput, VmNicInput } from './vm-nic-inputs.js';
import { VmReservations } from './vm-reservations.js';
import type { VmView } from './vm-view.js';

/** VM states in which NICs may change: stopped (reaching the host at the next start) or running (hot-plugged). */
const CHANGEABLE = new Set(['Stopped', 'Running']);

/**
 * Several guest networks per VM (install guide 13.6): add a NIC on another network of the
 * zone the owner may use (one NIC per network), remove a NIC that is not the default, and move
 * the default to another NIC — a VM always has exactly one default NIC, which carries its
 * default route, and static NAT and port forwarding work only on it. A running VM's NIC is
 * hot-plugged through its host's driver (`nic.plug`); a stopped VM's change reaches the host
 * at its next start. The networks' routers are told (DHCP entries, default flags).
 */
@injectable()
export class VmNics {
  constructor(
    @inject(TOKENS.Store) private readonly store: Store,
    @inject(TOKENS.Clock) private readonly clock: Clock,
    @inject(VmAccess) private readonly access: VmAccess,
    @inject(NetworkAccess) private readonly networks: NetworkAccess,
    @inject(VmNetworks) private readonly vmNetworks: VmNetworks,
    @inject(VmReservations) private readonly reservations: VmReservations,
    @inject(NetworkImplementer) private readonly implementer: NetworkImplementer,
    @inject(NetworkRuleSync) private readonly ruleSync: NetworkRuleSync,
    @inject(VmDriver) private readonly driver: VmDriver,
    @inject(EventRecorder) private readonly events: EventRecorder,
  ) {}

  /** Adds a NIC on `networkId` (`addNicToVirtualMachine`). */
  async add(caller: CallContext, input: AddNicInput): Promise<VmView> {
    const request = validate(AddNicInput, input);
    const precheck = await this.store.transaction(async (tx) => {
      const vm = await this.changeable(tx, caller, request.virtualMachineId);
      const network = await this.networks.usableBy(tx, caller, request.networkId, vm, 'networkid');
      if (network.zoneId !== vm.zoneId) throw invalidParameter('networkid', `network ${network.name} is not in the VM's zone`);
      const nics = (await tx.repo('nics').find({ where: { vmId: vm.id } })).items;
      if (nics.some((n) => n.networkId === network.id)) throw invalidParameter('networkid', `VM ${vm.name} already has a NIC on network ${network.name}`);
      if (nics.length > 0 && nics.every((n) => n.networkId === undefined)) throw invalidParameter('virtualmachineid', `VM ${vm.name} is in a basic zone; its only network is the zone's direct network`);
      if (request.ipAddress !== undefined) {
        const holder = await tx.pools.holderOf(guestNetworkIpPoolKey(network.id), request.ipAddress);
        if (holder === undefined) throw invalidParameter('ipaddress', `${request.ipAddress} is not a guest address of network ${network.name}`);
        if (holder !== null) throw invalidParameter('ipaddress', `${request.ipAddress} is already allocated in network ${network.name}`);
      }
      return { vm, network };
    });
    // A running VM's new network must be ready before the NIC is plugged in.
    if (precheck.vm.state === 'Running') await this.implementer.implement(precheck.network.id);
    const staged = await this.store.transaction(async (tx) => {
      const vm = await this.changeable(tx, caller, request.virtualMachineId);
      const network = await this.networks.usableBy(tx, caller, request.networkId, vm, 'networkid');
      const nics = (await tx.repo('nics').find({ where: { vmId: vm.id } })).items;
      if (nics.some((n) => n.networkId === network.id)) throw invalidParameter('networkid', `VM ${vm.name} already has a NIC on network ${network.name}`);
      if (nics.length > 0 && nics.every((n) => n.networkId === undefined)) throw invalidParameter('virtualmachineid', `VM ${vm.name} is in a basic zone; its only network is the zone's direct network`);
      const nic = await this.vmNetworks.attach(tx, { vmId: vm.id, zoneId: vm.zoneId, deviceId: Math.max(-1, ...nics.map((n) => n.deviceId)) + 1, network, isDefault: false, ...(request.ipAddress === undefined ? {} : { ipAddress: request.ipAddress }), now: isoNow(this.clock) });
      const call = vm.state === 'Running' && vm.hostId !== undefined ? await this.driver.prepare(tx, vm.hostId, 'nic.plug') : undefined;
      await this.events.record(tx, caller, { accountId: vm.accountId, domainId: vm.domainId, type: 'NIC.CREATE', resourceType: 'Nic', resourceId: nic.id, description: `Added a NIC on network ${network.name} to VM ${vm.name}` });
      return { vm, nic, call };
    });
    if (staged.call !== undefined) {
      try {
        await this.plug(staged.call, staged.vm, staged.nic, 'plug');
      } catch (error) {
        await this.store.transaction(async (tx) => this.dropNic(tx, staged.nic));
        throw error;
      }
    }
    if (staged.nic.networkId !== undefined) await this.tellNetwork(staged.nic.networkId);
    return this.view(caller, staged.vm.id);
  }

  /** Removes a NIC that is not the VM's default (`removeNicFromVirtualMachine`). */
  async remove(caller: CallContext, input: VmNicInput): Promise<VmView> {
    const request = validate(VmNicInput, input);
    const staged = await this.store.transaction(async (tx) => {
      const vm = await this.changeable(tx, caller, request.virtualMachineId);
      const nic = await this.nicOf(tx, vm, request.nicId);
      if (nic.isDefault) throw invalidParameter('nicid', `NIC ${nic.id} is the default NIC of VM ${vm.name}; make another NIC the default first`);
      const rules = (await tx.repo('networkRules').find({ where: { vmId: vm.id } })).items.filter((r) => r.nicId === nic.id || r.networkId === nic.networkId);
      if (rules.length > 0) throw invalidParameter('nicid', `VM ${vm.name} has ${rules.length} port forwarding rule(s) on NIC ${nic.id}'s network; delete them first`);
      const balanced = (await tx.repo('networkRules').find({ where: { networkId: nic.networkId ?? '', purpose: 'Lb' } })).items.filter((r) => r.memberVmIds?.includes(vm.id) === true);
      if (balanced.length > 0) throw invalidParameter('nicid', `VM ${vm.name} is a member of ${balanced.length} load balancing rule(s) on NIC ${nic.id}'s network; remove it from them first`);
      const call = vm.state === 'Running' && vm.hostId !== undefined ? await this.driver.prepare(tx, vm.hostId, 'nic.plug') : undefined;
      return { vm, nic, call };
    });
    if (staged.call !== undefined) await this.plug(staged.call, staged.vm, staged.nic, 'unplug');
    await this.store.transaction(async (tx) => {
      await this.dropNic(tx, staged.nic);
      await this.events.record(tx, caller, { accountId: staged.vm.accountId, domainId: staged.vm.domainId, type: 'NIC.DELETE', resourceType: 'Nic', resourceId: staged.nic.id, description: `Removed NIC ${staged.nic.id} from VM ${staged.vm.name}` });
    });
    if (staged.nic.networkId !== undefined) await this.tellNetwork(staged.nic.networkId);
    return this.view(caller, staged.vm.id);
  }

  /** Makes another NIC the VM's default (`updateDefaultNicForVirtualMachine`). */
  async makeDefault(caller: CallContext, input: VmNicInput): Promise<VmView> {
    const request = validate(VmNicInput, input);
    const touched = await this.store.transaction(async (tx) => {
      const vm = await this.changeable(tx, caller, request.virtualMachineId);
      const nic = await this.nicOf(tx, vm, request.nicId);
      if (nic.isDefault) throw invalidParameter('nicid', `NIC ${nic.id} is already the default NIC of VM ${vm.name}`);
      const staticNat = await tx.repo('publicIps').findOne({ staticNatVmId: vm.id });
      if (staticNat !== undefined) throw invalidParameter('nicid', `VM ${vm.name} has static NAT on ${staticNat.address} through its default NIC; disable it first`);
      const pf = (await tx.repo('networkRules').find({ where: { vmId: vm.id, purpose: 'PortForwarding' } })).items;
      if (pf.length > 0) throw invalidParameter('nicid', `VM ${vm.name} has port forwarding rules on its default NIC; delete them first`);
      const networks: string[] = [];
      for (const other of (await tx.repo('nics').find({ where: { vmId: vm.id } })).items) {
        const isDefault = other.id === nic.id;
        if (other.isDefault !== isDefault) {
          await tx.repo('nics').update({ ...other, isDefault });
          if (other.networkId !== undefined) networks.push(other.networkId);
        }
      }
      await this.events.record(tx, caller, { accountId: vm.accountId, domainId: vm.domainId, type: 'NIC.UPDATE', resourceType: 'Nic', resourceId: nic.id, description: `NIC ${nic.id} is now the default NIC of VM ${vm.name}` });
      return { vmId: vm.id, networks };
    });
    for (const id of touched.networks) await this.tellNetwork(id);
    return this.view(caller, touched.vmId);
  }

  private async view(caller: CallContext, vmId: string): Promise<VmView> {
    return this.store.transaction(async (tx) => this.access.view(tx, await this.access.visible(tx, caller, vmId, 'virtualmachineid')));
  }

  private async changeable(tx: Transaction, caller: CallContext, id: string): Promise<VirtualMachine> {
    const vm = await this.access.visible(tx, caller, id, 'virtualmachineid');
    if (!CHANGEABLE.has(vm.state)) throw invalidParameter('virtualmachineid', `VM ${vm.name} is ${vm.state}; its NICs change only when it is Stopped or Running`);
    return vm;
  }

  private async nicOf(tx: Transaction, vm: VirtualMachine, nicId: string): Promise<Nic> {
    const nic = await tx.repo('nics').get(nicId);
    if (nic === undefined || nic.vmId !== vm.id) throw notFound('NIC', 'nicid', nicId);
    return nic;
  }

  /** Gives a NIC's address and MAC back and removes it. */
  private async dropNic(tx: Transaction, nic: Nic): Promise<void> {
    if (nic.ipPool !== undefined && nic.ipAddress !== undefined) await tx.pools.release(nic.ipPool, nic.ipAddress, nic.id);
    await this.reservations.releaseMac(tx, nic.zoneId, nic.macAddress, nic.id);
    await tx.repo('nics').delete(nic.id);
  }

  private async plug(call: PreparedVmCall, vm: VirtualMachine, nic: Nic, action: 'plug' | 'unplug'): Promise<void> {
    const spec: VmNicSpec = { deviceId: nic.deviceId, macAddress: nic.macAddress, ipAddress: nic.ipAddress ?? '', netmask: nic.netmask ?? '', gateway: nic.gateway ?? '', vlan: nic.vlan ?? UNTAGGED_VLAN, trafficType: 'Guest', isDefault: nic.isDefault };
    await this.driver.call(call, `${action} a NIC ${action === 'plug' ? 'into' : 'out of'} VM ${vm.instanceName}`, async (driver) => {
      const fn = action === 'plug' ? driver.plugNic : driver.unplugNic;
      if (fn === undefined) throw new Error(`the ${driver.hypervisorType} driver cannot ${action} NICs`);
      await fn.call(driver, { host: call.host, vmName: vm.instanceName, nic: spec });
    });
  }

  /** Hands an implemented network's providers its rule set (DHCP entries changed). */
  private async tellNetwork(networkId: string): Promise<void> {
    const state = await this.store.transaction(async (tx) => (await tx.repo('networks').get(networkId))?.state);
    if (state === 'Implemented') await this.ruleSync.sync(networkId);
  }
}
