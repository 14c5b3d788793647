import { inject, injectable } from 'tsyringe';
import type { CallContext } from '../context/call-context.js';
import type { Transaction } from '../contracts/store.js';
import type { Account } from '../model/account.js';
import { ResourceLimitService } from './resource-limits.js';
import { TemplateDownloads } from './template-downloads.js';

/**
 * What deleting an account does to templates (registered with `AccountCleanup` at start-up):
 * its templates and ISOs turn `Deleting`, their `template` count is released and a removal job
 * per template (joining the deleting transaction) clears their images and rows; the launch
 * permissions other templates gave the account go too.
 */
@injectable()
export class TemplateAccountCleanup {
  constructor(
    @inject(ResourceLimitService) private readonly limits: ResourceLimitService,
    @inject(TemplateDownloads) private readonly downloads: TemplateDownloads,
  ) {}

  /** The cleanup handler: runs inside the account-deleting transaction. */
  async run(tx: Transaction, account: Account, caller: CallContext): Promise<void> {
    for (const grant of (await tx.repo('templatePermissions').find({ where: { accountId: account.id } })).items) {
      await tx.repo('templatePermissions').delete(grant.id);
    }
    const owned = (await tx.repo('templates').find({ where: { accountId: account.id, state: 'Active' } })).items;
    for (const template of owned) {
      const deleting = await tx.repo('templates').update({ ...template, state: 'Deleting' });
      await this.limits.release(tx, account.id, 'template');
      for (const grant of (await tx.repo('templatePermissions').find({ where: { templateId: template.id } })).items) {
        await tx.repo('templatePermissions').delete(grant.id);
      }
      const copies = (await tx.repo('templateCopies').find({ where: { templateId: template.id } })).items;
      await this.downloads.startRemoval(tx, caller, deleting, copies, true);
    }
  }
}
