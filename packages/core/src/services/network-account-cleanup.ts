import { inject, injectable } from 'tsyringe';
import { SYSTEM, type CallContext } from '../context/call-context.js';
import type { Store, Transaction } from '../contracts/store.js';
import { TOKENS } from '../tokens.js';
import type { Account } from '../model/account.js';
import { JobRunner } from './job-runner.js';
import { GuestNetworkService } from './networks.js';
import { VmRemoval } from './vm-removal.js';

/** How long a network's cleanup waits for a VM another job is expunging, and how often it looks. */
const PURGE_WAIT_MS = 120_000;
const PURGE_POLL_MS = 100;

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
    @inject(TOKENS.Store) private readonly store: Store,
  ) {}

  /** Submits the delete jobs of every network of `account` in `tx`. */
  async run(tx: Transaction, account: Account, caller: CallContext): Promise<void> {
    for (const network of (await tx.repo('networks').find({ where: { accountId: account.id } })).items) {
      await this.jobs.submit(caller, { command: 'deleteNetwork', instanceType: 'Network', instanceId: network.id }, () => this.purge(network.id), tx);
    }
  }

  /**
   * Expunges the network's VMs, then deletes it. The VM area's own jobs expunge the same VMs at
   * the same time; when one of them holds a VM (it is Stopping or Expunging), this job waits
   * for the row to go rather than failing.
   */
  private async purge(networkId: string): Promise<void> {
    for (const vmId of await this.networks.vmIdsOn(networkId)) {
      try {
        await this.removal.purge(SYSTEM, vmId);
      } catch (error) {
        if (!(await this.gone(vmId))) throw error;
      }
    }
    await this.networks.delete(SYSTEM, { id: networkId });
  }

  /** Waits (up to `PURGE_WAIT_MS`) for a VM another job is expunging to be gone. */
  private async gone(vmId: string): Promise<boolean> {
    for (let waited = 0; waited < PURGE_WAIT_MS; waited += PURGE_POLL_MS) {
      if ((await this.store.transaction((tx) => tx.repo('vms').get(vmId))) === undefined) return true;
      await new Promise((resolve) => setTimeout(resolve, PURGE_POLL_MS));
    }
    return false;
  }
}
