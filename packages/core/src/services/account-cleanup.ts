import { injectable } from 'tsyringe';
import type { CallContext } from '../context/call-context.js';
import type { Transaction } from '../contracts/store.js';
import { invalidParameter } from '../errors.js';
import type { Account } from '../model/account.js';

/**
 * Releases or destroys what one area keeps for an account that is being deleted. It runs inside
 * the deleting transaction, so either the account and everything it owned go together or
 * nothing changes. An area whose resources live on devices records the intent here (marks them
 * for expunge, submits jobs that join the transaction) rather than calling drivers.
 */
export type AccountCleanupHandler = (tx: Transaction, account: Account, caller: CallContext) => Promise<void>;

/**
 * Where areas register what deleting an account must release: as later areas add resources
 * (VMs, volumes, IPs, networks …), each registers its handler here at start-up, and
 * `accounts.delete` runs them all, in registration order, before it removes the account's
 * users, keys and limits.
 */
@injectable()
export class AccountCleanup {
  private readonly handlers = new Map<string, AccountCleanupHandler>();

  /** Registers an area's handler under a unique name (`ssh-key-pairs`, `vms`, …). */
  register(name: string, handler: AccountCleanupHandler): void {
    if (this.handlers.has(name)) throw invalidParameter('name', `an account cleanup named ${name} is already registered`);
    this.handlers.set(name, handler);
  }

  /** The names of the registered handlers, in the order they run. */
  names(): string[] {
    return Array.from(this.handlers.keys());
  }

  /** Runs every handler for `account` inside `tx`. */
  async run(tx: Transaction, account: Account, caller: CallContext): Promise<void> {
    for (const handler of this.handlers.values()) await handler(tx, account, caller);
  }
}
