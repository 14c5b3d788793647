import { inject, injectable } from 'tsyringe';
import { ConfigReader } from '../config/config-reader.js';
import type { CallContext } from '../context/call-context.js';
import { isoNow, type Clock } from '../contracts/clock.js';
import type { RandomSource } from '../contracts/random.js';
import type { Filter, Page, Store } from '../contracts/store.js';
import { invalidParameter, notFound, resourceInUse } from '../errors.js';
import type { SecurityGroup } from '../model/security-group.js';
import { TOKENS } from '../tokens.js';
import { EventRecorder } from './event-recorder.js';
import { pageWindow } from './paging.js';
import { SecurityGroupAccess, isDefaultGroupName, type SecurityGroupRefParams } from './security-group-access.js';
import { CreateSecurityGroupInput, ListSecurityGroupsInput, SecurityGroupRefInput } from './security-group-inputs.js';
import { SecurityGroupViews, type SecurityGroupView } from './security-group-view.js';
import { validate } from './validate.js';
import { Visibility } from './visibility.js';

/**
 * Security groups (guide 13.7.1–13.7.2): every account has a `default` group that denies all
 * inbound and allows all outbound traffic until its rules change; users create more, with names
 * unique in their account; a group can be deleted — not `default`, not while a VM is a member,
 * not while another group's rule names it — and groups are listed under the visibility rule with
 * their ingress and egress rules.
 */
@injectable()
export class SecurityGroupService {
  constructor(
    @inject(TOKENS.Store) private readonly store: Store,
    @inject(TOKENS.Clock) private readonly clock: Clock,
    @inject(TOKENS.Random) private readonly random: RandomSource,
    @inject(ConfigReader) private readonly config: ConfigReader,
    @inject(EventRecorder) private readonly events: EventRecorder,
    @inject(Visibility) private readonly visibility: Visibility,
    @inject(SecurityGroupAccess) private readonly access: SecurityGroupAccess,
  ) {}

  /**
   * Creates a group in the caller's account (or one an admin names). `default` is reserved and
   * a name already used in the account is refused, both 431 naming `name`.
   */
  async create(caller: CallContext, input: CreateSecurityGroupInput): Promise<SecurityGroupView> {
    const request = validate(CreateSecurityGroupInput, input);
    return this.store.transaction(async (tx) => {
      const owner = await this.access.owner(tx, caller, request);
      if (isDefaultGroupName(request.name)) throw invalidParameter('name', `Unable to create a security group named ${request.name}: every account has its default group`);
      await this.access.ensureDefault(tx, owner);
      if ((await this.access.byName(tx, owner, request.name)) !== undefined) {
        throw invalidParameter('name', `Unable to create security group: account ${owner.name} already has a group named ${request.name}`);
      }
      const group = await tx.repo('securityGroups').insert({
        id: this.random.uuid(),
        name: request.name,
        ...(request.description === undefined ? {} : { description: request.description }),
        accountId: owner.id,
        domainId: owner.domainId,
        isDefault: false,
        createdAt: isoNow(this.clock),
      });
      await this.events.record(tx, caller, { type: 'SG.CREATE', description: `Created security group ${group.name}`, resourceType: 'SecurityGroup', resourceId: group.id, accountId: owner.id, domainId: owner.domainId });
      return new SecurityGroupViews(tx).one(group);
    });
  }

  /**
   * Deletes a group by id or by name, with its rules. Refused: the `default` group (431), a
   * group VMs belong to or another group's rule names (536, naming the parameter given).
   */
  async delete(caller: CallContext, input: SecurityGroupRefInput): Promise<void> {
    const request = validate(SecurityGroupRefInput, input);
    const param = request.id !== undefined ? 'id' : 'name';
    await this.store.transaction(async (tx) => {
      const group = await this.access.resolve(tx, caller, request, { id: 'id', name: 'name' });
      if (group.isDefault) throw invalidParameter(param, `The security group ${group.name} is reserved: every account keeps its default group`);
      const members = await tx.repo('securityGroupMembers').count({ groupId: group.id });
      if (members > 0) throw resourceInUse(`Cannot delete security group ${group.name}: it is in use by ${members} virtual machine(s)`, param);
      const naming = (await tx.repo('securityGroupRules').find({ where: { allowedGroupId: group.id } })).items.filter((r) => r.securityGroupId !== group.id);
      if (naming.length > 0) throw resourceInUse(`Cannot delete security group ${group.name}: rules of other security groups allow its VMs; revoke them first`, param);
      for (const rule of (await tx.repo('securityGroupRules').find({ where: { securityGroupId: group.id } })).items) await tx.repo('securityGroupRules').delete(rule.id);
      await tx.repo('securityGroups').delete(group.id, group.version);
      await this.events.record(tx, caller, { type: 'SG.DELETE', description: `Deleted security group ${group.name}`, resourceType: 'SecurityGroup', resourceId: group.id, accountId: group.accountId, domainId: group.domainId });
    });
  }

  /**
   * Groups the caller may see, with their rules, by name: filtered by `id`, name (any case),
   * the groups of a VM, and `keyword`. Listing one account's groups makes sure its `default`
   * group exists.
   */
  async list(caller: CallContext, input: ListSecurityGroupsInput = {}): Promise<Page<SecurityGroupView>> {
    const query = validate(ListSecurityGroupsInput, input);
    return this.store.transaction(async (tx) => {
      const scope = await this.visibility.scope(tx, caller, query);
      for (const accountId of scope.accountIds ?? []) {
        const account = await tx.repo('accounts').get(accountId);
        if (account !== undefined) await this.access.ensureDefault(tx, account);
      }
      const ids: string[][] = [];
      if (query.id !== undefined) ids.push([query.id]);
      if (query.securityGroupName !== undefined) {
        const wanted = query.securityGroupName.trim().toLowerCase();
        const named = (await tx.repo('securityGroups').find({ where: { ...this.visibility.ownerFilter(scope), name: { like: wanted } } })).items;
        ids.push(named.filter((g) => g.name.toLowerCase() === wanted).map((g) => g.id));
      }
      if (query.virtualMachineId !== undefined) {
        const vm = await tx.repo('vms').get(query.virtualMachineId);
        if (vm === undefined || !(await this.visibility.canAccess(tx, caller, vm))) throw notFound('virtual machine', 'virtualmachineid', query.virtualMachineId);
        ids.push((await tx.repo('securityGroupMembers').find({ where: { vmId: vm.id } })).items.map((m) => m.groupId));
      }
      const only = ids.reduce<string[] | undefined>((acc, set) => (acc === undefined ? set : acc.filter((id) => set.includes(id))), undefined);
      const where: Filter<SecurityGroup> = {
        ...this.visibility.ownerFilter(scope),
        ...(only === undefined ? {} : { id: { in: only } }),
        ...(query.keyword === undefined || query.keyword === '' ? {} : { name: { like: query.keyword } }),
      };
      const window = pageWindow(query, await this.config.number('default.page.size', {}, tx));
      const page = await tx.repo('securityGroups').find({ where, orderBy: [{ field: 'name' }, { field: 'id' }], ...window });
      return { items: await new SecurityGroupViews(tx).of(page.items), total: page.total };
    });
  }

  /**
   * One group the caller may see, by id, or by name in the caller's account or the one an admin
   * names (exactly one of them; 431 naming the parameter otherwise). `params` names the
   * parameters in errors (an API's `securitygroupid` / `securitygroupname`).
   */
  async resolve(caller: CallContext, input: SecurityGroupRefInput, params: SecurityGroupRefParams = { id: 'id', name: 'name' }): Promise<SecurityGroupView> {
    const request = validate(SecurityGroupRefInput, input);
    return this.store.transaction(async (tx) => new SecurityGroupViews(tx).one(await this.access.resolve(tx, caller, request, params)));
  }

  /** One group the caller may see, by id (431 not found otherwise). */
  async get(caller: CallContext, id: string): Promise<SecurityGroupView> {
    return this.store.transaction(async (tx) => new SecurityGroupViews(tx).one(await this.access.visible(tx, caller, id)));
  }
}
