import { z } from 'zod';

/**
 * The resource types a limit applies to, with CloudStack's names. Their `resourcetype`
 * numbers are in {@link RESOURCE_TYPE_NUMBERS}.
 */
export const ResourceType = z.enum(['user_vm', 'public_ip', 'volume', 'snapshot', 'template', 'project', 'network', 'vpc']);
/** One of the resource types. */
export type ResourceType = z.infer<typeof ResourceType>;

/** CloudStack's `resourcetype` number of each type (0 user_vm … 7 vpc). */
export const RESOURCE_TYPE_NUMBERS: Readonly<Record<ResourceType, number>> = {
  user_vm: 0,
  public_ip: 1,
  volume: 2,
  snapshot: 3,
  template: 4,
  project: 5,
  network: 6,
  vpc: 7,
};

/**
 * The configuration parameter holding the default per-account limit of each type. A type
 * without one (project: the catalogue has no `max.account.projects`) is unlimited by default.
 */
export const ACCOUNT_LIMIT_DEFAULTS: Readonly<Record<ResourceType, string | undefined>> = {
  user_vm: 'max.account.user.vms',
  public_ip: 'max.account.public.ips',
  volume: 'max.account.volumes',
  snapshot: 'max.account.snapshots',
  template: 'max.account.templates',
  project: 'max.account.projects',
  network: 'max.account.networks',
  vpc: 'max.account.vpcs',
};

/** Whose limit a row sets. */
export const LimitOwnerType = z.enum(['account', 'domain']);
/** `account` or `domain`. */
export type LimitOwnerType = z.infer<typeof LimitOwnerType>;

/**
 * An explicitly set limit of one account or domain for one resource type; without a row the
 * default applies (`max.account.*` for accounts, unlimited for domains). The id is
 * `<ownerType>:<ownerId>:<resourceType>`.
 */
export const ResourceLimitSchema = z.object({
  id: z.string(),
  version: z.number().int().positive(),
  ownerType: LimitOwnerType,
  ownerId: z.string(),
  resourceType: ResourceType,
  /** The maximum; -1 for unlimited. */
  max: z.number().int().min(-1),
  updatedAt: z.string(),
});

/** An explicitly set resource limit. */
export type ResourceLimit = z.infer<typeof ResourceLimitSchema>;

/** The id of the limit row of an owner and type. */
export function resourceLimitId(ownerType: LimitOwnerType, ownerId: string, resourceType: ResourceType): string {
  return `${ownerType}:${ownerId}:${resourceType}`;
}
