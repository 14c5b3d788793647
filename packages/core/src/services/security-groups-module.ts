import type { AreaModule } from './area-module.js';

/** The caller-bound services of security groups. */
export interface SecurityGroupServices {}

/** Security groups: per-account groups, ingress and egress rules, and VM membership enforced per host. */
export const securityGroupsModule: AreaModule<SecurityGroupServices> = {
  name: 'security-groups',
  services: [],
  facade: () => ({}),
};
