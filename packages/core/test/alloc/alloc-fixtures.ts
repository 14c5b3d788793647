import { expect } from 'vitest';
import {
  CapacityKeys,
  CloudError,
  DeploymentPlanner,
  Role,
  SYSTEM,
  type CloudServices,
  type DeploymentRequestInput,
  type HypervisorType,
  type Placement,
} from '../../src/index.js';
import { advancedZone, refusal, simulatedCloud } from '../infrastructure/fixtures.js';

/** GiB in bytes. */
export const GIB = 1024 ** 3;

/** A simulated cloud with an enabled advanced zone, ready for clusters. */
export async function allocationCloud(n = 1) {
  const { cloud, sim, admin } = await simulatedCloud();
  const made = await advancedZone(admin, n);
  const zone = await admin.zones.update({ id: made.zone.id, allocationState: 'Enabled' });
  const planner = cloud.container.resolve(DeploymentPlanner);
  return { cloud, sim, admin, planner, ...made, zone };
}

/** What {@link addCluster} builds. */
export interface ClusterSpec {
  readonly name: string;
  readonly hosts: number;
  readonly hypervisor?: HypervisorType;
  /** Cores per host (one socket). */
  readonly cores?: number;
  readonly cpuSpeedMhz?: number;
  readonly memoryBytes?: number;
  /** Host tags, per host index. */
  readonly hostTags?: (index: number) => string[];
  /** Size of the cluster's shared NFS pool; no pool when 0. */
  readonly poolBytes?: number;
  /** Tags of the shared pool. */
  readonly poolTags?: string[];
}

type AllocationCloud = Awaited<ReturnType<typeof allocationCloud>>;

/** A cluster of simulated hosts with declared resources and one NFS pool. */
export async function addCluster(t: Pick<AllocationCloud, 'admin' | 'sim' | 'zone' | 'pod'>, spec: ClusterSpec) {
  const hypervisor = spec.hypervisor ?? 'Simulator';
  const cluster = await t.admin.clusters.add({ zoneId: t.zone.id, podId: t.pod.id, clusterName: spec.name, hypervisor });
  const hosts = [];
  for (let i = 0; i < spec.hosts; i += 1) {
    const name = `${spec.name}-h${i}`;
    t.sim.lab.defineHost(name, {
      cpuSockets: 1,
      cpuCores: spec.cores ?? 4,
      cpuSpeedMhz: spec.cpuSpeedMhz ?? 2000,
      memoryBytes: spec.memoryBytes ?? 8 * GIB,
    });
    const tags = spec.hostTags?.(i) ?? [];
    hosts.push(await t.admin.hosts.add({ clusterId: cluster.id, url: `http://sim/${name}`, username: 'root', password: 'password', ...(tags.length === 0 ? {} : { hostTags: tags }) }));
  }
  const poolBytes = spec.poolBytes ?? 100 * GIB;
  let pool;
  if (poolBytes > 0) {
    const path = `/export/${spec.name}`;
    t.sim.lab.sizePool(`nfs://10.0.0.5${path}`, { capacityBytes: poolBytes, usedBytes: 0 });
    pool = await t.admin.primaryStorage.create({ zoneId: t.zone.id, podId: t.pod.id, clusterId: cluster.id, name: `${spec.name}-nfs`, protocol: 'NFS', server: '10.0.0.5', path, tags: spec.poolTags ?? [] });
  }
  return { cluster, hosts, pool };
}

/** A small VM: 1 × 500 MHz, 512 MB, 1 GiB root disk. */
export function smallVm(zoneId: string, extra: Partial<DeploymentRequestInput> = {}): DeploymentRequestInput {
  return { zoneId, cpuNumber: 1, cpuSpeed: 500, memoryMb: 512, diskBytes: GIB, ...extra };
}

/** Plans and reserves in one transaction of the cloud's store. */
export function deploy(t: Pick<AllocationCloud, 'cloud' | 'planner'>, request: DeploymentRequestInput): Promise<Placement> {
  return t.cloud.store.transaction((tx) => t.planner.planAndReserve(tx, request));
}

/** The 533 a deployment is refused with. */
export async function capacityRefusal(promise: Promise<unknown>): Promise<CloudError> {
  const error = await refusal(promise);
  expect(error.code).toBe(533);
  return error;
}

/** A counter's value. */
export function counter(t: Pick<AllocationCloud, 'cloud'>, key: string): Promise<number> {
  return t.cloud.store.transaction((tx) => tx.counters.get(key));
}

/** CPU MHz and memory bytes allocated on a host. */
export async function hostUsage(t: Pick<AllocationCloud, 'cloud'>, hostId: string): Promise<{ cpu: number; memory: number; vms: number }> {
  return {
    cpu: await counter(t, CapacityKeys.hostCpuMhz(hostId)),
    memory: await counter(t, CapacityKeys.hostMemoryBytes(hostId)),
    vms: await counter(t, CapacityKeys.hostVms(hostId)),
  };
}

/** A plain user account of the ROOT domain, for limits and dispersing. */
export async function userAccount(admin: CloudServices, name: string) {
  return admin.accounts.create({ role: Role.User, username: name, password: `${name}-pw-1`, firstName: name, lastName: 'Tester', email: `${name}@example.com`, domainId: SYSTEM.domainId });
}

/** Sets a configuration value (global, or at a narrower scope). */
export async function configure(admin: CloudServices, name: string, value: string | number | boolean, scope?: { scope: 'zone' | 'cluster' | 'storagepool' | 'account'; scopeId: string }) {
  await admin.config.update({ name, value, ...(scope ?? {}) });
}
