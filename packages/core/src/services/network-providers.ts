import type { NetworkElement } from '../contracts/network-element.js';
import { resourceUnavailable } from '../errors.js';
import type { NetworkOffering } from '../model/network-offering.js';

/** Providers core itself provides: the virtual routers and security groups. */
export const BUILT_IN_PROVIDERS: ReadonlySet<string> = new Set(['VirtualRouter', 'VpcVirtualRouter', 'SecurityGroupProvider']);

/** The registered elements of an offering's external providers; 534 naming the provider when one is missing. */
export function externalElementsOf(offering: NetworkOffering, elements: ReadonlyMap<string, NetworkElement>): NetworkElement[] {
  const found: NetworkElement[] = [];
  for (const provider of new Set(offering.services.map((s) => s.provider))) {
    if (BUILT_IN_PROVIDERS.has(provider)) continue;
    const element = elements.get(provider);
    if (element === undefined) throw resourceUnavailable(`network offering ${offering.name} uses provider ${provider}, but no ${provider} network element is registered with this cloud`, { param: 'networkid' });
    found.push(element);
  }
  return found;
}
