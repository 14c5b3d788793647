import { inject, injectable } from 'tsyringe';
import type { CallContext } from '../context/call-context.js';
import type { Transaction } from '../contracts/store.js';
import { notFound } from '../errors.js';
import type { NetworkOffering } from '../model/network-offering.js';
import type { NetworkRule } from '../model/network-rule.js';
import { Visibility } from './visibility.js';

/**
 * Looks load-balancing rules up by id under the one visibility rule: another tenant's rule, and
 * a rule being removed, read like one that does not exist (431 naming the parameter).
 */
@injectable()
export class LbRuleAccess {
  constructor(@inject(Visibility) private readonly visibility: Visibility) {}

  /** The load-balancing rule `id` if `caller` may see it. */
  async visible(tx: Transaction, caller: CallContext, id: string, param = 'id'): Promise<NetworkRule> {
    const rule = await tx.repo('networkRules').get(id);
    if (rule === undefined || rule.purpose !== 'Lb' || rule.state === 'Revoke') throw notFound('load balancer rule', param, id);
    await this.visibility.assertCanAccess(tx, caller, rule, 'load balancer rule', param, id);
    return rule;
  }

  /** The offering of a rule's network (its algorithms and stickiness methods). */
  async offeringOf(tx: Transaction, rule: NetworkRule): Promise<NetworkOffering> {
    const network = await tx.repo('networks').get(rule.networkId);
    if (network === undefined) throw notFound('network', 'networkid', rule.networkId);
    const offering = await tx.repo('networkOfferings').get(network.networkOfferingId);
    if (offering === undefined) throw notFound('network offering', 'networkofferingid', network.networkOfferingId);
    return offering;
  }
}
