import { inject, injectable } from 'tsyringe';
import { SYSTEM, type CallContext } from '../context/call-context.js';
import type { Transaction } from '../contracts/store.js';
import type { Account } from '../model/account.js';
import { JobRunner } from './job-runner.js';
import { GuestNetworkService } from './networks.js';
import { VmRemoval } from './vm-removal.js';

/**
 * What deleting an account does to its guest networks: inside the deleting transaction, one job
 * per network of the account is submitted; each job expunges the VMs still on the network (the
 * VM area's own jobs may already have) and deletes the network, which stops its router and
 * releases its VLAN, public IPs and rules.
 */
@injectable()
export class NetworkAccountCleanup {
  constructor(
    @inject(JobRunner) private readonly jobs: JobRunner,
    @inject(VmRemoval) private readonly removal: VmRemoval,
    @inject(GuestNetworkService) private readonly networks: GuestNetworkService,
  ) {}

  /** Submits the delete jobs of every network of `account` in `tx`. */
  async run(tx: Transaction, account: Account, caller: CallContext): Promise<void> {
    for (const network of (await tx.repo('networks').find({ where: { accountId: account.id } })).items) {
      await this.jobs.submit(caller, { command: 'deleteNetwork', instanceType: 'Network', instanceId: network.id }, () => this.purge(network.id), tx);
    }
  }

  private async purge(networkId: string): Promise<void> {
    const vmIds = await this.networks.vmIdsOn(networkId);
    for (const vmId of vmIds) await this.removal.purge(SYSTEM, vmId);
    await this.networks.delete(SYSTEM, { id: networkId });
  }
}
