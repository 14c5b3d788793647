import { injectable } from 'tsyringe';
import type { Transaction } from '../contracts/store.js';
import type { Account } from '../model/account.js';
import { vpnUserCounterKey } from './vpn-users.js';

/**
 * What deleting an account does to remote-access VPN, inside the deleting transaction: its VPN
 * users go with their count, and its VPNs' rows go. The account's networks are deleted by their
 * own jobs afterwards (which destroys their routers, and the VPN servers with them, and removes
 * the firewall rules the VPNs opened), so no router is told here.
 */
@injectable()
export class VpnAccountCleanup {
  /** Removes the account's VPN users and VPNs. */
  async run(tx: Transaction, account: Account): Promise<void> {
    for (const user of (await tx.repo('vpnUsers').find({ where: { accountId: account.id } })).items) await tx.repo('vpnUsers').delete(user.id);
    await tx.counters.delete(vpnUserCounterKey(account.id));
    for (const vpn of (await tx.repo('remoteAccessVpns').find({ where: { accountId: account.id } })).items) await tx.repo('remoteAccessVpns').delete(vpn.id);
  }
}
