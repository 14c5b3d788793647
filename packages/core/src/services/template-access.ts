import { isAdmin, type CallContext } from '../context/call-context.js';
import type { Transaction } from '../contracts/store.js';
import { notFound, permissionDenied } from '../errors.js';
import type { Template } from '../model/template.js';
import type { Visibility } from './visibility.js';

/** The API's word for a template or an ISO, for messages. */
export function entityOf(template: Pick<Template, 'format'>): 'template' | 'ISO' {
  return template.format === 'ISO' ? 'ISO' : 'template';
}

/**
 * Whether `caller` may launch (see, deploy from) a template: it is public, or the shared
 * visibility rule lets the caller see its owner, or it is shared with the caller's account.
 */
export async function canLaunch(tx: Transaction, visibility: Visibility, caller: CallContext, template: Template): Promise<boolean> {
  if (template.isPublic) return true;
  if (await visibility.canAccess(tx, caller, { accountId: template.accountId, domainId: template.domainId })) return true;
  return (await tx.repo('templatePermissions').findOne({ templateId: template.id, accountId: caller.accountId })) !== undefined;
}

/**
 * An active template (or ISO, with `iso`) the caller may launch; anything else — missing,
 * being deleted, the other kind, or invisible to the caller — is the same 431 not found.
 */
export async function launchableTemplate(tx: Transaction, visibility: Visibility, caller: CallContext, id: string, iso: boolean, param = 'id'): Promise<Template> {
  const template = await tx.repo('templates').get(id);
  const entity = iso ? 'ISO' : 'template';
  if (template === undefined || template.state !== 'Active' || (template.format === 'ISO') !== iso) throw notFound(entity, param, id);
  if (!(await canLaunch(tx, visibility, caller, template))) throw notFound(entity, param, id);
  return template;
}

/**
 * A template the caller may change: its owner's account, or an admin above it (the shared
 * rule). One the caller may only launch is refused with 531; one it cannot see is 431 not found.
 */
export async function modifiableTemplate(tx: Transaction, visibility: Visibility, caller: CallContext, id: string, iso: boolean, action: string, param = 'id'): Promise<Template> {
  const template = await launchableTemplate(tx, visibility, caller, id, iso, param);
  if (!(await visibility.canAccess(tx, caller, { accountId: template.accountId, domainId: template.domainId }))) {
    throw permissionDenied(`Only the owner of ${entityOf(template)} ${template.name} or an admin above it may ${action}`, param);
  }
  return template;
}

/** True when the caller's role may mark templates featured (root and domain admins). */
export function mayFeature(caller: CallContext): boolean {
  return isAdmin(caller) && caller.role !== 'ResourceDomainAdmin';
}
