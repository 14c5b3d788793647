import { inject, injectable } from 'tsyringe';
import { SYSTEM, type CallContext } from '../context/call-context.js';
import type { Transaction } from '../contracts/store.js';
import type { Account } from '../model/account.js';
import { JobRunner } from './job-runner.js';
import { VmRemoval } from './vm-removal.js';

/**
 * What deleting an account does to its VMs: inside the deleting transaction, one job per VM
 * is submitted (it joins the transaction, so it exists exactly when the deletion commits); each
 * job stops the VM (forced) if it runs and expunges it, releasing everything it held.
 */
@injectable()
export class VmAccountCleanup {
  constructor(
    @inject(JobRunner) private readonly jobs: JobRunner,
    @inject(VmRemoval) private readonly removal: VmRemoval,
  ) {}

  /** Submits the expunge jobs of every VM of `account` in `tx`. */
  async run(tx: Transaction, account: Account, caller: CallContext): Promise<void> {
    const vms = (await tx.repo('vms').find({ where: { accountId: account.id } })).items;
    for (const vm of vms) {
      await this.jobs.submit(caller, { command: 'expungeVirtualMachine', instanceType: 'VirtualMachine', instanceId: vm.id }, () => this.removal.purge(SYSTEM, vm.id), tx);
    }
  }
}
