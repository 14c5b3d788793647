import { Role } from '@cloudstack-sdk/core';

/** The permission bit of each role in `commands.properties` (StaticRoleBasedAPIAccessChecker). */
export const PERMISSION_BIT_OF_ROLE: Readonly<Record<Role, number>> = {
  [Role.RootAdmin]: 1,
  [Role.ResourceDomainAdmin]: 2,
  [Role.DomainAdmin]: 4,
  [Role.User]: 8,
};

/** True when a command with bitmask `permission` may be run by `role`. */
export function roleMayRun(role: Role, permission: number): boolean {
  return (permission & PERMISSION_BIT_OF_ROLE[role]) !== 0;
}
