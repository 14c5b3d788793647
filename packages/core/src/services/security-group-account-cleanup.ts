import { inject, injectable } from 'tsyringe';
import type { Transaction } from '../contracts/store.js';
import type { Account } from '../model/account.js';
import { TOKENS, type Logger } from '../tokens.js';
import { SecurityGroupEnforcer } from './security-group-enforcer.js';

/**
 * What deleting an account does to security groups, inside the deleting transaction: the
 * account's groups go with their rules and memberships (its VMs are expunged by their own jobs
 * afterwards), and so do other accounts' rules that allowed the deleted groups. Once the deletion
 * commits, the running members of the groups that lost such rules get their new rule sets (a
 * failure leaves them `pending`; it is logged, not raised).
 */
@injectable()
export class SecurityGroupAccountCleanup {
  constructor(
    @inject(TOKENS.Logger) private readonly logger: Logger,
    @inject(SecurityGroupEnforcer) private readonly enforcer: SecurityGroupEnforcer,
  ) {}

  /** Removes the account's groups, their rules and memberships, and rules naming them. */
  async run(tx: Transaction, account: Account): Promise<void> {
    const groupIds = (await tx.repo('securityGroups').find({ where: { accountId: account.id } })).items.map((g) => g.id);
    const affected = new Set<string>();
    if (groupIds.length > 0) {
      for (const rule of (await tx.repo('securityGroupRules').find({ where: { allowedGroupId: { in: groupIds } } })).items) {
        if (!groupIds.includes(rule.securityGroupId)) affected.add(rule.securityGroupId);
        await tx.repo('securityGroupRules').delete(rule.id);
      }
    }
    for (const rule of (await tx.repo('securityGroupRules').find({ where: { accountId: account.id } })).items) await tx.repo('securityGroupRules').delete(rule.id);
    const members = groupIds.length === 0 ? [] : (await tx.repo('securityGroupMembers').find({ where: { groupId: { in: groupIds } } })).items;
    for (const member of members) await tx.repo('securityGroupMembers').delete(member.id);
    for (const id of groupIds) await tx.repo('securityGroups').delete(id);
    if (affected.size === 0) return;
    tx.afterCommit(() => {
      void this.enforcer.applyForGroups([...affected]).catch((error: unknown) => {
        this.logger.warn('could not re-apply security group rules after an account was deleted', { accountId: account.id, error: error instanceof Error ? error.message : String(error) });
      });
    });
  }
}
