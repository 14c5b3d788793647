import { inject, injectable } from 'tsyringe';
import { isAdmin, type CallContext } from '../context/call-context.js';
import type { Transaction } from '../contracts/store.js';
import { notFound } from '../errors.js';
import type { VirtualMachine } from '../model/vm.js';
import { vmViewOf, type VmView } from './vm-view.js';
import { Visibility } from './visibility.js';

/**
 * Looks VMs up by id under the one visibility rule: another tenant's VM, and (for users) a
 * destroyed one, read exactly like a VM that does not exist (431 naming `id`).
 */
@injectable()
export class VmAccess {
  constructor(@inject(Visibility) private readonly visibility: Visibility) {}

  /** The VM if `caller` may see it; 431 not found otherwise. */
  async visible(tx: Transaction, caller: CallContext, id: string, param = 'id'): Promise<VirtualMachine> {
    const vm = await tx.repo('vms').get(id);
    if (vm === undefined || (!isAdmin(caller) && (vm.state === 'Destroyed' || vm.state === 'Expunging'))) throw notFound('virtual machine', param, id);
    await this.visibility.assertCanAccess(tx, caller, vm, 'virtual machine', param, id);
    return vm;
  }

  /** The view of a VM with its NICs, read in `tx`. */
  async view(tx: Transaction, vm: VirtualMachine): Promise<VmView> {
    return vmViewOf(vm, (await tx.repo('nics').find({ where: { vmId: vm.id } })).items);
  }
}
