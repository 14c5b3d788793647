import { inject, injectable } from 'tsyringe';
import { z } from 'zod';
import { requireRootAdmin } from '../context/authorize.js';
import type { CallContext } from '../context/call-context.js';
import { isoNow, type Clock } from '../contracts/clock.js';
import { HYPERVISOR_TYPES, type HypervisorDriver } from '../contracts/hypervisor.js';
import type { RandomSource } from '../contracts/random.js';
import type { Store } from '../contracts/store.js';
import { invalidParameter, missingParameter, resourceInUse } from '../errors.js';
import { ALLOCATION_STATE_TRANSITIONS, AllocationState } from '../model/allocation-state.js';
import { MANAGED_STATE_TRANSITIONS, ManagedState, type Cluster } from '../model/cluster.js';
import { assertTransition } from '../model/state-machine.js';
import type { SecretBox } from '../security/secret-box.js';
import { TOKENS } from '../tokens.js';
import { CapacityKeys } from './capacity-keys.js';
import { EventRecorder } from './event-recorder.js';
import { clusterOrFail, podOrFail, requireInfrastructureReader, zoneOrFail } from './infrastructure-lookups.js';
import { validate } from './validate.js';

/** Input of {@link ClusterService.add}. */
export const AddClusterInput = z.object({
  zoneId: z.string().min(1),
  podId: z.string().min(1),
  /** For vSphere, the name of the cluster in vCenter. */
  clusterName: z.string().min(1).max(255),
  hypervisor: z.enum(HYPERVISOR_TYPES),
  allocationState: AllocationState.default('Enabled'),
  /** vSphere: the vCenter host name or address. */
  vcenterHost: z.string().min(1).optional(),
  /** vSphere: the vCenter user (all administrative privileges). */
  username: z.string().min(1).optional(),
  /** vSphere: that user's password; sealed before it is stored. */
  password: z.string().min(1).optional(),
  /** vSphere: the vCenter datacenter the cluster is in. */
  vcenterDatacenter: z.string().min(1).optional(),
});
/** Input of {@link ClusterService.add}. */
export type AddClusterInput = z.input<typeof AddClusterInput>;

/** Input of {@link ClusterService.update}. */
export const UpdateClusterInput = z.object({
  id: z.string().min(1),
  clusterName: z.string().min(1).max(255).optional(),
  allocationState: AllocationState.optional(),
  managedState: ManagedState.optional(),
});
/** Input of {@link ClusterService.update}. */
export type UpdateClusterInput = z.input<typeof UpdateClusterInput>;

/** Filters of {@link ClusterService.list}. */
export const ListClustersInput = z.object({
  zoneId: z.string().optional(),
  podId: z.string().optional(),
  hypervisor: z.enum(HYPERVISOR_TYPES).optional(),
  name: z.string().optional(),
});
/** Filters of {@link ClusterService.list}. */
export type ListClustersInput = z.input<typeof ListClustersInput>;

/** A cluster as callers see it: the vCenter password stays in the store. */
export type ClusterView = Omit<Cluster, 'vcenter'> & { readonly vcenter?: Omit<NonNullable<Cluster['vcenter']>, 'passwordSealed'> };

/** A cluster without its sealed secret. */
export function clusterView(cluster: Cluster): ClusterView {
  const { vcenter, ...rest } = cluster;
  if (vcenter === undefined) return rest;
  const { passwordSealed: _sealed, ...endpoint } = vcenter;
  return { ...rest, vcenter: endpoint };
}

/**
 * Clusters (guide §6.5): one hypervisor type per cluster, in a pod of the zone. A vSphere
 * cluster carries its vCenter (password sealed). A cluster can only be of a hypervisor type a
 * driver is registered for, since its hosts are added through that driver.
 */
@injectable()
export class ClusterService {
  constructor(
    @inject(TOKENS.Store) private readonly store: Store,
    @inject(TOKENS.Clock) private readonly clock: Clock,
    @inject(TOKENS.Random) private readonly random: RandomSource,
    @inject(TOKENS.SecretBox) private readonly secrets: SecretBox,
    @inject(TOKENS.Hypervisors) private readonly hypervisors: ReadonlyMap<string, HypervisorDriver>,
    @inject(EventRecorder) private readonly events: EventRecorder,
  ) {}

  /** Adds a cluster (root admin). */
  async add(caller: CallContext, input: AddClusterInput): Promise<ClusterView> {
    requireRootAdmin(caller, 'add a cluster');
    const spec = validate(AddClusterInput, input);
    if (!this.hypervisors.has(spec.hypervisor)) {
      throw invalidParameter('hypervisor', `no ${spec.hypervisor} driver is registered with this cloud`);
    }
    let vcenter: Cluster['vcenter'];
    if (spec.hypervisor === 'VMware') {
      if (spec.vcenterHost === undefined) throw missingParameter('vcenterhost');
      if (spec.username === undefined) throw missingParameter('username');
      if (spec.password === undefined) throw missingParameter('password');
      if (spec.vcenterDatacenter === undefined) throw missingParameter('vcenterdatacenter');
      vcenter = { host: spec.vcenterHost, username: spec.username, passwordSealed: this.secrets.seal(spec.password), datacenter: spec.vcenterDatacenter };
    } else if (spec.vcenterHost !== undefined || spec.vcenterDatacenter !== undefined) {
      throw invalidParameter('vcenterhost', `a ${spec.hypervisor} cluster has no vCenter`);
    }
    return this.store.transaction(async (tx) => {
      const zone = await zoneOrFail(tx, spec.zoneId);
      const pod = await podOrFail(tx, spec.podId);
      if (pod.zoneId !== zone.id) throw invalidParameter('podid', `pod ${pod.name} is not in zone ${zone.name}`);
      const cluster = await tx.repo('clusters').insert({
        id: this.random.uuid(),
        zoneId: zone.id,
        podId: pod.id,
        name: spec.clusterName,
        hypervisorType: spec.hypervisor,
        clusterType: spec.hypervisor === 'VMware' ? 'ExternalManaged' : 'CloudManaged',
        allocationState: spec.allocationState,
        managedState: 'Managed',
        ...(vcenter === undefined ? {} : { vcenter }),
        createdAt: isoNow(this.clock),
      });
      await this.events.record(tx, caller, { type: 'CLUSTER.CREATE', description: `Added ${cluster.hypervisorType} cluster ${cluster.name}`, resourceType: 'Cluster', resourceId: cluster.id });
      return clusterView(cluster);
    });
  }

  /** Renames a cluster or changes its allocation or managed state (root admin). */
  async update(caller: CallContext, input: UpdateClusterInput): Promise<ClusterView> {
    requireRootAdmin(caller, 'update a cluster');
    const change = validate(UpdateClusterInput, input);
    return this.store.transaction(async (tx) => {
      const cluster = await clusterOrFail(tx, change.id, 'id');
      if (change.allocationState !== undefined) assertTransition(ALLOCATION_STATE_TRANSITIONS, `Cluster ${cluster.name}`, cluster.allocationState, change.allocationState, 'allocationstate');
      if (change.managedState !== undefined) assertTransition(MANAGED_STATE_TRANSITIONS, `Cluster ${cluster.name}`, cluster.managedState, change.managedState, 'managedstate');
      const updated = await tx.repo('clusters').update({
        ...cluster,
        ...(change.clusterName === undefined ? {} : { name: change.clusterName }),
        ...(change.allocationState === undefined ? {} : { allocationState: change.allocationState }),
        ...(change.managedState === undefined ? {} : { managedState: change.managedState }),
      });
      await this.events.record(tx, caller, { type: 'CLUSTER.EDIT', description: `Updated cluster ${updated.name}`, resourceType: 'Cluster', resourceId: cluster.id });
      return clusterView(updated);
    });
  }

  /** Deletes a cluster with no hosts and no primary storage (root admin). */
  async delete(caller: CallContext, input: { id: string }): Promise<void> {
    requireRootAdmin(caller, 'delete a cluster');
    const { id } = validate(z.object({ id: z.string().min(1) }), input);
    await this.store.transaction(async (tx) => {
      const cluster = await clusterOrFail(tx, id, 'id');
      if ((await tx.repo('hosts').count({ clusterId: id })) > 0) throw resourceInUse(`Cluster ${cluster.name} still has hosts`, 'id');
      if ((await tx.repo('storagePools').count({ clusterId: id })) > 0) throw resourceInUse(`Cluster ${cluster.name} still has primary storage`, 'id');
      await tx.counters.delete(CapacityKeys.clusterHosts(id));
      await tx.repo('clusters').delete(id, cluster.version);
      await this.events.record(tx, caller, { type: 'CLUSTER.DELETE', description: `Deleted cluster ${cluster.name}`, resourceType: 'Cluster', resourceId: id });
    });
  }

  /** Clusters (root and resource-domain admins). */
  async list(caller: CallContext, input: ListClustersInput = {}): Promise<ClusterView[]> {
    requireInfrastructureReader(caller, 'list clusters');
    const q = validate(ListClustersInput, input);
    return this.store.transaction(async (tx) =>
      (await tx.repo('clusters').find({
        where: {
          ...(q.zoneId === undefined ? {} : { zoneId: q.zoneId }),
          ...(q.podId === undefined ? {} : { podId: q.podId }),
          ...(q.hypervisor === undefined ? {} : { hypervisorType: q.hypervisor }),
          ...(q.name === undefined ? {} : { name: q.name }),
        },
      })).items.map(clusterView),
    );
  }
}
