import { inject, injectable } from 'tsyringe';
import { z } from 'zod';
import { ConfigReader } from '../config/config-reader.js';
import { requireRootAdmin } from '../context/authorize.js';
import type { CallContext } from '../context/call-context.js';
import { isoNow, type Clock } from '../contracts/clock.js';
import { HYPERVISOR_TYPES, type HostConnectAnswer, type HostConnectRequest, type HypervisorDriver } from '../contracts/hypervisor.js';
import type { RandomSource } from '../contracts/random.js';
import type { Store, Transaction } from '../contracts/store.js';
import { invalidParameter, notAllowed, resourceInUse, toCloudError } from '../errors.js';
import type { Cluster } from '../model/cluster.js';
import { HOST_STATE_TRANSITIONS, HostState, RESOURCE_STATE_TRANSITIONS, ResourceState, type Host } from '../model/host.js';
import { assertTransition } from '../model/state-machine.js';
import type { SecretBox } from '../security/secret-box.js';
import { TOKENS, type Logger } from '../tokens.js';
import { CapacityKeys } from './capacity-keys.js';
import { callDriver } from './driver-call.js';
import { EventRecorder } from './event-recorder.js';
import { HostMaintenance } from './host-maintenance.js';
import { MAX_HOSTS_PER_CLUSTER } from './host-limits.js';
import { clusterOrFail, hostOrFail, requireInfrastructureReader, tagList } from './infrastructure-lookups.js';
import { validate } from './validate.js';

/** Input of {@link HostService.add}. */
export const AddHostInput = z.object({
  clusterId: z.string().min(1),
  /** The host's URL (`http://10.1.1.5`, `http://sim/host1`). */
  url: z.string().min(1),
  username: z.string().min(1),
  /** Sealed before it is stored; opened only to connect. */
  password: z.string().min(1),
  /** When given, must be the cluster's hypervisor (a cluster's hosts are homogeneous). */
  hypervisor: z.enum(HYPERVISOR_TYPES).optional(),
  hostTags: z.union([z.string(), z.array(z.string())]).optional(),
  /** `Enabled` unless the host should join disabled. */
  allocationState: z.enum(['Enabled', 'Disabled']).default('Enabled'),
});
/** Input of {@link HostService.add}. */
export type AddHostInput = z.input<typeof AddHostInput>;

/** Input of {@link HostService.update}. */
export const UpdateHostInput = z.object({
  id: z.string().min(1),
  hostTags: z.union([z.string(), z.array(z.string())]).optional(),
  /** `Enable` or `Disable` (API `allocationstate`). */
  allocationState: z.enum(['Enable', 'Disable']).optional(),
});
/** Input of {@link HostService.update}. */
export type UpdateHostInput = z.input<typeof UpdateHostInput>;

/** Filters of {@link HostService.list}. */
export const ListHostsInput = z.object({
  id: z.string().optional(),
  name: z.string().optional(),
  zoneId: z.string().optional(),
  podId: z.string().optional(),
  clusterId: z.string().optional(),
  state: HostState.optional(),
  resourceState: ResourceState.optional(),
  hypervisor: z.enum(HYPERVISOR_TYPES).optional(),
});
/** Filters of {@link HostService.list}. */
export type ListHostsInput = z.input<typeof ListHostsInput>;

/** A host as callers see it: the password stays sealed in the store. */
export type HostView = Omit<Host, 'passwordSealed'>;

/** A host without its sealed password. */
export function hostView(host: Host): HostView {
  const { passwordSealed: _sealed, ...view } = host;
  return view;
}

/**
 * Hypervisor hosts (guide §6.6). A host is added through the driver registered for its
 * cluster's hypervisor type, following the house's device pattern: check and reserve a place in
 * the cluster (bounded counter: 8 XenServer/vSphere, 16 KVM hosts) and record the host as
 * `Connecting` in one transaction; connect outside it with the `wait` timeout; then record the
 * reported resources as `Up`, or remove the host and release its place. A host already running
 * VMs is refused, as the guide requires.
 */
@injectable()
export class HostService {
  constructor(
    @inject(TOKENS.Store) private readonly store: Store,
    @inject(TOKENS.Clock) private readonly clock: Clock,
    @inject(TOKENS.Random) private readonly random: RandomSource,
    @inject(TOKENS.SecretBox) private readonly secrets: SecretBox,
    @inject(TOKENS.Hypervisors) private readonly hypervisors: ReadonlyMap<string, HypervisorDriver>,
    @inject(TOKENS.Logger) private readonly logger: Logger,
    @inject(ConfigReader) private readonly config: ConfigReader,
    @inject(EventRecorder) private readonly events: EventRecorder,
    @inject(HostMaintenance) private readonly maintenance: HostMaintenance,
  ) {}

  /** Adds a host to a cluster through the cluster's hypervisor driver (root admin). */
  async add(caller: CallContext, input: AddHostInput): Promise<HostView> {
    requireRootAdmin(caller, 'add a host');
    const spec = validate(AddHostInput, input);
    const url = normaliseUrl(spec.url);
    const passwordSealed = this.secrets.seal(spec.password);

    // 1. Check, reserve a place in the cluster and record the intent.
    const { host, cluster, driver, timeoutMs } = await this.store.transaction(async (tx) => {
      const cluster = await clusterOrFail(tx, spec.clusterId);
      if (spec.hypervisor !== undefined && spec.hypervisor !== cluster.hypervisorType) {
        throw invalidParameter('hypervisor', `cluster ${cluster.name} runs ${cluster.hypervisorType}; all hosts of a cluster run the same hypervisor`);
      }
      if (cluster.managedState !== 'Managed') throw notAllowed(`Cluster ${cluster.name} is ${cluster.managedState}`, 'clusterid');
      const driver = this.driverFor(cluster);
      if ((await tx.repo('hosts').findOne({ url })) !== undefined) throw invalidParameter('url', `a host with URL ${url} already exists`);
      const limit = MAX_HOSTS_PER_CLUSTER[cluster.hypervisorType];
      const place = await tx.counters.adjust(CapacityKeys.clusterHosts(cluster.id), 1, limit === undefined ? {} : { max: limit });
      if (!place.ok) {
        throw invalidParameter('clusterid', `cluster ${cluster.name} already has ${place.value} hosts; a ${cluster.hypervisorType} cluster holds at most ${limit}`);
      }
      const host = await tx.repo('hosts').insert({
        id: this.random.uuid(),
        name: url,
        type: 'Routing',
        zoneId: cluster.zoneId,
        podId: cluster.podId,
        clusterId: cluster.id,
        hypervisorType: cluster.hypervisorType,
        url,
        username: spec.username,
        passwordSealed,
        state: 'Connecting',
        resourceState: 'Creating',
        cpuSockets: 0,
        cpuNumber: 0,
        cpuSpeed: 0,
        memoryTotal: 0,
        capabilities: [],
        hostTags: tagList(spec.hostTags),
        createdAt: isoNow(this.clock),
      });
      const timeoutMs = (await this.config.number('wait', {}, tx)) * 1000;
      return { host, cluster, driver, timeoutMs };
    });

    // 2. Connect, outside any transaction.
    let answer: HostConnectAnswer;
    try {
      answer = await callDriver({ operation: `connect host ${url}`, timeoutMs, param: 'url' }, () =>
        driver.connectHost(this.connectRequest(cluster, url, spec.username, spec.password)),
      );
      const running = answer.vms.filter((vm) => vm.powerState === 'Running');
      if (running.length > 0) {
        await this.release(driver, url, answer.guid);
        throw resourceInUse(`Host ${url} already runs ${running.length} VM(s) (${running.map((v) => v.name).join(', ')}); add only hosts with no VMs running`, 'url');
      }
    } catch (error) {
      await this.abandon(caller, host, error);
      throw toCloudError(error);
    }

    // 3. Record the outcome.
    try {
      return await this.store.transaction(async (tx) => {
        const current = await hostOrFail(tx, host.id);
        if ((await tx.repo('hosts').findOne({ guid: answer.guid })) !== undefined) {
          throw invalidParameter('url', `the host at ${url} is already in the cloud under another URL (guid ${answer.guid})`);
        }
        const up = await tx.repo('hosts').update({
          ...current,
          ...reported(answer),
          state: 'Up',
          resourceState: spec.allocationState,
          lastPinged: isoNow(this.clock),
        });
        await this.events.record(tx, caller, { type: 'HOST.ADD', description: `Added host ${up.name} (${url}) to cluster ${cluster.name}`, resourceType: 'Host', resourceId: up.id });
        return hostView(up);
      });
    } catch (error) {
      await this.abandon(caller, host, error);
      throw toCloudError(error);
    }
  }

  /** Changes a host's tags or enables/disables it for allocation (root admin). */
  async update(caller: CallContext, input: UpdateHostInput): Promise<HostView> {
    requireRootAdmin(caller, 'update a host');
    const change = validate(UpdateHostInput, input);
    return this.store.transaction(async (tx) => {
      const host = await hostOrFail(tx, change.id);
      const resourceState = change.allocationState === undefined ? host.resourceState : change.allocationState === 'Enable' ? 'Enabled' : 'Disabled';
      assertTransition(RESOURCE_STATE_TRANSITIONS, `Host ${host.name}`, host.resourceState, resourceState, 'allocationstate');
      const updated = await tx.repo('hosts').update({
        ...host,
        resourceState,
        ...(change.hostTags === undefined ? {} : { hostTags: tagList(change.hostTags) }),
      });
      await this.events.record(tx, caller, { type: 'HOST.UPDATE', description: `Updated host ${host.name}`, resourceType: 'Host', resourceId: host.id });
      return hostView(updated);
    });
  }

  /** Changes the password core connects with; sealed before it is stored (root admin). */
  async updatePassword(caller: CallContext, input: { id: string; username: string; password: string }): Promise<HostView> {
    requireRootAdmin(caller, 'change a host password');
    const change = validate(z.object({ id: z.string().min(1), username: z.string().min(1), password: z.string().min(1) }), input);
    return this.store.transaction(async (tx) => {
      const host = await hostOrFail(tx, change.id);
      const updated = await tx.repo('hosts').update({ ...host, username: change.username, passwordSealed: this.secrets.seal(change.password) });
      await this.events.record(tx, caller, { type: 'HOST.UPDATE', description: `Changed the password of host ${host.name}`, resourceType: 'Host', resourceId: host.id });
      return hostView(updated);
    });
  }

  /**
   * Puts a host into maintenance (root admin): `PrepareForMaintenance`, every running VM
   * live-migrated to another host of the cluster, then `Maintenance` (at once when no VM is on
   * it). Refused up front (533, nothing changed) when a VM has nowhere to go; a migration that
   * fails midway leaves the host `ErrorInMaintenance` (see {@link HostMaintenance}).
   */
  async prepareForMaintenance(caller: CallContext, input: { id: string }): Promise<HostView> {
    requireRootAdmin(caller, 'put a host into maintenance');
    const { id } = validate(z.object({ id: z.string().min(1) }), input);
    return hostView(await this.maintenance.prepare(caller, id));
  }

  /** Takes a host out of maintenance (root admin). */
  async cancelMaintenance(caller: CallContext, input: { id: string }): Promise<HostView> {
    requireRootAdmin(caller, 'cancel host maintenance');
    const { id } = validate(z.object({ id: z.string().min(1) }), input);
    return this.store.transaction(async (tx) => {
      const host = await hostOrFail(tx, id);
      if (host.resourceState !== 'Maintenance' && host.resourceState !== 'PrepareForMaintenance' && host.resourceState !== 'ErrorInMaintenance') {
        throw notAllowed(`Host ${host.name} is not in maintenance`, 'id');
      }
      const updated = await tx.repo('hosts').update({ ...host, resourceState: 'Enabled' });
      await this.events.record(tx, caller, { type: 'MAINT.CANCEL', description: `Host ${host.name} is out of maintenance`, resourceType: 'Host', resourceId: id });
      return hostView(updated);
    });
  }

  /**
   * Reconnects a host (root admin): `Connecting`, then the driver reports it again; the host is
   * `Up` with refreshed resources, or `Alert` and the call fails with 534.
   */
  async reconnect(caller: CallContext, input: { id: string }): Promise<HostView> {
    requireRootAdmin(caller, 'reconnect a host');
    const { id } = validate(z.object({ id: z.string().min(1) }), input);
    const { host, cluster, driver, timeoutMs } = await this.store.transaction(async (tx) => {
      const host = await hostOrFail(tx, id);
      const cluster = await clusterOrFail(tx, host.clusterId);
      assertTransition(HOST_STATE_TRANSITIONS, `Host ${host.name}`, host.state, 'Connecting', 'id');
      const connecting = await tx.repo('hosts').update({ ...host, state: 'Connecting' });
      return { host: connecting, cluster, driver: this.driverFor(cluster), timeoutMs: (await this.config.number('wait', {}, tx)) * 1000 };
    });
    try {
      const answer = await callDriver({ operation: `connect host ${host.url}`, timeoutMs, param: 'id' }, () =>
        driver.connectHost(this.connectRequest(cluster, host.url, host.username, this.secrets.open(host.passwordSealed))),
      );
      return await this.setState(caller, id, 'Up', reported(answer), 'HOST.RECONNECT', `Host ${host.name} reconnected`);
    } catch (error) {
      await this.setState(caller, id, 'Alert', { disconnectedAt: isoNow(this.clock) }, 'HOST.RECONNECT', `Host ${host.name} did not reconnect: ${toCloudError(error).message}`, 'ERROR');
      throw toCloudError(error);
    }
  }

  /**
   * Deletes a host (root admin). Refused (536) while any VM is on it: the VM issue counts the
   * VMs it places on a host under `CapacityKeys.hostVms`. Without `forced`, an `Up` host must
   * first be put into maintenance, as CloudStack requires.
   */
  async delete(caller: CallContext, input: { id: string; forced?: boolean }): Promise<void> {
    requireRootAdmin(caller, 'delete a host');
    const { id, forced } = validate(z.object({ id: z.string().min(1), forced: z.boolean().default(false) }), input);
    const { host, driver } = await this.store.transaction(async (tx) => {
      const host = await hostOrFail(tx, id);
      const vms = await tx.counters.get(CapacityKeys.hostVms(id));
      if (vms > 0) throw resourceInUse(`Host ${host.name} still has ${vms} VM(s) on it`, 'id');
      if (!forced && host.state === 'Up' && host.resourceState !== 'Maintenance') {
        throw notAllowed(`Host ${host.name} is Up and not in maintenance; put it into maintenance first or delete it forced`, 'id');
      }
      const cluster = await clusterOrFail(tx, host.clusterId);
      await tx.repo('hosts').delete(id, host.version);
      await this.releasePlace(tx, host.clusterId);
      for (const key of [CapacityKeys.hostVms(id), CapacityKeys.hostCpuMhz(id), CapacityKeys.hostMemoryBytes(id)]) await tx.counters.delete(key);
      await this.events.record(tx, caller, { type: 'HOST.DELETE', description: `Deleted host ${host.name}`, resourceType: 'Host', resourceId: id });
      return { host, driver: this.hypervisors.get(cluster.hypervisorType) };
    });
    if (driver !== undefined && host.guid !== undefined) await this.release(driver, host.url, host.guid);
  }

  /** Hosts (root and resource-domain admins), without their passwords. */
  async list(caller: CallContext, input: ListHostsInput = {}): Promise<HostView[]> {
    requireInfrastructureReader(caller, 'list hosts');
    const q = validate(ListHostsInput, input);
    return this.store.transaction(async (tx) =>
      (await tx.repo('hosts').find({
        where: {
          ...(q.id === undefined ? {} : { id: q.id }),
          ...(q.name === undefined ? {} : { name: q.name }),
          ...(q.zoneId === undefined ? {} : { zoneId: q.zoneId }),
          ...(q.podId === undefined ? {} : { podId: q.podId }),
          ...(q.clusterId === undefined ? {} : { clusterId: q.clusterId }),
          ...(q.state === undefined ? {} : { state: q.state }),
          ...(q.resourceState === undefined ? {} : { resourceState: q.resourceState }),
          ...(q.hypervisor === undefined ? {} : { hypervisorType: q.hypervisor }),
        },
      })).items.map(hostView),
    );
  }

  private driverFor(cluster: Cluster): HypervisorDriver {
    const driver = this.hypervisors.get(cluster.hypervisorType);
    if (driver === undefined || !driver.capabilities.has('host.connect')) {
      throw invalidParameter('clusterid', `no driver that can connect ${cluster.hypervisorType} hosts is registered`);
    }
    return driver;
  }

  private connectRequest(cluster: Cluster, url: string, username: string, password: string): HostConnectRequest {
    return {
      url,
      username,
      password,
      hypervisorType: cluster.hypervisorType,
      clusterName: cluster.name,
      ...(cluster.vcenter === undefined
        ? {}
        : { vcenter: { host: cluster.vcenter.host, username: cluster.vcenter.username, password: this.secrets.open(cluster.vcenter.passwordSealed), datacenter: cluster.vcenter.datacenter } }),
    };
  }

  /** Removes a host whose add failed and gives back its place in the cluster; records why. */
  private async abandon(caller: CallContext, host: Host, error: unknown): Promise<void> {
    const reason = toCloudError(error).message;
    await this.store.transaction(async (tx) => {
      if ((await tx.repo('hosts').get(host.id)) !== undefined) {
        await tx.repo('hosts').delete(host.id);
        await this.releasePlace(tx, host.clusterId);
      }
      await this.events.record(tx, caller, { type: 'HOST.ADD', level: 'ERROR', description: `Failed to add host ${host.url}: ${reason}`, resourceType: 'Host', resourceId: host.id });
    });
  }

  /** Gives back a host's place in its cluster; an empty cluster keeps no counter, so a failed add leaves no trace. */
  private async releasePlace(tx: Transaction, clusterId: string): Promise<void> {
    const key = CapacityKeys.clusterHosts(clusterId);
    const { value } = await tx.counters.adjust(key, -1, { min: 0 });
    if (value === 0) await tx.counters.delete(key);
  }

  private async setState(
    caller: CallContext,
    id: string,
    state: HostState,
    fields: Partial<Host>,
    type: string,
    description: string,
    level: 'INFO' | 'ERROR' = 'INFO',
  ): Promise<HostView> {
    return this.store.transaction(async (tx: Transaction) => {
      const host = await hostOrFail(tx, id);
      assertTransition(HOST_STATE_TRANSITIONS, `Host ${host.name}`, host.state, state);
      const updated = await tx.repo('hosts').update({ ...host, ...fields, state, ...(state === 'Up' ? { lastPinged: isoNow(this.clock) } : {}) });
      await this.events.record(tx, caller, { type, level, description, resourceType: 'Host', resourceId: id });
      return hostView(updated);
    });
  }

  private async release(driver: HypervisorDriver, url: string, guid: string): Promise<void> {
    if (driver.releaseHost === undefined || !driver.capabilities.has('host.release')) return;
    try {
      await driver.releaseHost({ url, guid });
    } catch (error) {
      // Releasing is idempotent housekeeping on the device; the cloud's record is already right.
      this.logger.warn('Releasing a host on its hypervisor failed', { url, error: toCloudError(error).message });
    }
  }
}

/** The fields of a host that come from what it reported. */
function reported(answer: HostConnectAnswer): Pick<Host, 'name' | 'guid' | 'ipAddress' | 'cpuSockets' | 'cpuNumber' | 'cpuSpeed' | 'memoryTotal' | 'hypervisorVersion' | 'capabilities'> {
  return {
    name: answer.name,
    guid: answer.guid,
    ipAddress: answer.ipAddress,
    cpuSockets: answer.cpuSockets,
    cpuNumber: answer.cpuCores,
    cpuSpeed: answer.cpuSpeedMhz,
    memoryTotal: answer.memoryBytes,
    hypervisorVersion: answer.hypervisorVersion,
    capabilities: [...(answer.capabilities ?? [])],
  };
}

/** A bare host name or address becomes `http://<host>`, as CloudStack's add-host form does. */
function normaliseUrl(url: string): string {
  const trimmed = url.trim();
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed)) return trimmed;
  if (/^[A-Za-z0-9.-]+$/.test(trimmed)) return `http://${trimmed}`;
  throw invalidParameter('url', `${url} is neither a URL nor a host name`);
}
