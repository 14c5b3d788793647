import { inject, injectable } from 'tsyringe';
import type { CallContext } from '../context/call-context.js';
import type { Transaction } from '../contracts/store.js';
import type { Account } from '../model/account.js';
import { JobRunner } from './job-runner.js';
import { VolumeLifecycle } from './volume-lifecycle.js';

/**
 * What deleting an account does to its volumes, inside the deleting transaction: ROOT volume
 * rows go (their VM's expunge gives the root disk's bytes back), data volumes are detached in
 * the store (their VMs are being expunged) and deleted from their pools by one job each, which
 * joins the transaction and then releases their bytes and `volume` counts. Snapshot rows and
 * policies of the account go with them.
 */
@injectable()
export class VolumeAccountCleanup {
  constructor(
    @inject(JobRunner) private readonly jobs: JobRunner,
    @inject(VolumeLifecycle) private readonly lifecycle: VolumeLifecycle,
  ) {}

  /** Removes or schedules the deletion of every volume of `account` in `tx`. */
  async run(tx: Transaction, account: Account, caller: CallContext): Promise<void> {
    for (const volume of (await tx.repo('volumes').find({ where: { accountId: account.id } })).items) {
      if (volume.type === 'ROOT' || volume.storageId === undefined) {
        await this.lifecycle.remove(tx, volume);
        continue;
      }
      const { virtualMachineId: _vm, deviceId: _device, ...detached } = volume;
      await tx.repo('volumes').update(detached);
      await this.jobs.submit(caller, { command: 'deleteVolume', instanceType: 'Volume', instanceId: volume.id }, () => this.lifecycle.delete(caller, { id: volume.id }), tx);
    }
    for (const policy of (await tx.repo('snapshotPolicies').find({ where: { accountId: account.id } })).items) await tx.repo('snapshotPolicies').delete(policy.id);
  }
}
