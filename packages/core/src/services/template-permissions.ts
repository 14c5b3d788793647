import { inject, injectable } from 'tsyringe';
import { z } from 'zod';
import { ConfigReader } from '../config/config-reader.js';
import { isAdmin, isRootAdmin, type CallContext } from '../context/call-context.js';
import { isoNow, type Clock } from '../contracts/clock.js';
import type { RandomSource } from '../contracts/random.js';
import type { Store } from '../contracts/store.js';
import { invalidParameter, permissionDenied } from '../errors.js';
import { TOKENS } from '../tokens.js';
import { EventRecorder } from './event-recorder.js';
import { entityOf, launchableTemplate, mayFeature, modifiableTemplate } from './template-access.js';
import { validate } from './validate.js';
import { Visibility } from './visibility.js';

/** Input of {@link TemplatePermissionService.update} (4.1 `updateTemplatePermissions` / `updateIsoPermissions`). */
export const UpdateTemplatePermissionsInput = z.object({
  id: z.string().min(1),
  /** Account names, in the template owner's domain, to add or remove. */
  accounts: z.array(z.string().min(1)).min(1).optional(),
  /** `add` or `remove` the named accounts, or `reset` (no accounts, not public, not featured). */
  op: z.enum(['add', 'remove', 'reset']).optional(),
  isPublic: z.boolean().optional(),
  /** Root and domain admins only. */
  isFeatured: z.boolean().optional(),
  /** Root admins only. */
  isExtractable: z.boolean().optional(),
}).superRefine((input, ctx) => {
  if (input.accounts !== undefined && input.op === undefined) ctx.addIssue({ code: 'custom', path: ['op'], message: 'is required with accounts (add or remove)' });
  if (input.op !== undefined && input.op !== 'reset' && input.accounts === undefined) ctx.addIssue({ code: 'custom', path: ['accounts'], message: `is required for op=${input.op}` });
});
/** Input of {@link TemplatePermissionService.update}. */
export type UpdateTemplatePermissionsInput = z.input<typeof UpdateTemplatePermissionsInput>;

/** Who may launch a template, as `listTemplatePermissions` answers. */
export interface TemplatePermissionsView {
  /** The template or ISO. */
  readonly id: string;
  /** Whether everyone may launch it. */
  readonly isPublic: boolean;
  /** The owner's domain. */
  readonly domainId: string;
  /** Names of the accounts it is shared with. */
  readonly accounts: readonly string[];
}

/**
 * Launch permissions of templates and ISOs: the owner (or an admin above it) shares a private
 * template with accounts of the owner's domain, makes it public, and — admins — featured or
 * extractable. `reset` removes every share and makes it private and not featured, as in 4.1.
 */
@injectable()
export class TemplatePermissionService {
  constructor(
    @inject(TOKENS.Store) private readonly store: Store,
    @inject(TOKENS.Clock) private readonly clock: Clock,
    @inject(TOKENS.Random) private readonly random: RandomSource,
    @inject(ConfigReader) private readonly config: ConfigReader,
    @inject(EventRecorder) private readonly events: EventRecorder,
    @inject(Visibility) private readonly visibility: Visibility,
  ) {}

  /** Changes who may launch a template or ISO (`iso` for `updateIsoPermissions`). */
  async update(caller: CallContext, input: UpdateTemplatePermissionsInput, iso = false): Promise<TemplatePermissionsView> {
    const change = validate(UpdateTemplatePermissionsInput, input);
    if (change.isFeatured !== undefined && !mayFeature(caller)) throw permissionDenied('Only a root or domain admin may change isfeatured', 'isfeatured');
    if (change.isExtractable !== undefined && !isRootAdmin(caller)) throw permissionDenied('Only a root admin may change isextractable', 'isextractable');
    return this.store.transaction(async (tx) => {
      const template = await modifiableTemplate(tx, this.visibility, caller, change.id, iso, 'change its permissions');
      if (change.isPublic === true && !isAdmin(caller) && !(await this.config.flag('allow.public.user.templates', {}, tx))) {
        throw invalidParameter('ispublic', `only private ${entityOf(template)}s are allowed (allow.public.user.templates is false)`);
      }
      const grants = tx.repo('templatePermissions');
      let { isPublic, isFeatured } = template;
      if (change.op === 'reset') {
        for (const grant of (await grants.find({ where: { templateId: template.id } })).items) await grants.delete(grant.id);
        isPublic = false;
        isFeatured = false;
      } else if (change.op !== undefined && change.accounts !== undefined) {
        for (const name of change.accounts) {
          const account = await tx.repo('accounts').findOne({ domainId: template.domainId, name });
          if (account === undefined) {
            throw invalidParameter('accounts', `Unable to ${change.op === 'add' ? 'grant a launch permission to' : 'revoke the launch permission of'} account ${name}: no such account in the owner's domain; no permissions were changed`);
          }
          if (account.id === template.accountId) continue;
          const existing = await grants.findOne({ templateId: template.id, accountId: account.id });
          if (change.op === 'add' && existing === undefined) {
            await grants.insert({ id: this.random.uuid(), templateId: template.id, accountId: account.id, domainId: account.domainId, createdAt: isoNow(this.clock) });
          } else if (change.op === 'remove' && existing !== undefined) {
            await grants.delete(existing.id);
          }
        }
      }
      const updated = await tx.repo('templates').update({
        ...template,
        isPublic: change.isPublic ?? isPublic,
        isFeatured: change.isFeatured ?? isFeatured,
        ...(change.isExtractable === undefined ? {} : { isExtractable: change.isExtractable }),
      });
      await this.events.record(tx, caller, {
        type: iso ? 'ISO.UPDATE' : 'TEMPLATE.UPDATE',
        description: `Updated launch permissions of ${entityOf(updated)} ${updated.name}`,
        resourceType: iso ? 'Iso' : 'Template',
        resourceId: updated.id,
        accountId: updated.accountId,
        domainId: updated.domainId,
      });
      return this.view(tx, updated.id, updated.isPublic, updated.domainId);
    });
  }

  /**
   * Who may launch a template or ISO. Anyone who may launch a public one sees its permissions;
   * a private one's only its owner or an admin above it (others: not found).
   */
  async list(caller: CallContext, input: { id: string }, iso = false): Promise<TemplatePermissionsView> {
    const { id } = validate(z.object({ id: z.string().min(1) }), input);
    return this.store.transaction(async (tx) => {
      const template = await launchableTemplate(tx, this.visibility, caller, id, iso);
      if (!template.isPublic) await modifiableTemplate(tx, this.visibility, caller, id, iso, 'list its permissions');
      return this.view(tx, template.id, template.isPublic, template.domainId);
    });
  }

  private async view(tx: Parameters<Parameters<Store['transaction']>[0]>[0], templateId: string, isPublic: boolean, domainId: string): Promise<TemplatePermissionsView> {
    const names: string[] = [];
    for (const grant of (await tx.repo('templatePermissions').find({ where: { templateId } })).items) {
      const account = await tx.repo('accounts').get(grant.accountId);
      if (account !== undefined) names.push(account.name);
    }
    return { id: templateId, isPublic, domainId, accounts: names };
  }
}
