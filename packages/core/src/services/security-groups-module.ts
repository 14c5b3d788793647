import type { DependencyContainer } from 'tsyringe';
import { AccountCleanup } from './account-cleanup.js';
import type { AreaModule } from './area-module.js';
import { bindCaller, type BoundService } from './bind-caller.js';
import { SecurityGroupAccess } from './security-group-access.js';
import { SecurityGroupAccountCleanup } from './security-group-account-cleanup.js';
import { SecurityGroupEnforcer } from './security-group-enforcer.js';
import { SecurityGroupMembership } from './security-group-membership.js';
import { SecurityGroupRuleService } from './security-group-rule-service.js';
import { SecurityGroupService } from './security-groups.js';

/** The caller-bound services of security groups. */
export interface SecurityGroupServices {
  /** Security groups: create, delete, list, get. */
  readonly securityGroups: BoundService<SecurityGroupService>;
  /** Their ingress and egress rules: authorise and revoke. */
  readonly securityGroupRules: BoundService<SecurityGroupRuleService>;
}

/**
 * Security groups: per-account groups (each account's `default` among them), ingress and egress
 * rules, VM membership (joined at deployment, left at expunge), and each running member's rule
 * set enforced on its host through the hypervisor driver. Deleting an account removes its
 * groups.
 */
export const securityGroupsModule: AreaModule<SecurityGroupServices> = {
  name: 'security-groups',
  services: [SecurityGroupAccess, SecurityGroupEnforcer, SecurityGroupMembership, SecurityGroupService, SecurityGroupRuleService, SecurityGroupAccountCleanup],
  async start(container: DependencyContainer) {
    const cleanup = container.resolve(SecurityGroupAccountCleanup);
    container.resolve(AccountCleanup).register('security-groups', (tx, account) => cleanup.run(tx, account));
  },
  facade: (container, caller) => ({
    securityGroups: bindCaller(container.resolve(SecurityGroupService), caller),
    securityGroupRules: bindCaller(container.resolve(SecurityGroupRuleService), caller),
  }),
};
