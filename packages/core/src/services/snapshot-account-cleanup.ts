import { inject, injectable } from 'tsyringe';
import type { CallContext } from '../context/call-context.js';
import type { Transaction } from '../contracts/store.js';
import type { Account } from '../model/account.js';
import { JobRunner } from './job-runner.js';
import { SnapshotLifecycle } from './snapshot-lifecycle.js';

/**
 * What deleting an account does to its snapshots, inside the deleting transaction: a backed-up
 * snapshot is deleted from storage by one `deleteSnapshot` job each, which joins the transaction
 * (so it never exists if the account deletion rolls back); a snapshot still being taken loses
 * its row and count here, and the take then deletes what the driver made. The account's
 * policies go with its volumes.
 */
@injectable()
export class SnapshotAccountCleanup {
  constructor(
    @inject(JobRunner) private readonly jobs: JobRunner,
    @inject(SnapshotLifecycle) private readonly lifecycle: SnapshotLifecycle,
  ) {}

  /** Removes or schedules the deletion of every snapshot of `account` in `tx`. */
  async run(tx: Transaction, account: Account, caller: CallContext): Promise<void> {
    for (const snapshot of (await tx.repo('snapshots').find({ where: { accountId: account.id } })).items) {
      if (snapshot.state !== 'BackedUp') {
        if (snapshot.state !== 'Destroying') await this.lifecycle.remove(tx, snapshot);
        continue;
      }
      await this.jobs.submit(caller, { command: 'deleteSnapshot', instanceType: 'Snapshot', instanceId: snapshot.id }, () => this.lifecycle.delete(caller, snapshot.id), tx);
    }
  }
}
