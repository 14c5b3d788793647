import { inject, injectable } from 'tsyringe';
import { isRootAdmin, type CallContext } from '../context/call-context.js';
import type { Transaction } from '../contracts/store.js';
import { notFound, permissionDenied } from '../errors.js';
import type { Network } from '../model/network.js';
import { domainChain, isInSubtree } from './domain-paths.js';
import { Visibility } from './visibility.js';

/**
 * Who may see and use a guest network. An `Account` network is its owner's (and its
 * admins', under the one visibility rule). A `Domain` network is usable by every account of its
 * domain — and of the domains below when `subdomainAccess` is set (a ROOT-domain network is
 * zone-wide) — and visible also to admins whose subtree holds that domain. A network the caller
 * may not see reads as one that does not exist (431).
 */
@injectable()
export class NetworkAccess {
  constructor(@inject(Visibility) private readonly visibility: Visibility) {}

  /** The network if `caller` may see it; 431 naming `param` otherwise. */
  async visible(tx: Transaction, caller: CallContext, id: string, param = 'id'): Promise<Network> {
    const network = await tx.repo('networks').get(id);
    if (network === undefined || !(await this.canSee(tx, caller, network))) throw notFound('network', param, id);
    return network;
  }

  /**
   * The network if `accountId` (of `domainId`) may put a VM on it: its own account network, or
   * a domain network of its domain (or above, with subdomain access). 431 when `caller` cannot
   * see it; 531 when it can but the owner may not use it.
   */
  async usableBy(tx: Transaction, caller: CallContext, id: string, owner: { readonly accountId: string; readonly domainId: string }, param = 'networkids'): Promise<Network> {
    const network = await this.visible(tx, caller, id, param);
    if (!(await this.mayUse(tx, network, owner))) throw permissionDenied(`account ${owner.accountId} may not use network ${network.name}`, param);
    return network;
  }

  /** Whether an account may put VMs on `network`. */
  async mayUse(tx: Transaction, network: Network, owner: { readonly accountId: string; readonly domainId: string }): Promise<boolean> {
    if (network.aclType === 'Account') return network.accountId === owner.accountId;
    if (network.domainId === owner.domainId) return true;
    if (network.subdomainAccess !== true) return false;
    const ownerDomain = await tx.repo('domains').get(owner.domainId);
    if (ownerDomain === undefined) return false;
    return (await domainChain(tx, ownerDomain)).some((d) => d.id === network.domainId);
  }

  /** Whether `caller` may see `network`. */
  async canSee(tx: Transaction, caller: CallContext, network: Network): Promise<boolean> {
    if (isRootAdmin(caller)) return true;
    if (network.aclType === 'Account' && network.accountId !== undefined) {
      return this.visibility.canAccess(tx, caller, { accountId: network.accountId, domainId: network.domainId });
    }
    if (await this.mayUse(tx, network, { accountId: caller.accountId, domainId: caller.domainId })) return true;
    if (caller.role !== 'DomainAdmin') return false;
    const [callerDomain, networkDomain] = await Promise.all([tx.repo('domains').get(caller.domainId), tx.repo('domains').get(network.domainId)]);
    return callerDomain !== undefined && networkDomain !== undefined && isInSubtree(networkDomain, callerDomain);
  }
}
