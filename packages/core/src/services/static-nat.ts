import { inject, injectable } from 'tsyringe';
import type { CallContext } from '../context/call-context.js';
import { isoNow, type Clock } from '../contracts/clock.js';
import type { Store, Transaction } from '../contracts/store.js';
import { invalidParameter } from '../errors.js';
import { providerOf } from '../model/network-offering.js';
import type { PublicIp } from '../model/public-ip.js';
import { TOKENS } from '../tokens.js';
import { EventRecorder } from './event-recorder.js';
import { assertPurposeAllowed } from './ip-rule-conflicts.js';
import { NetworkRuleSync } from './network-rule-sync.js';
import { PublicIpAccess } from './public-ip-access.js';
import { DisableStaticNatInput, EnableStaticNatInput } from './public-ip-inputs.js';
import { publicIpViewOf, type PublicIpView } from './public-ip-view.js';
import { validate } from './validate.js';
import { VmAccess } from './vm-access.js';

/** VM states static NAT can map to (a destroyed or failed VM takes no new mapping). */
const MAPPABLE_VM_STATES = new Set(['Stopped', 'Starting', 'Running', 'Stopping', 'Migrating']);

/** The static NAT fields of a public IP. */
type StaticNatFields = Pick<PublicIp, 'staticNatVmId' | 'staticNatNicId' | 'staticNatVmIp'>;

/**
 * Static NAT (install guide 13.13): maps a public IP one-to-one to the guest address of a VM
 * of the address's owner, on the VM's default NIC on the address's network (static NAT works
 * only on the default network, 13.13.1). One purpose at a time: refused on the source NAT
 * address and on an address with port forwarding or load-balancing rules; a VM takes static
 * NAT on one address only. Enabling and disabling go through the network rule engine, so a
 * router that refuses the new set leaves the mapping as it was.
 */
@injectable()
export class StaticNatService {
  constructor(
    @inject(TOKENS.Store) private readonly store: Store,
    @inject(TOKENS.Clock) private readonly clock: Clock,
    @inject(PublicIpAccess) private readonly access: PublicIpAccess,
    @inject(VmAccess) private readonly vms: VmAccess,
    @inject(NetworkRuleSync) private readonly ruleSync: NetworkRuleSync,
    @inject(EventRecorder) private readonly events: EventRecorder,
  ) {}

  /**
   * Enables static NAT from `ipAddressId` to `virtualMachineId` (`enableStaticNat`). 431 naming
   * the parameter at fault: the address is not usable for rules, its offering has no StaticNat,
   * it is the source NAT address, has port forwarding or load-balancing rules or static NAT
   * already; the VM is not the address owner's, not live, has no NIC on the address's network or
   * that NIC is not its default, or has static NAT on another address. 534 when the router
   * refuses (nothing changes then).
   */
  async enable(caller: CallContext, input: EnableStaticNatInput): Promise<PublicIpView> {
    const spec = validate(EnableStaticNatInput, input);
    const networkId = await this.store.transaction(async (tx) => (await this.access.forRules(tx, caller, spec.ipAddressId)).network.id);
    await this.ruleSync.change(networkId, async (tx) => {
      const { ip, network, offering } = await this.access.forRules(tx, caller, spec.ipAddressId);
      if (spec.networkId !== undefined && spec.networkId !== network.id) throw invalidParameter('networkid', `public IP ${ip.address} is associated with network ${network.name}, not ${spec.networkId}`);
      if (providerOf(offering, 'StaticNat') === undefined) throw invalidParameter('ipaddressid', `the offering of network ${network.name} does not provide StaticNat`);
      if (ip.staticNatVmId !== undefined) throw invalidParameter('ipaddressid', `public IP ${ip.address} already has static NAT to VM ${ip.staticNatVmId}; disable it first`);
      await assertPurposeAllowed(tx, ip, offering, 'StaticNat', 'ipaddressid');
      const vm = await this.vms.visible(tx, caller, spec.virtualMachineId, 'virtualmachineid');
      if (vm.accountId !== ip.accountId) throw invalidParameter('virtualmachineid', `VM ${vm.name} and public IP ${ip.address} belong to different accounts`);
      if (!MAPPABLE_VM_STATES.has(vm.state)) throw invalidParameter('virtualmachineid', `VM ${vm.name} is ${vm.state}`);
      const nic = await tx.repo('nics').findOne({ vmId: vm.id, networkId: network.id });
      if (nic === undefined || nic.ipAddress === undefined) throw invalidParameter('virtualmachineid', `VM ${vm.name} has no NIC on network ${network.name}`);
      if (!nic.isDefault) throw invalidParameter('virtualmachineid', `network ${network.name} is not the default network of VM ${vm.name}; static NAT works only on the default network`);
      const other = await tx.repo('publicIps').findOne({ staticNatVmId: vm.id });
      if (other !== undefined) throw invalidParameter('virtualmachineid', `VM ${vm.name} already has static NAT on public IP ${other.address}`);
      await this.setFields(tx, ip.id, { staticNatVmId: vm.id, staticNatNicId: nic.id, staticNatVmIp: nic.ipAddress });
      return {
        value: undefined,
        commit: async (outcome: Transaction) => {
          await this.events.record(outcome, caller, { accountId: ip.accountId, domainId: ip.domainId, type: 'STATICNAT.ENABLE', resourceType: 'IpAddress', resourceId: ip.id, description: `Enabled static NAT from ${ip.address} to VM ${vm.name} (${nic.ipAddress})` });
        },
        undo: (outcome: Transaction) => this.setFields(outcome, ip.id, {}),
      };
    });
    return this.view(caller, spec.ipAddressId);
  }

  /**
   * Disables static NAT on `ipAddressId` (`disableStaticNat`): 431 when it has none. 534 when
   * the router refuses (the mapping then stays).
   */
  async disable(caller: CallContext, input: DisableStaticNatInput): Promise<PublicIpView> {
    const spec = validate(DisableStaticNatInput, input);
    const networkId = await this.store.transaction(async (tx) => (await this.mapped(tx, caller, spec.ipAddressId)).networkId as string);
    await this.ruleSync.change(networkId, async (tx) => {
      const ip = await this.mapped(tx, caller, spec.ipAddressId);
      const previous = fieldsOf(ip);
      await this.setFields(tx, ip.id, {});
      return {
        value: undefined,
        commit: async (outcome: Transaction) => {
          await this.events.record(outcome, caller, { accountId: ip.accountId, domainId: ip.domainId, type: 'STATICNAT.DISABLE', resourceType: 'IpAddress', resourceId: ip.id, description: `Disabled static NAT from ${ip.address} to ${ip.staticNatVmIp ?? ip.staticNatVmId ?? ''}` });
        },
        undo: (outcome: Transaction) => this.setFields(outcome, ip.id, previous),
      };
    });
    return this.view(caller, spec.ipAddressId);
  }

  /** The address, `Allocated`, on a network, with static NAT enabled; 431 naming `ipaddressid` otherwise. */
  private async mapped(tx: Transaction, caller: CallContext, id: string): Promise<PublicIp> {
    const { ip } = await this.access.forRules(tx, caller, id);
    if (ip.staticNatVmId === undefined) throw invalidParameter('ipaddressid', `public IP ${ip.address} has no static NAT enabled`);
    return ip;
  }

  /** Replaces the static NAT fields of an address (removes them when `fields` is empty). */
  private async setFields(tx: Transaction, ipId: string, fields: StaticNatFields): Promise<void> {
    const current = await tx.repo('publicIps').get(ipId);
    if (current === undefined) return;
    const { staticNatVmId: _vm, staticNatNicId: _nic, staticNatVmIp: _ip, ...rest } = current;
    await tx.repo('publicIps').update({ ...rest, ...definedFields(fields), updatedAt: isoNow(this.clock) });
  }

  private view(caller: CallContext, id: string): Promise<PublicIpView> {
    return this.store.transaction(async (tx) => publicIpViewOf(tx, await this.access.visible(tx, caller, id, 'ipaddressid')));
  }
}

function fieldsOf(ip: PublicIp): StaticNatFields {
  return definedFields({ staticNatVmId: ip.staticNatVmId, staticNatNicId: ip.staticNatNicId, staticNatVmIp: ip.staticNatVmIp });
}

function definedFields(fields: { readonly [K in keyof StaticNatFields]?: string | undefined }): StaticNatFields {
  return {
    ...(fields.staticNatVmId === undefined ? {} : { staticNatVmId: fields.staticNatVmId }),
    ...(fields.staticNatNicId === undefined ? {} : { staticNatNicId: fields.staticNatNicId }),
    ...(fields.staticNatVmIp === undefined ? {} : { staticNatVmIp: fields.staticNatVmIp }),
  };
}
