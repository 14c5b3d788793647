import { inject, injectable } from 'tsyringe';
import type { CallContext } from '../context/call-context.js';
import type { Transaction } from '../contracts/store.js';
import type { Account } from '../model/account.js';
import { AccountCleanup } from './account-cleanup.js';
import { EventRecorder } from './event-recorder.js';
import { ResourceLimitService } from './resource-limits.js';

/**
 * Removes an account and everything it owns inside one transaction: the registered cleanup
 * handlers of every area first, then its users (with their keys), its usage counters and
 * limits, and the account itself. Shared by account deletion and domain deletion with cleanup.
 */
@injectable()
export class AccountRemoval {
  constructor(
    @inject(AccountCleanup) private readonly cleanup: AccountCleanup,
    @inject(ResourceLimitService) private readonly limits: ResourceLimitService,
    @inject(EventRecorder) private readonly events: EventRecorder,
  ) {}

  /** Removes `account` and what it owns, recording `ACCOUNT.DELETE`. */
  async remove(tx: Transaction, caller: CallContext, account: Account): Promise<void> {
    await this.cleanup.run(tx, account, caller);
    const users = tx.repo('users');
    for (const user of (await users.find({ where: { accountId: account.id } })).items) await users.delete(user.id);
    await this.limits.removeAccount(tx, account);
    await tx.repo('accounts').delete(account.id);
    await this.events.record(tx, caller, {
      type: 'ACCOUNT.DELETE',
      description: `Deleted account ${account.name}`,
      resourceType: 'Account',
      resourceId: account.id,
      accountId: account.id,
      domainId: account.domainId,
    });
  }
}
