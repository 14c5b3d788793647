import { z } from 'zod';
import { GuestIpType } from '../model/network-offering.js';
import { PagingInput } from './paging.js';

const Availability = z.enum(['Required', 'Optional']);
const OfferingState = z.enum(['Enabled', 'Disabled']);

/** One `serviceProviderList` entry: the provider that gives a service. */
export const ServiceProviderEntry = z.object({
  service: z.string().trim().min(1),
  provider: z.string().trim().min(1),
});

/** One `serviceCapabilityList` entry: a capability asked of a service (`Lb`, `SupportedLBIsolation`, `dedicated`). */
export const ServiceCapabilityEntry = z.object({
  service: z.string().trim().min(1),
  capabilityType: z.string().trim().min(1),
  capabilityValue: z.string().trim().min(1),
});

/** One `serviceCapabilityList` entry. */
export type ServiceCapabilityEntry = z.infer<typeof ServiceCapabilityEntry>;

/**
 * Input of `NetworkOfferingService.create`, with `createNetworkOffering`'s parameters and
 * defaults: conserve mode on, availability `Optional`, no VLAN or IP range given by the admin,
 * not persistent. A service without an entry in `serviceProviderList` is given by
 * `VirtualRouter` (`SecurityGroup` always by `SecurityGroupProvider`).
 */
export const CreateNetworkOfferingInput = z.object({
  /** Unique name. */
  name: z.string().trim().min(1).max(64),
  displayText: z.string().trim().min(1).max(255),
  guestIpType: GuestIpType,
  /** Only `Guest` in CloudStack 4.1. */
  trafficType: z.enum(['Guest']).default('Guest'),
  /** Service names, matched in any case (`Dhcp`, `SourceNat`, ...). */
  supportedServices: z.array(z.string().trim().min(1)),
  /** The provider of each service; one provider per service. */
  serviceProviderList: z.array(ServiceProviderEntry).default([]),
  /** Capabilities asked of the services. */
  serviceCapabilityList: z.array(ServiceCapabilityEntry).default([]),
  conserveMode: z.boolean().default(true),
  /** Only for isolated offerings. */
  isPersistent: z.boolean().default(false),
  specifyVlan: z.boolean().default(false),
  specifyIpRanges: z.boolean().default(false),
  availability: Availability.default('Optional'),
  /** Mbps. */
  networkRate: z.number().int().positive().max(2_147_483_647).optional(),
  /** A system offering of type `domainrouter` for the offering's virtual routers. */
  serviceOfferingId: z.string().min(1).optional(),
  /** Comma-separated tags; matched against physical network tags. */
  tags: z.string().max(4096).optional(),
});

/** Input of `NetworkOfferingService.create`. */
export type CreateNetworkOfferingInput = z.input<typeof CreateNetworkOfferingInput>;

/** A create input after defaults. */
export type NetworkOfferingSpec = z.output<typeof CreateNetworkOfferingInput>;

/**
 * Input of `NetworkOfferingService.update`: names, availability and state. An offering's
 * services and behaviour never change, since networks use them (guide 13.20.1).
 */
export const UpdateNetworkOfferingInput = z.object({
  id: z.string().min(1),
  name: z.string().trim().min(1).max(64).optional(),
  displayText: z.string().trim().min(1).max(255).optional(),
  availability: Availability.optional(),
  state: OfferingState.optional(),
});

/** Input of `NetworkOfferingService.update`. */
export type UpdateNetworkOfferingInput = z.input<typeof UpdateNetworkOfferingInput>;

/** Filters of `NetworkOfferingService.list`, as `listNetworkOfferings` takes them. */
export const ListNetworkOfferingsInput = z
  .object({
    id: z.string().min(1).optional(),
    /** Substring of the name, in any case (CloudStack matches the name with LIKE). */
    name: z.string().min(1).optional(),
    /** Substring of the display text, in any case. */
    displayText: z.string().min(1).optional(),
    /** Substring of the name or display text. */
    keyword: z.string().min(1).optional(),
    guestIpType: GuestIpType.optional(),
    trafficType: z.enum(['Guest']).optional(),
    state: OfferingState.optional(),
    availability: Availability.optional(),
    isDefault: z.boolean().optional(),
    specifyVlan: z.boolean().optional(),
    specifyIpRanges: z.boolean().optional(),
    forVpc: z.boolean().optional(),
    /** Offerings with (true) or without (false) SourceNat. */
    sourceNatSupported: z.boolean().optional(),
    /** Offerings that offer every one of these services (names in any case). */
    supportedServices: z.array(z.string().trim().min(1)).optional(),
    /** Offerings whose every service's provider is enabled in the zone. */
    zoneId: z.string().min(1).optional(),
    tags: z.string().min(1).optional(),
    /** True: only offerings with tags; false: only offerings without. */
    isTagged: z.boolean().optional(),
  })
  .extend(PagingInput.shape);

/** Filters of `NetworkOfferingService.list`. */
export type ListNetworkOfferingsInput = z.input<typeof ListNetworkOfferingsInput>;
