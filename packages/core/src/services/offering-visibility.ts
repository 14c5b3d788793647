import type { CallContext } from '../context/call-context.js';
import { isAdmin, isRootAdmin, Role } from '../context/call-context.js';
import type { Transaction } from '../contracts/store.js';
import { invalidParameter } from '../errors.js';
import type { Domain } from '../model/domain.js';
import { isInSubtree } from './domain-paths.js';

/** What an offering carries that decides who may use it. */
export interface DomainScoped {
  /** The domain it is restricted to; public when absent. */
  readonly domainId?: string;
}

/**
 * Decides which domain-scoped offerings a caller may see and use, as CloudStack does: public
 * offerings are everyone's; an offering of domain D is for accounts in D and below; a domain
 * admin also sees the offerings of the domains below theirs; a root admin sees all.
 */
export class OfferingVisibility {
  private readonly domains = new Map<string, Domain | undefined>();

  private constructor(
    private readonly caller: CallContext,
    private readonly callerDomain: Domain | undefined,
    private readonly tx: Transaction,
  ) {}

  /** Builds the rule for `caller` inside `tx`. */
  static async for(caller: CallContext, tx: Transaction): Promise<OfferingVisibility> {
    return new OfferingVisibility(caller, await tx.repo('domains').get(caller.domainId), tx);
  }

  /** Whether the caller may see (and pick) an offering. */
  async canSee(offering: DomainScoped): Promise<boolean> {
    if (offering.domainId === undefined || isRootAdmin(this.caller)) return true;
    if (this.callerDomain === undefined) return false;
    const domain = await this.domain(offering.domainId);
    if (domain === undefined) return false;
    if (isInSubtree(this.callerDomain, domain)) return true;
    return this.caller.role === Role.DomainAdmin && isInSubtree(domain, this.callerDomain);
  }

  /** Whether the caller may see system offerings: admins only. */
  canSeeSystem(): boolean {
    return isAdmin(this.caller);
  }

  private async domain(id: string): Promise<Domain | undefined> {
    if (!this.domains.has(id)) this.domains.set(id, await this.tx.repo('domains').get(id));
    return this.domains.get(id);
  }
}

/** Checks that a domain an offering is restricted to exists (431 naming `domainid` otherwise). */
export async function requireDomain(tx: Transaction, domainId: string | undefined): Promise<void> {
  if (domainId === undefined) return;
  if ((await tx.repo('domains').get(domainId)) === undefined) {
    throw invalidParameter('domainid', `there is no domain with id ${domainId}`);
  }
}

/** Splits a CloudStack comma-separated tag list into trimmed, non-empty, unique tags. */
export function parseTags(value: string | readonly string[] | undefined): string[] {
  if (value === undefined) return [];
  const parts = typeof value === 'string' ? value.split(',') : value;
  return Array.from(new Set(parts.map((t) => t.trim()).filter((t) => t !== '')));
}
