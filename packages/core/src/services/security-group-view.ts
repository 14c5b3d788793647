import type { Transaction } from '../contracts/store.js';
import type { SecurityGroup } from '../model/security-group.js';
import type { SecurityGroupRule } from '../model/security-group-rule.js';
import type { RuleProtocol } from '../model/network-rule.js';

/**
 * One rule of a group as `listSecurityGroups` shows it (4.1's `ingressrule` / `egressrule`):
 * ports for `tcp`/`udp`, ICMP type and code for `icmp`, and either the CIDR or the account and
 * name of the group whose VMs it allows.
 */
export interface SecurityGroupRuleView {
  /** The rule's id (`ruleid`). */
  readonly ruleId: string;
  /** `tcp`, `udp`, `icmp` or `all`. */
  readonly protocol: RuleProtocol;
  readonly startPort?: number;
  readonly endPort?: number;
  readonly icmpType?: number;
  readonly icmpCode?: number;
  /** The source or destination block of a rule by CIDR. */
  readonly cidr?: string;
  /** The allowed group's id, of a rule by account and group. */
  readonly securityGroupId?: string;
  /** The allowed group's name. */
  readonly securityGroupName?: string;
  /** The allowed group's account name. */
  readonly account?: string;
}

/** A security group with its owner's names and its rules, as `listSecurityGroups` shows it. */
export interface SecurityGroupView {
  readonly id: string;
  readonly name: string;
  readonly description?: string;
  readonly accountId: string;
  /** The owning account's name. */
  readonly accountName: string;
  readonly domainId: string;
  /** The owning domain's name. */
  readonly domainName: string;
  /** True for the account's `default` group. */
  readonly isDefault: boolean;
  /** Ingress rules, oldest first. */
  readonly ingressRules: readonly SecurityGroupRuleView[];
  /** Egress rules, oldest first. */
  readonly egressRules: readonly SecurityGroupRuleView[];
  readonly createdAt: string;
}

/** Builds group views inside a transaction, reading each account, domain and referenced group once. */
export class SecurityGroupViews {
  private readonly accounts = new Map<string, Promise<string>>();
  private readonly domains = new Map<string, Promise<string>>();
  private readonly groups = new Map<string, Promise<SecurityGroup | undefined>>();

  constructor(private readonly tx: Transaction) {}

  /** The views of `groups`, in order. */
  async of(groups: readonly SecurityGroup[]): Promise<SecurityGroupView[]> {
    const ids = groups.map((g) => g.id);
    const rules = ids.length === 0 ? [] : (await this.tx.repo('securityGroupRules').find({ where: { securityGroupId: { in: ids } } })).items;
    rules.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
    return Promise.all(groups.map((group) => this.view(group, rules.filter((r) => r.securityGroupId === group.id))));
  }

  /** The view of one group. */
  async one(group: SecurityGroup): Promise<SecurityGroupView> {
    const [view] = await this.of([group]);
    return view as SecurityGroupView;
  }

  private async view(group: SecurityGroup, rules: readonly SecurityGroupRule[]): Promise<SecurityGroupView> {
    const ruleViews = await Promise.all(rules.map(async (rule) => ({ rule, view: await this.ruleView(rule) })));
    return {
      id: group.id,
      name: group.name,
      ...(group.description === undefined ? {} : { description: group.description }),
      accountId: group.accountId,
      accountName: await this.accountName(group.accountId),
      domainId: group.domainId,
      domainName: await this.domainName(group.domainId),
      isDefault: group.isDefault,
      ingressRules: ruleViews.filter((r) => r.rule.trafficType === 'Ingress').map((r) => r.view),
      egressRules: ruleViews.filter((r) => r.rule.trafficType === 'Egress').map((r) => r.view),
      createdAt: group.createdAt,
    };
  }

  private async ruleView(rule: SecurityGroupRule): Promise<SecurityGroupRuleView> {
    const allowed = rule.allowedGroupId === undefined ? undefined : await this.group(rule.allowedGroupId);
    return {
      ruleId: rule.id,
      protocol: rule.protocol,
      ...(rule.startPort === undefined ? {} : { startPort: rule.startPort }),
      ...(rule.endPort === undefined ? {} : { endPort: rule.endPort }),
      ...(rule.icmpType === undefined ? {} : { icmpType: rule.icmpType }),
      ...(rule.icmpCode === undefined ? {} : { icmpCode: rule.icmpCode }),
      ...(rule.cidr === undefined ? {} : { cidr: rule.cidr }),
      ...(allowed === undefined ? {} : { securityGroupId: allowed.id, securityGroupName: allowed.name, account: await this.accountName(allowed.accountId) }),
    };
  }

  private group(id: string): Promise<SecurityGroup | undefined> {
    let found = this.groups.get(id);
    if (found === undefined) {
      found = this.tx.repo('securityGroups').get(id);
      this.groups.set(id, found);
    }
    return found;
  }

  private accountName(id: string): Promise<string> {
    let found = this.accounts.get(id);
    if (found === undefined) {
      found = this.tx.repo('accounts').get(id).then((a) => a?.name ?? id);
      this.accounts.set(id, found);
    }
    return found;
  }

  private domainName(id: string): Promise<string> {
    let found = this.domains.get(id);
    if (found === undefined) {
      found = this.tx.repo('domains').get(id).then((d) => d?.name ?? id);
      this.domains.set(id, found);
    }
    return found;
  }
}
