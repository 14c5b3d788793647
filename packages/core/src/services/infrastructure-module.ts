import type { AreaModule } from './area-module.js';
import { bindCaller, type BoundService } from './bind-caller.js';
import { CapacityService } from './capacity.js';
import { ClusterService } from './clusters.js';
import { HostService } from './hosts.js';
import { IpRangeService } from './ip-ranges.js';
import { PhysicalNetworkService } from './physical-networks.js';
import { PodService } from './pods.js';
import { PrimaryStorageService } from './primary-storage.js';
import { RegionService } from './regions.js';
import { SecondaryStorageService } from './secondary-storage.js';
import { ZoneService } from './zones.js';

/** The caller-bound services of the infrastructure area. */
export interface InfrastructureServices {
  /** Regions (the default region 1 always exists). */
  readonly regions: BoundService<RegionService>;
  /** Zones. */
  readonly zones: BoundService<ZoneService>;
  /** Physical networks, their traffic types and service providers. */
  readonly physicalNetworks: BoundService<PhysicalNetworkService>;
  /** Pods. */
  readonly pods: BoundService<PodService>;
  /** Public, direct-guest and storage IP ranges. */
  readonly ipRanges: BoundService<IpRangeService>;
  /** Clusters. */
  readonly clusters: BoundService<ClusterService>;
  /** Hypervisor hosts. */
  readonly hosts: BoundService<HostService>;
  /** Primary storage pools. */
  readonly primaryStorage: BoundService<PrimaryStorageService>;
  /** Secondary storage (NFS per zone, Swift). */
  readonly secondaryStorage: BoundService<SecondaryStorageService>;
  /** Capacity per zone, pod and cluster. */
  readonly capacity: BoundService<CapacityService>;
}

/** Regions, zones, physical networks, pods, IP ranges, clusters, hosts and storage. */
export const infrastructureModule: AreaModule<InfrastructureServices> = {
  name: 'infrastructure',
  services: [
    RegionService,
    ZoneService,
    PhysicalNetworkService,
    PodService,
    IpRangeService,
    ClusterService,
    HostService,
    PrimaryStorageService,
    SecondaryStorageService,
    CapacityService,
  ],
  async start(container) {
    await container.resolve(RegionService).ensureDefault();
  },
  facade: (container, caller) => ({
    regions: bindCaller(container.resolve(RegionService), caller),
    zones: bindCaller(container.resolve(ZoneService), caller),
    physicalNetworks: bindCaller(container.resolve(PhysicalNetworkService), caller),
    pods: bindCaller(container.resolve(PodService), caller),
    ipRanges: bindCaller(container.resolve(IpRangeService), caller),
    clusters: bindCaller(container.resolve(ClusterService), caller),
    hosts: bindCaller(container.resolve(HostService), caller),
    primaryStorage: bindCaller(container.resolve(PrimaryStorageService), caller),
    secondaryStorage: bindCaller(container.resolve(SecondaryStorageService), caller),
    capacity: bindCaller(container.resolve(CapacityService), caller),
  }),
};
