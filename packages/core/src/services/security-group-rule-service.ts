import { inject, injectable } from 'tsyringe';
import type { CallContext } from '../context/call-context.js';
import { isoNow, type Clock } from '../contracts/clock.js';
import type { RandomSource } from '../contracts/random.js';
import type { Store, Transaction } from '../contracts/store.js';
import { invalidParameter, notFound, ruleConflict } from '../errors.js';
import type { Account } from '../model/account.js';
import type { SecurityGroup } from '../model/security-group.js';
import type { SecurityGroupRule, SecurityGroupTrafficType } from '../model/security-group-rule.js';
import { TOKENS } from '../tokens.js';
import { EventRecorder } from './event-recorder.js';
import { SecurityGroupAccess } from './security-group-access.js';
import { SecurityGroupEnforcer } from './security-group-enforcer.js';
import { AuthorizeSecurityGroupRuleInput, SecurityGroupRuleIdInput } from './security-group-inputs.js';
import { hasTraffic, normaliseCidrs, normaliseTraffic, type SecurityGroupTraffic } from './security-group-traffic.js';
import { SecurityGroupViews, type SecurityGroupView } from './security-group-view.js';
import { validate } from './validate.js';
import { Visibility } from './visibility.js';

/** What a rule change did: the group as it now is, and the rules it added or removed. */
export interface SecurityGroupRuleChange {
  /** The group with all its rules after the change. */
  readonly group: SecurityGroupView;
  /** Ids of the rules added (authorise) or removed (revoke). */
  readonly ruleIds: readonly string[];
}

const EVENT_PREFIX: Readonly<Record<SecurityGroupTrafficType, string>> = { Ingress: 'INGRESS', Egress: 'EGRESS' };

/**
 * Ingress and egress rules of security groups (guide 13.7.5). A rule allows a protocol and
 * port range (or ICMP type and code) from — or to — CIDRs, or the VMs of groups named by
 * account and group name (`usersecuritygrouplist`): a group of the caller's own account, or of
 * another account of the same domain, as the guide's "Add by Account" allows. One rule is stored
 * per CIDR and per group; rules that already exist are skipped, and a request that adds nothing
 * new is refused (537). Bad input is refused (431 naming the parameter) before anything is
 * written.
 *
 * The change commits first, then every running member of the group gets its new rule set
 * through {@link SecurityGroupEnforcer}; stopped members get it when they start. As in
 * CloudStack 4.1, a host that cannot be told does not fail the change: the VM is left `pending`
 * with an ERROR event and gets the current set at its next apply.
 */
@injectable()
export class SecurityGroupRuleService {
  constructor(
    @inject(TOKENS.Store) private readonly store: Store,
    @inject(TOKENS.Clock) private readonly clock: Clock,
    @inject(TOKENS.Random) private readonly random: RandomSource,
    @inject(EventRecorder) private readonly events: EventRecorder,
    @inject(Visibility) private readonly visibility: Visibility,
    @inject(SecurityGroupAccess) private readonly access: SecurityGroupAccess,
    @inject(SecurityGroupEnforcer) private readonly enforcer: SecurityGroupEnforcer,
  ) {}

  /** Adds ingress rules (`authorizeSecurityGroupIngress`). */
  authorizeIngress(caller: CallContext, input: AuthorizeSecurityGroupRuleInput): Promise<SecurityGroupRuleChange> {
    return this.authorize(caller, 'Ingress', input);
  }

  /** Adds egress rules (`authorizeSecurityGroupEgress`); the group's VMs then send only what egress rules allow, plus DNS and DHCP. */
  authorizeEgress(caller: CallContext, input: AuthorizeSecurityGroupRuleInput): Promise<SecurityGroupRuleChange> {
    return this.authorize(caller, 'Egress', input);
  }

  /** Removes an ingress rule by id (`revokeSecurityGroupIngress`). */
  revokeIngress(caller: CallContext, input: SecurityGroupRuleIdInput): Promise<SecurityGroupRuleChange> {
    return this.revoke(caller, 'Ingress', input);
  }

  /** Removes an egress rule by id (`revokeSecurityGroupEgress`); without egress rules the group's VMs send anything again. */
  revokeEgress(caller: CallContext, input: SecurityGroupRuleIdInput): Promise<SecurityGroupRuleChange> {
    return this.revoke(caller, 'Egress', input);
  }

  /**
   * A rule of either direction by id, if the caller may see its group (431 naming `id`
   * otherwise), with the group it belongs to: what an API checks before it accepts a revoke.
   */
  async get(caller: CallContext, input: SecurityGroupRuleIdInput): Promise<SecurityGroupRule> {
    const request = validate(SecurityGroupRuleIdInput, input);
    return this.store.transaction(async (tx) => {
      const rule = await tx.repo('securityGroupRules').get(request.id);
      const group = rule === undefined ? undefined : await tx.repo('securityGroups').get(rule.securityGroupId);
      if (rule === undefined || group === undefined || !(await this.visibility.canAccess(tx, caller, group))) throw notFound('security group rule', 'id', request.id);
      return rule;
    });
  }

  private async authorize(caller: CallContext, trafficType: SecurityGroupTrafficType, input: AuthorizeSecurityGroupRuleInput): Promise<SecurityGroupRuleChange> {
    const request = validate(AuthorizeSecurityGroupRuleInput, input);
    const traffic = normaliseTraffic(request);
    const cidrs = normaliseCidrs(request.cidrList);
    const pairs = (request.userSecurityGroupList ?? []).map((pair) => ({ account: pair.account?.trim() ?? '', group: pair.group?.trim() ?? '' }));
    if (pairs.some((p) => p.account === '' || p.group === '')) {
      throw invalidParameter('usersecuritygrouplist', "each entry needs both 'account' and 'group' (usersecuritygrouplist[0].account=…&usersecuritygrouplist[0].group=…)");
    }
    if (cidrs.length === 0 && pairs.length === 0) throw invalidParameter('cidrlist', 'At least one cidr or at least one security group needs to be specified');
    const change = await this.store.transaction(async (tx) => {
      const ref = { id: request.securityGroupId, name: request.securityGroupName, account: request.account, domainId: request.domainId };
      const group = await this.access.resolve(tx, caller, ref, { id: 'securitygroupid', name: 'securitygroupname' });
      const allowed: SecurityGroup[] = [];
      for (const pair of pairs) allowed.push(await this.allowedGroup(tx, group, pair.account, pair.group));
      const ruleIds = await this.insertNew(tx, group, trafficType, traffic, cidrs, allowed);
      const sources = [...cidrs, ...allowed.map((g) => `group ${g.name}`)].join(', ');
      await this.events.record(tx, caller, {
        type: `SG.AUTH.${EVENT_PREFIX[trafficType]}`,
        description: `Authorized ${trafficType.toLowerCase()} ${describe(traffic)} ${trafficType === 'Ingress' ? 'from' : 'to'} ${sources} in security group ${group.name}`,
        resourceType: 'SecurityGroup',
        resourceId: group.id,
        accountId: group.accountId,
        domainId: group.domainId,
      });
      return { group: await new SecurityGroupViews(tx).one(group), ruleIds };
    });
    await this.enforcer.applyForGroups([change.group.id]);
    return change;
  }

  private async revoke(caller: CallContext, trafficType: SecurityGroupTrafficType, input: SecurityGroupRuleIdInput): Promise<SecurityGroupRuleChange> {
    const request = validate(SecurityGroupRuleIdInput, input);
    const entity = `security group ${trafficType.toLowerCase()} rule`;
    const change = await this.store.transaction(async (tx) => {
      const rule = await tx.repo('securityGroupRules').get(request.id);
      if (rule === undefined || rule.trafficType !== trafficType) throw notFound(entity, 'id', request.id);
      const group = await tx.repo('securityGroups').get(rule.securityGroupId);
      if (group === undefined || !(await this.visibility.canAccess(tx, caller, group))) throw notFound(entity, 'id', request.id);
      await tx.repo('securityGroupRules').delete(rule.id, rule.version);
      await this.events.record(tx, caller, {
        type: `SG.REVOKE.${EVENT_PREFIX[trafficType]}`,
        description: `Revoked ${trafficType.toLowerCase()} rule ${rule.id} of security group ${group.name}`,
        resourceType: 'SecurityGroup',
        resourceId: group.id,
        accountId: group.accountId,
        domainId: group.domainId,
      });
      return { group: await new SecurityGroupViews(tx).one(group), ruleIds: [rule.id] };
    });
    await this.enforcer.applyForGroups([change.group.id]);
    return change;
  }

  /**
   * The group a rule by account and group allows: `group` of the account named `accountName`
   * in the edited group's domain (CloudStack looks the account up there), 431 naming
   * `usersecuritygrouplist` when either does not exist. Accounts of other domains cannot be
   * named, which keeps tenants of different domains apart.
   */
  private async allowedGroup(tx: Transaction, edited: SecurityGroup, accountName: string, groupName: string): Promise<SecurityGroup> {
    const account = await this.accountInDomain(tx, edited.domainId, accountName);
    if (account === undefined) throw invalidParameter('usersecuritygrouplist', `Nonexistent account ${accountName} in the domain of security group ${edited.name}`);
    const group = await this.access.byName(tx, account, groupName);
    if (group === undefined) throw invalidParameter('usersecuritygrouplist', `Nonexistent security group ${groupName} of account ${accountName}`);
    return group;
  }

  private async accountInDomain(tx: Transaction, domainId: string, name: string): Promise<Account | undefined> {
    const wanted = name.toLowerCase();
    const { items } = await tx.repo('accounts').find({ where: { domainId, name: { like: wanted } } });
    return items.find((a) => a.name.toLowerCase() === wanted);
  }

  /** Inserts one rule per CIDR and per allowed group that the group does not have yet; 537 when there is none. */
  private async insertNew(
    tx: Transaction,
    group: SecurityGroup,
    trafficType: SecurityGroupTrafficType,
    traffic: SecurityGroupTraffic,
    cidrs: readonly string[],
    allowed: readonly SecurityGroup[],
  ): Promise<string[]> {
    const existing = (await tx.repo('securityGroupRules').find({ where: { securityGroupId: group.id } })).items.filter((r) => r.trafficType === trafficType && hasTraffic(r, traffic));
    const newCidrs = cidrs.filter((cidr) => !existing.some((r) => r.cidr === cidr));
    const newGroups = [...new Map(allowed.map((g) => [g.id, g])).values()].filter((g) => !existing.some((r) => r.allowedGroupId === g.id));
    if (newCidrs.length === 0 && newGroups.length === 0) {
      throw ruleConflict(`Security group ${group.name} already has every ${trafficType.toLowerCase()} rule given`, { securityGroupId: group.id });
    }
    const now = isoNow(this.clock);
    const base = {
      securityGroupId: group.id,
      accountId: group.accountId,
      domainId: group.domainId,
      trafficType,
      ...traffic,
      createdAt: now,
    };
    const ids: string[] = [];
    for (const cidr of newCidrs) ids.push((await tx.repo('securityGroupRules').insert({ id: this.random.uuid(), ...base, cidr })).id);
    for (const allowedGroup of newGroups) ids.push((await tx.repo('securityGroupRules').insert({ id: this.random.uuid(), ...base, allowedGroupId: allowedGroup.id })).id);
    return ids;
  }
}

function describe(traffic: SecurityGroupTraffic): string {
  if (traffic.protocol === 'icmp') return `icmp type ${traffic.icmpType ?? -1} code ${traffic.icmpCode ?? -1}`;
  if (traffic.protocol === 'all') return 'all traffic';
  return `${traffic.protocol} ${traffic.startPort ?? 0}-${traffic.endPort ?? 65535}`;
}
