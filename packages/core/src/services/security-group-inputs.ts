import { z } from 'zod';
import { PagingInput } from './paging.js';
import { VisibilityInput } from './visibility.js';

/** Whose group: the caller's account unless an admin names another (`account` + `domainId`). */
const GroupOwnerInput = z.object({
  /** The owning account's name (admins; in `domainId` or the caller's domain). */
  account: z.string().min(1).optional(),
  /** The owning account's domain (admins). */
  domainId: z.string().min(1).optional(),
});

/** A group's name: unique within its account, case-insensitively. */
const GroupName = z.string().trim().min(1).max(255);

/** Input of {@link SecurityGroupService.create} (`createSecurityGroup`). */
export const CreateSecurityGroupInput = GroupOwnerInput.extend({
  name: GroupName,
  description: z.string().max(4096).optional(),
});
/** Input of {@link SecurityGroupService.create}. */
export type CreateSecurityGroupInput = z.input<typeof CreateSecurityGroupInput>;

/** A group by id, or by name in the caller's (or the named) account (`deleteSecurityGroup`). */
export const SecurityGroupRefInput = GroupOwnerInput.extend({
  id: z.string().min(1).optional(),
  name: GroupName.optional(),
});
/** A group by id or by name. */
export type SecurityGroupRefInput = z.input<typeof SecurityGroupRefInput>;

/** Filters of {@link SecurityGroupService.list} (`listSecurityGroups`). */
export const ListSecurityGroupsInput = VisibilityInput.extend({
  id: z.string().min(1).optional(),
  /** The group's name (any case). */
  securityGroupName: z.string().min(1).optional(),
  /** Only the groups this VM belongs to. */
  virtualMachineId: z.string().min(1).optional(),
  keyword: z.string().optional(),
}).extend(PagingInput.shape);
/** Filters of {@link SecurityGroupService.list}. */
export type ListSecurityGroupsInput = z.input<typeof ListSecurityGroupsInput>;

/**
 * One `(account, group)` pair of `usersecuritygrouplist`: a group of an account of the same
 * domain. Both are required; a pair missing one is refused naming `usersecuritygrouplist`.
 */
export const AccountGroupPair = z.object({
  account: z.string().optional(),
  group: z.string().optional(),
});
/** One `(account, group)` pair. */
export type AccountGroupPair = z.input<typeof AccountGroupPair>;

/**
 * Input of {@link SecurityGroupRuleService.authorizeIngress} and `authorizeEgress`
 * (`authorizeSecurityGroupIngress` / `Egress`): the group (by id, or by name in the caller's or
 * the named account), the traffic (protocol `all` when absent; ports for `tcp`/`udp`, ICMP type
 * and code for `icmp`), and the sources or destinations — CIDRs, `(account, group)` pairs, or
 * both. Checked further by `normaliseTraffic` and the service.
 */
export const AuthorizeSecurityGroupRuleInput = GroupOwnerInput.extend({
  securityGroupId: z.string().min(1).optional(),
  securityGroupName: GroupName.optional(),
  /** `tcp`, `udp`, `icmp` or `all`, in any case; `all` when absent. */
  protocol: z.string().optional(),
  startPort: z.number().int().optional(),
  endPort: z.number().int().optional(),
  icmpType: z.number().int().optional(),
  icmpCode: z.number().int().optional(),
  /** CIDRs: an array or CloudStack's comma-separated string. */
  cidrList: z.union([z.string(), z.array(z.string())]).optional(),
  /** Groups by account name and group name (`usersecuritygrouplist[i].account` / `.group`). */
  userSecurityGroupList: z.array(AccountGroupPair).optional(),
});
/** Input of the authorise calls. */
export type AuthorizeSecurityGroupRuleInput = z.input<typeof AuthorizeSecurityGroupRuleInput>;

/** A rule by id (`revokeSecurityGroupIngress` / `Egress`). */
export const SecurityGroupRuleIdInput = z.object({ id: z.string().min(1) });
/** A rule by id. */
export type SecurityGroupRuleIdInput = z.input<typeof SecurityGroupRuleIdInput>;
