import { inject, injectable } from 'tsyringe';
import type { CallContext } from '../context/call-context.js';
import { isoNow, type Clock } from '../contracts/clock.js';
import type { RandomSource } from '../contracts/random.js';
import type { Transaction } from '../contracts/store.js';
import { invalidParameter, notFound } from '../errors.js';
import type { Account } from '../model/account.js';
import { providerOf } from '../model/network-offering.js';
import type { SecurityGroup } from '../model/security-group.js';
import type { VirtualMachine } from '../model/vm.js';
import type { Zone } from '../model/zone.js';
import { TOKENS, type Logger } from '../tokens.js';
import { SecurityGroupAccess } from './security-group-access.js';
import { SecurityGroupEnforcer } from './security-group-enforcer.js';
import { vmsReferencingSecurityGroups } from './security-group-rule-set.js';
import { Visibility } from './visibility.js';

/** The groups a deployment asks for (`securitygroupids` or `securitygroupnames`, not both). */
export interface SecurityGroupJoinRequest {
  /** Groups by id; each must belong to the VM's owner. */
  readonly securityGroupIds?: readonly string[];
  /** Groups by name in the VM's owner's account. */
  readonly securityGroupNames?: readonly string[];
}

/**
 * Whether a VM's guest traffic is filtered by security groups: in a zone created with them
 * (a basic zone with the security-group offering), or in an advanced zone when one of the VM's
 * NICs is on a shared network whose offering has the `SecurityGroup` service (guide 13.7.3).
 */
export async function securityGroupsEnabledFor(tx: Transaction, vmId: string, zone: Zone): Promise<boolean> {
  if (zone.securityGroupsEnabled) return true;
  if (zone.networkType !== 'Advanced') return false;
  const networkIds = [...new Set((await tx.repo('nics').find({ where: { vmId } })).items.map((n) => n.networkId).filter((id): id is string => id !== undefined))];
  for (const networkId of networkIds) {
    const network = await tx.repo('networks').get(networkId);
    const offering = network === undefined ? undefined : await tx.repo('networkOfferings').get(network.networkOfferingId);
    if (offering !== undefined && providerOf(offering, 'SecurityGroup') !== undefined) return true;
  }
  return false;
}

/**
 * VMs' memberships of security groups (guide 13.7.1): a VM joins groups when it is deployed —
 * the ones it names, or its owner's `default` group — and stays in them for its lifetime; its
 * memberships go when it is expunged. The deployment calls {@link join} in its transaction;
 * the expunge calls {@link leaveAll} in its.
 */
@injectable()
export class SecurityGroupMembership {
  constructor(
    @inject(TOKENS.Clock) private readonly clock: Clock,
    @inject(TOKENS.Random) private readonly random: RandomSource,
    @inject(TOKENS.Logger) private readonly logger: Logger,
    @inject(SecurityGroupAccess) private readonly access: SecurityGroupAccess,
    @inject(Visibility) private readonly visibility: Visibility,
    @inject(SecurityGroupEnforcer) private readonly enforcer: SecurityGroupEnforcer,
  ) {}

  /**
   * Makes a new VM a member of its groups, in the deployment's transaction, after its NICs were
   * created (an advanced zone's security-group network is found through them). In a zone with
   * security groups the VM joins the groups named by id or by name (431 naming
   * `securitygroupnames` when both are given), or its owner's `default` group when none is; a
   * group must belong to the VM's owner (431 naming the parameter otherwise — another
   * account's group reads as not found unless the caller may see it). In a zone without
   * security groups naming any group is refused (431) and nothing is joined. Returns the ids of
   * the groups joined. The VM gets its rule set when it starts (`SecurityGroupEnforcer.applyForVm`).
   */
  async join(tx: Transaction, caller: CallContext, vm: VirtualMachine, owner: Account, zone: Zone, request: SecurityGroupJoinRequest): Promise<string[]> {
    const ids = request.securityGroupIds ?? [];
    const names = request.securityGroupNames ?? [];
    if (ids.length > 0 && names.length > 0) throw invalidParameter('securitygroupnames', 'give either securitygroupids or securitygroupnames, not both');
    if (!(await securityGroupsEnabledFor(tx, vm.id, zone))) {
      if (ids.length > 0) throw invalidParameter('securitygroupids', `zone ${zone.name} does not use security groups; its VMs cannot join any`);
      if (names.length > 0) throw invalidParameter('securitygroupnames', `zone ${zone.name} does not use security groups; its VMs cannot join any`);
      return [];
    }
    const groups: SecurityGroup[] = [];
    for (const id of ids) groups.push(await this.ownGroupById(tx, caller, owner, id));
    for (const name of names) {
      const group = await this.access.byName(tx, owner, name);
      if (group === undefined) throw notFound('security group', 'securitygroupnames', name);
      groups.push(group);
    }
    if (groups.length === 0) groups.push(await this.access.ensureDefault(tx, owner));
    const joined = [...new Map(groups.map((g) => [g.id, g])).values()];
    const now = isoNow(this.clock);
    for (const group of joined) {
      await tx.repo('securityGroupMembers').insert({ id: this.random.uuid(), groupId: group.id, vmId: vm.id, accountId: owner.id, createdAt: now });
    }
    return joined.map((g) => g.id);
  }

  /**
   * Removes a VM from all its groups and forgets its rule sync state, in the expunging
   * transaction. Once that commits, the running VMs whose rules name those groups get sets
   * without the VM (a failure there leaves them `pending`; it is logged, not raised — the VM is
   * gone either way). Returns the ids of the groups left.
   */
  async leaveAll(tx: Transaction, vmId: string): Promise<string[]> {
    const members = (await tx.repo('securityGroupMembers').find({ where: { vmId } })).items;
    const groupIds = members.map((m) => m.groupId).sort();
    const peers = (await vmsReferencingSecurityGroups(tx, groupIds)).filter((id) => id !== vmId);
    for (const member of members) await tx.repo('securityGroupMembers').delete(member.id);
    await this.enforcer.forget(tx, vmId);
    if (peers.length > 0) {
      tx.afterCommit(() => {
        void this.enforcer.applyForVms(peers).catch((error: unknown) => {
          this.logger.warn('could not re-apply security group rules after a VM left its groups', { vmId, error: error instanceof Error ? error.message : String(error) });
        });
      });
    }
    return groupIds;
  }

  /** The groups a VM belongs to (for the VM's view), by name. */
  async groupsOf(tx: Transaction, vmId: string): Promise<SecurityGroup[]> {
    const ids = (await tx.repo('securityGroupMembers').find({ where: { vmId } })).items.map((m) => m.groupId);
    if (ids.length === 0) return [];
    return (await tx.repo('securityGroups').find({ where: { id: { in: ids } } })).items.sort((a, b) => a.name.localeCompare(b.name));
  }

  /** A group by id that the caller may see and that belongs to the VM's owner (431 naming `securitygroupids` otherwise). */
  private async ownGroupById(tx: Transaction, caller: CallContext, owner: Account, id: string): Promise<SecurityGroup> {
    const group = await tx.repo('securityGroups').get(id);
    if (group === undefined || !(await this.visibility.canAccess(tx, caller, group))) throw notFound('security group', 'securitygroupids', id);
    if (group.accountId !== owner.id) {
      throw invalidParameter('securitygroupids', `security group ${group.name} belongs to another account than the VM's owner ${owner.name}`);
    }
    return group;
  }
}
