import type { AggregateSpec } from './aggregates.js';
import type { SecurityGroup } from './security-group.js';
import type { SecurityGroupMember } from './security-group-member.js';
import type { SecurityGroupRule } from './security-group-rule.js';
import type { SecurityGroupVmSync } from './security-group-vm-sync.js';

/** The aggregates of the security-group area. Merged into the store's list by `aggregates.ts`. */
export interface SecurityGroupAggregates {
  /** Security groups, unique by account and name. */
  securityGroups: SecurityGroup;
  /** Ingress and egress rules of security groups. */
  securityGroupRules: SecurityGroupRule;
  /** VMs' memberships of security groups. */
  securityGroupMembers: SecurityGroupMember;
  /** Per VM: the last rule set computed, the last one its host accepted, and whether it is behind. */
  securityGroupVmSyncs: SecurityGroupVmSync;
}

/** Index and uniqueness facts of the security-group area's aggregates. */
export const SECURITY_GROUP_AGGREGATE_SPECS: { readonly [K in keyof SecurityGroupAggregates]: AggregateSpec<SecurityGroupAggregates[K]> } = {
  securityGroups: { unique: [['accountId', 'name']], indexed: ['accountId', 'domainId'] },
  securityGroupRules: { indexed: ['securityGroupId', 'allowedGroupId', 'accountId'] },
  securityGroupMembers: { unique: [['groupId', 'vmId']], indexed: ['groupId', 'vmId', 'accountId'] },
  securityGroupVmSyncs: { unique: [['vmId']], indexed: ['pending'] },
};
