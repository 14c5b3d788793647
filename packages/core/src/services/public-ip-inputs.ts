import { z } from 'zod';
import { PublicIpState } from '../model/public-ip.js';
import { parseIpv4 } from '../net/ipv4.js';
import { PagingInput } from './paging.js';
import { VisibilityInput } from './visibility.js';

const ipv4 = z.string().refine((a) => parseIpv4(a) !== undefined, 'must be an IPv4 address');

/**
 * Input of `associateIpAddress`: the isolated network to associate the address with (or a zone
 * where the owner has exactly one isolated network), for the caller's account or — admins — for
 * `account` in `domainId`; `ipAddress` asks for one address of the zone's public ranges.
 */
export const AssociateIpInput = z.object({
  networkId: z.string().min(1).optional(),
  zoneId: z.string().min(1).optional(),
  account: z.string().min(1).optional(),
  domainId: z.string().min(1).optional(),
  ipAddress: ipv4.optional(),
});
/** Input of `associateIpAddress`. */
export type AssociateIpInput = z.input<typeof AssociateIpInput>;

/** A public IP address by id (`disassociateIpAddress`, `get`). */
export const PublicIpIdInput = z.object({ id: z.string().min(1) });
/** A public IP address by id. */
export type PublicIpIdInput = z.input<typeof PublicIpIdInput>;

/** Input of `listPublicIpAddresses`. */
export const ListPublicIpsInput = PagingInput.merge(VisibilityInput).extend({
  id: z.string().min(1).optional(),
  ipAddress: ipv4.optional(),
  /** The guest network the addresses are associated with. */
  associatedNetworkId: z.string().min(1).optional(),
  /** The same filter as `associatedNetworkId` (a guest network's addresses). */
  networkId: z.string().min(1).optional(),
  isSourceNat: z.boolean().optional(),
  isStaticNat: z.boolean().optional(),
  zoneId: z.string().min(1).optional(),
  /** The public range (`vlan` row) the addresses came from. */
  vlanId: z.string().min(1).optional(),
  /**
   * CloudStack's default `true`. Addresses nobody holds have no row here (they wait in their
   * range's claim pool), so only held addresses are ever listed; `false` is accepted.
   */
  allocatedOnly: z.boolean().optional(),
  /** `true`: addresses of virtual (`Public`) ranges, which all of them are; `false` lists none. */
  forVirtualNetwork: z.boolean().optional(),
  state: PublicIpState.optional(),
  /** Part of the address. */
  keyword: z.string().optional(),
});
/** Input of `listPublicIpAddresses`. */
export type ListPublicIpsInput = z.input<typeof ListPublicIpsInput>;

/** Input of `enableStaticNat`: the address, the VM it maps to, and (optionally) the address's network. */
export const EnableStaticNatInput = z.object({
  ipAddressId: z.string().min(1),
  virtualMachineId: z.string().min(1),
  /** Must be the address's network when given. */
  networkId: z.string().min(1).optional(),
});
/** Input of `enableStaticNat`. */
export type EnableStaticNatInput = z.input<typeof EnableStaticNatInput>;

/** Input of `disableStaticNat`. */
export const DisableStaticNatInput = z.object({ ipAddressId: z.string().min(1) });
/** Input of `disableStaticNat`. */
export type DisableStaticNatInput = z.input<typeof DisableStaticNatInput>;
