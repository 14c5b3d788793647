import type { SecurityGroupRuleView, SecurityGroupView } from '@cloudstack-sdk/core';
import type { ApiObject } from '../response/api-value.js';
import type { ResponseFieldDoc } from './command.js';

/** The fields of a `securitygroup` reply object, for `listApis`. */
export const SECURITY_GROUP_RESPONSE_FIELDS: readonly ResponseFieldDoc[] = [
  { name: 'id', description: 'the ID of the security group', type: 'string' },
  { name: 'name', description: 'the name of the security group', type: 'string' },
  { name: 'description', description: 'the description of the security group', type: 'string' },
  { name: 'account', description: 'the account owning the security group', type: 'string' },
  { name: 'domainid', description: 'the domain ID of the security group', type: 'string' },
  { name: 'domain', description: 'the domain name of the security group', type: 'string' },
  { name: 'ingressrule', description: 'the list of ingress rules associated with the security group', type: 'list' },
  { name: 'egressrule', description: 'the list of egress rules associated with the security group', type: 'list' },
  { name: 'tags', description: 'the list of resource tags associated with the rule', type: 'list' },
];

/**
 * One rule as 4.1's `SecurityGroupRuleResponse` shows it: `ruleid`, `protocol`, the port range
 * (`tcp`/`udp`) or ICMP type and code (`icmp`), and either `cidr` or the allowed group's
 * `securitygroupname` and `account`.
 */
export function securityGroupRuleObject(rule: SecurityGroupRuleView): ApiObject {
  return {
    ruleid: rule.ruleId,
    protocol: rule.protocol,
    icmptype: rule.icmpType,
    icmpcode: rule.icmpCode,
    startport: rule.startPort,
    endport: rule.endPort,
    securitygroupname: rule.securityGroupName,
    account: rule.account,
    cidr: rule.cidr,
  };
}

/**
 * A group as 4.1's `SecurityGroupResponse` shows it (reference §5 `securitygroup`): owner names
 * beside ids and the rule lists, empty lists included as 4.1 emits them. Core has no projects
 * or tags: `tags` is always empty.
 */
export function securityGroupObject(group: SecurityGroupView): ApiObject {
  return {
    id: group.id,
    name: group.name,
    description: group.description,
    account: group.accountName,
    domainid: group.domainId,
    domain: group.domainName,
    ingressrule: group.ingressRules.map(securityGroupRuleObject),
    egressrule: group.egressRules.map(securityGroupRuleObject),
    tags: [],
  };
}
