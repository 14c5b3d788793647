import { z } from 'zod';
import { parseCidr, parseIpv4 } from '../net/ipv4.js';
import { PagingInput } from './paging.js';
import { VisibilityInput } from './visibility.js';

const ipv4 = z.string().refine((a) => parseIpv4(a) !== undefined, 'must be an IPv4 address');

/** A DNS suffix: labels of letters, digits and hyphens separated by dots. */
export const NetworkDomainText = z
  .string()
  .max(255)
  .regex(/^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/, 'must be a DNS domain (labels of letters, digits and hyphens)');

/** Input of `createNetwork`. */
export const CreateNetworkInput = z.object({
  name: z.string().min(1).max(255),
  displayText: z.string().min(1).max(255),
  networkOfferingId: z.string().min(1),
  zoneId: z.string().min(1),
  /** The physical network; the zone's one carrying Guest traffic when absent. */
  physicalNetworkId: z.string().min(1).optional(),
  gateway: ipv4.optional(),
  netmask: ipv4.optional(),
  /** Shared networks: the guest range. */
  startIp: ipv4.optional(),
  endIp: ipv4.optional(),
  /** Shared networks (and isolated ones of a specify-VLAN offering): the VLAN id or `untagged`. */
  vlan: z.union([z.string().min(1), z.number().int()]).transform(String).optional(),
  networkDomain: NetworkDomainText.optional(),
  /** The owner (admins): account name in `domainId`. */
  account: z.string().min(1).optional(),
  domainId: z.string().min(1).optional(),
  /** `Account` or `Domain` (shared networks; default Domain for shared without an account). */
  aclType: z.enum(['Account', 'Domain', 'account', 'domain']).transform((v) => (v.toLowerCase() === 'account' ? 'Account' : 'Domain') as 'Account' | 'Domain').optional(),
  /** Domain networks: whether subdomains may use it. */
  subdomainAccess: z.boolean().optional(),
});
/** Input of `createNetwork`. */
export type CreateNetworkInput = z.input<typeof CreateNetworkInput>;

/** Input of `listNetworks`. */
export const ListNetworksInput = PagingInput.merge(VisibilityInput).extend({
  id: z.string().min(1).optional(),
  zoneId: z.string().min(1).optional(),
  type: z.enum(['Isolated', 'Shared', 'isolated', 'shared']).transform((v) => (v.toLowerCase() === 'isolated' ? 'Isolated' : 'Shared') as 'Isolated' | 'Shared').optional(),
  physicalNetworkId: z.string().min(1).optional(),
  /** Only networks of this ACL type. */
  aclType: z.enum(['Account', 'Domain']).optional(),
  /** Only networks the caller's own account may deploy into (its own and the shared ones it may use). */
  canUseForDeploy: z.boolean().optional(),
  isSystem: z.boolean().optional(),
  trafficType: z.string().optional(),
  keyword: z.string().optional(),
  vpcId: z.string().min(1).optional(),
  restartRequired: z.boolean().optional(),
});
/** Input of `listNetworks`. */
export type ListNetworksInput = z.input<typeof ListNetworksInput>;

/** Input of `updateNetwork`. */
export const UpdateNetworkInput = z.object({
  id: z.string().min(1),
  name: z.string().min(1).max(255).optional(),
  displayText: z.string().min(1).max(255).optional(),
  networkDomain: NetworkDomainText.optional(),
  /** A new offering (same guest type); changing between providers stops the network's VMs first. */
  networkOfferingId: z.string().min(1).optional(),
  /** With an offering change: keep the CIDR (true, default) or take the new offering's default. */
  changeCidr: z.boolean().optional(),
});
/** Input of `updateNetwork`. */
export type UpdateNetworkInput = z.input<typeof UpdateNetworkInput>;

/** Input of `restartNetwork`. */
export const RestartNetworkInput = z.object({
  id: z.string().min(1),
  /** Destroy the router and start a new one (true), or re-apply the configuration to the running one. */
  cleanup: z.boolean().default(false),
});
/** Input of `restartNetwork`. */
export type RestartNetworkInput = z.input<typeof RestartNetworkInput>;

/** Input naming one network. */
export const NetworkIdInput = z.object({ id: z.string().min(1) });
/** Input naming one network. */
export type NetworkIdInput = z.input<typeof NetworkIdInput>;

/** Whether text is an IPv4 CIDR. */
export function isCidr(text: string): boolean {
  return parseCidr(text) !== undefined;
}
