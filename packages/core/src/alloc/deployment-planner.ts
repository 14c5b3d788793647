import { inject, injectable } from 'tsyringe';
import { ConfigReader } from '../config/config-reader.js';
import type { Transaction } from '../contracts/store.js';
import { insufficientCapacity, notFound } from '../errors.js';
import type { Cluster } from '../model/cluster.js';
import type { Host } from '../model/host.js';
import type { Pod } from '../model/pod.js';
import type { Zone } from '../model/zone.js';
import { CapacityKeys } from '../services/capacity-keys.js';
import { validate } from '../services/validate.js';
import { CapacityIndex, type IndexedCluster, type IndexedHost } from './capacity-index.js';
import { CapacityReservations, type ClaimOutcome, type ClaimSubject } from './capacity-reservations.js';
import { DeploymentRequestSchema, type DeploymentRequest, type DeploymentRequestInput } from './deployment-request.js';
import { hostCpuLimit, hostMemoryLimit, hostRejection, isHaHost, type HostNeeds } from './host-eligibility.js';
import { HostAllocators } from './host-allocators.js';
import { mbToBytes, type Placement, type ReservedAmounts } from './placement.js';
import { poolRejection, type PoolNeeds } from './pool-eligibility.js';
import { RejectionLog } from './rejection.js';
import { StoragePoolAllocator } from './storage-pool-allocator.js';

/** Settings read once per decision, in the planning transaction. */
interface Decision {
  readonly request: DeploymentRequest;
  readonly zone: Zone;
  readonly amounts: ReservedAmounts;
  readonly hostNeeds: HostNeeds;
  readonly local: boolean;
  readonly algorithm: string;
  readonly avoidHosts: ReadonlySet<string>;
  readonly avoidPools: ReadonlySet<string>;
  readonly avoidClusters: ReadonlySet<string>;
  readonly avoidPods: ReadonlySet<string>;
  /** true: claim capacity; false: only check it. */
  readonly claim: boolean;
}

/**
 * The deployment planner (CloudStack's `FirstFitPlanner` with its allocator chain): zone →
 * pod → cluster → host, then a primary storage pool, and the capacity claimed on both in the
 * caller's transaction — the one that records the VM — so a racing deployer can never
 * over-commit a host: when another transaction got there first the bounded claim fails and the
 * next candidate is tried.
 *
 * Honoured: allocation states of zone, pod and cluster (Disabled ones are skipped), host state
 * `Up` and resource state `Enabled`, the template's hypervisor, CPU (cores × speed) and memory
 * with the cluster's over-provisioning factors, the offering's host tag, `ha.tag` hosts only for
 * HA restarts of HA-enabled VMs, storage tags, shared or local storage (`use.local.storage`,
 * `system.vm.local.storage.required`), the avoid set, and an admin's requested host. Hosts
 * within a cluster are ordered by the `vm.allocation.algorithm` strategy. A deployment nothing
 * can take fails with 533 naming what was short.
 */
@injectable()
export class DeploymentPlanner {
  constructor(
    @inject(ConfigReader) private readonly config: ConfigReader,
    @inject(CapacityIndex) private readonly index: CapacityIndex,
    @inject(CapacityReservations) private readonly reservations: CapacityReservations,
    @inject(HostAllocators) private readonly hostAllocators: HostAllocators,
    @inject(StoragePoolAllocator) private readonly poolAllocator: StoragePoolAllocator,
  ) {}

  /**
   * Chooses a host and pool and claims the capacity in `tx`. Give it back with
   * {@link CapacityReservations.release} when the VM fails to start or is destroyed.
   */
  async planAndReserve(tx: Transaction, input: DeploymentRequestInput): Promise<Placement> {
    return this.decide(tx, input, true);
  }

  /** Where a VM would go now, claiming nothing (533 when nowhere). */
  async plan(tx: Transaction, input: DeploymentRequestInput): Promise<Placement> {
    return this.decide(tx, input, false);
  }

  private async decide(tx: Transaction, input: DeploymentRequestInput, claim: boolean): Promise<Placement> {
    const request = validate(DeploymentRequestSchema, input);
    const zone = await tx.repo('zones').get(request.zoneId);
    if (zone === undefined) throw notFound('zone', 'zoneid', request.zoneId);
    if (zone.allocationState !== 'Enabled') throw insufficientCapacity('capacity', `zone ${zone.name} is ${zone.allocationState} for allocation`, { zoneId: zone.id });
    const decision = await this.decision(tx, request, zone, claim);
    const subject = `no host in zone ${zone.name} can take ${request.cpuNumber} x ${request.cpuSpeed} MHz and ${request.memoryMb} MB${request.diskBytes > 0 ? ` with ${request.diskBytes} bytes of ${decision.local ? 'local' : 'shared'} storage` : ''}`;
    if (request.requestedHostId !== undefined) return this.onRequestedHost(tx, decision, request.requestedHostId);

    let lookup = await this.index.zone(tx, zone.id);
    let log = new RejectionLog();
    let placement = await this.pass(tx, decision, lookup.index.clusters, log);
    if (placement === undefined && !lookup.fresh) {
      // The index may be stale (a new host, capacity freed elsewhere): decide on fresh state.
      lookup = await this.index.zone(tx, zone.id, true);
      log = new RejectionLog();
      placement = await this.pass(tx, decision, lookup.index.clusters, log);
    }
    if (placement === undefined) throw log.toError(subject, request.hostTag);
    return placement;
  }

  private async decision(tx: Transaction, request: DeploymentRequest, zone: Zone, claim: boolean): Promise<Decision> {
    const haTag = (await this.config.string('ha.tag', {}, tx)) || undefined;
    const algorithm = (await this.config.string('vm.allocation.algorithm', {}, tx)) ?? 'random';
    const local = request.systemVm
      ? (await this.config.flag('system.vm.local.storage.required', {}, tx)) || (await this.config.flag('system.vm.use.local.storage', {}, tx))
      : request.storageType === 'local';
    if (local && !zone.localStorageEnabled && !(await this.config.flag('use.local.storage', { zoneId: zone.id }, tx))) {
      throw insufficientCapacity('storage (local)', `local storage is not enabled in zone ${zone.name} (use.local.storage)`, { zoneId: zone.id });
    }
    return {
      request,
      zone,
      amounts: { cpuMhz: request.cpuNumber * request.cpuSpeed, memoryBytes: mbToBytes(request.memoryMb), diskBytes: request.diskBytes },
      hostNeeds: {
        hypervisorType: request.hypervisorType,
        cpuNumber: request.cpuNumber,
        cpuSpeed: request.cpuSpeed,
        hostTag: request.hostTag,
        haTag,
        haRestart: request.forHaRestart && request.offerHa,
      },
      local,
      algorithm,
      avoidHosts: new Set(request.avoid.hosts),
      avoidPools: new Set(request.avoid.pools),
      avoidClusters: new Set(request.avoid.clusters),
      avoidPods: new Set(request.avoid.pods),
      claim,
    };
  }

  /** One pass over the zone's clusters in index order; undefined when nothing could take the VM. */
  private async pass(tx: Transaction, d: Decision, clusters: readonly IndexedCluster[], log: RejectionLog): Promise<Placement | undefined> {
    const { request } = d;
    const podStates = new Map<string, Pod | undefined>();
    for (const cluster of clusters) {
      if (request.podId !== undefined && cluster.podId !== request.podId) continue;
      if (request.clusterId !== undefined && cluster.id !== request.clusterId) continue;
      if (d.avoidPods.has(cluster.podId) || d.avoidClusters.has(cluster.id)) {
        log.add({ kind: 'avoided', detail: `cluster ${cluster.name} (or its pod) is in the avoid set` });
        continue;
      }
      if (request.hypervisorType !== undefined && cluster.hypervisorType !== request.hypervisorType) {
        log.add({ kind: 'hypervisor', detail: `cluster ${cluster.name} runs ${cluster.hypervisorType}, the template needs ${request.hypervisorType}` });
        continue;
      }
      const candidates = this.hintedHosts(cluster, d, log);
      if (candidates.length === 0) continue;
      // Allocation states are read in this transaction, never taken from the index.
      let pod = podStates.get(cluster.podId);
      if (!podStates.has(cluster.podId)) podStates.set(cluster.podId, (pod = await tx.repo('pods').get(cluster.podId)));
      if (pod === undefined || pod.allocationState !== 'Enabled') {
        log.add({ kind: 'allocationState', detail: `pod ${pod?.name ?? cluster.podId} is Disabled` });
        continue;
      }
      const clusterRow = await tx.repo('clusters').get(cluster.id);
      if (clusterRow === undefined || clusterRow.allocationState !== 'Enabled') {
        log.add({ kind: 'allocationState', detail: `cluster ${cluster.name} is Disabled` });
        continue;
      }
      const ordered = await this.ordered(tx, d, candidates);
      for (const entry of ordered) {
        const placement = await this.tryHost(tx, d, cluster, clusterRow, entry, log);
        if (placement !== undefined) return placement;
      }
    }
    return undefined;
  }

  /** The cluster's hosts that pass the rules and have room by the index's hint. */
  private hintedHosts(cluster: IndexedCluster, d: Decision, log: RejectionLog): IndexedHost[] {
    const out: IndexedHost[] = [];
    const cpuNeed = d.amounts.cpuMhz;
    const memNeed = d.amounts.memoryBytes;
    for (const host of cluster.hosts) {
      if (d.avoidHosts.has(host.id)) {
        log.add({ kind: 'avoided', detail: `host ${host.name} is in the avoid set` });
        continue;
      }
      const rejection = hostRejection(host, d.hostNeeds);
      if (rejection !== undefined) {
        log.add(rejection);
        continue;
      }
      const cpuMax = hostCpuLimit(host, cluster.cpuFactorHint);
      if (host.cpuUsedHint + cpuNeed > cpuMax) {
        log.add({ kind: 'cpu', detail: `host ${host.name} has ${cpuMax - host.cpuUsedHint} MHz free, the VM needs ${cpuNeed} MHz` });
        continue;
      }
      const memMax = hostMemoryLimit(host, cluster.memoryFactorHint);
      if (host.memoryUsedHint + memNeed > memMax) {
        log.add({ kind: 'memory', detail: `host ${host.name} has ${Math.floor((memMax - host.memoryUsedHint) / 1048576)} MB free, the VM needs ${d.request.memoryMb} MB` });
        continue;
      }
      out.push(host);
    }
    return out;
  }

  /** Hosts in the strategy's order; for an HA restart, `ha.tag` hosts first (they are kept for it). */
  private async ordered(tx: Transaction, d: Decision, hosts: IndexedHost[]): Promise<IndexedHost[]> {
    const ordered = await this.hostAllocators.for(d.algorithm).order(tx, hosts, d.request);
    if (!d.hostNeeds.haRestart || d.hostNeeds.haTag === undefined) return ordered;
    const haTag = d.hostNeeds.haTag;
    return [...ordered.filter((h) => isHaHost(h, haTag)), ...ordered.filter((h) => !isHaHost(h, haTag))];
  }

  /** Re-checks one candidate on rows read in `tx` and claims on it; undefined when it refuses. */
  private async tryHost(tx: Transaction, d: Decision, cluster: IndexedCluster, clusterRow: Cluster, entry: IndexedHost, log: RejectionLog): Promise<Placement | undefined> {
    const host = await tx.repo('hosts').get(entry.id);
    if (host === undefined || host.clusterId !== clusterRow.id) {
      this.index.invalidate(d.zone.id);
      return undefined;
    }
    this.index.noteHostRow(host);
    const rejection = hostRejection(host, d.hostNeeds);
    if (rejection !== undefined) {
      log.add(rejection);
      return undefined;
    }
    const pools = this.poolAllocator.candidates(cluster, entry, { needs: this.poolNeeds(d, clusterRow), diskBytes: d.amounts.diskBytes, avoid: d.avoidPools, algorithm: d.algorithm }, log);
    if (pools.length === 0) {
      // The allocator logged why each pool was refused; an empty cluster is worth naming too.
      if (cluster.pools.length === 0) log.add({ kind: 'noPool', detail: `cluster ${cluster.name} has no primary storage` });
      return undefined;
    }
    for (const candidate of pools) {
      const pool = await tx.repo('storagePools').get(candidate.id);
      if (pool === undefined) continue;
      const poolProblem = poolRejection(pool, host, this.poolNeeds(d, clusterRow));
      if (poolProblem !== undefined) {
        log.add(poolProblem);
        continue;
      }
      const subject: ClaimSubject = {
        host,
        pool,
        accountId: d.request.accountId,
        factors: await this.reservations.factors(tx, clusterRow.id, pool.id),
      };
      const outcome: ClaimOutcome = d.claim ? await this.reservations.claim(tx, subject, d.amounts) : await this.reservations.fits(tx, subject, d.amounts);
      if (outcome.ok) return this.placed(tx, d, host, pool.id);
      log.add(outcome.rejection);
      if (outcome.rejection.kind !== 'storage') {
        // The host itself is short (someone else claimed first): refresh its hint and move on.
        await this.refreshHint(tx, host.id);
        return undefined;
      }
      this.index.notePoolUsage(pool.id, { allocated: await tx.counters.get(CapacityKeys.poolAllocatedBytes(pool.id)) });
    }
    return undefined;
  }

  private async onRequestedHost(tx: Transaction, d: Decision, hostId: string): Promise<Placement> {
    const host = await tx.repo('hosts').get(hostId);
    if (host === undefined || host.zoneId !== d.zone.id) throw notFound('host', 'hostid', hostId);
    const log = new RejectionLog();
    const pod = await tx.repo('pods').get(host.podId);
    const clusterRow = await tx.repo('clusters').get(host.clusterId);
    if (pod?.allocationState !== 'Enabled' || clusterRow?.allocationState !== 'Enabled' || clusterRow === undefined) {
      throw insufficientCapacity('capacity', `host ${host.name} is in a Disabled pod or cluster`, { hostId });
    }
    const { index } = await this.index.zone(tx, d.zone.id, true);
    const cluster = index.clusters.find((c) => c.id === host.clusterId);
    const entry = cluster?.hosts.find((h) => h.id === host.id);
    if (cluster !== undefined && entry !== undefined) {
      const placement = await this.tryHost(tx, d, cluster, clusterRow, entry, log);
      if (placement !== undefined) return placement;
    }
    throw log.toError(`requested host ${host.name} cannot take the VM`, d.request.hostTag);
  }

  private poolNeeds(d: Decision, cluster: Cluster): PoolNeeds {
    return { storageTags: d.request.storageTags, local: d.local, hypervisorType: cluster.hypervisorType };
  }

  private async refreshHint(tx: Transaction, hostId: string): Promise<void> {
    this.index.noteUsage(hostId, {
      cpuUsed: await tx.counters.get(CapacityKeys.hostCpuMhz(hostId)),
      memoryUsed: await tx.counters.get(CapacityKeys.hostMemoryBytes(hostId)),
    });
  }

  private placed(tx: Transaction, d: Decision, host: Host, poolId: string): Placement {
    const placement: Placement = {
      zoneId: host.zoneId,
      podId: host.podId,
      clusterId: host.clusterId,
      hostId: host.id,
      poolId,
      ...(d.request.accountId === undefined ? {} : { accountId: d.request.accountId }),
      amounts: d.amounts,
    };
    if (d.claim) {
      tx.afterCommit(() => {
        this.index.noteUsage(host.id, { cpuMhz: d.amounts.cpuMhz, memoryBytes: d.amounts.memoryBytes });
        this.index.notePoolUsage(poolId, { bytes: d.amounts.diskBytes });
      });
    }
    return placement;
  }
}
