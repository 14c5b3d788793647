import type { AggregateSpec } from './aggregates.js';
import type { Cluster } from './cluster.js';
import type { Host } from './host.js';
import type { ImageStore } from './image-store.js';
import type { NetworkServiceProvider } from './network-service-provider.js';
import type { PhysicalNetworkTrafficType } from './physical-network-traffic-type.js';
import type { PhysicalNetwork } from './physical-network.js';
import type { Pod } from './pod.js';
import type { Region } from './region.js';
import type { StoragePool } from './storage-pool.js';
import type { VlanIpRange } from './vlan-ip-range.js';
import type { Zone } from './zone.js';

/**
 * The aggregates of the infrastructure area (regions, zones, physical networks, pods, IP
 * ranges, clusters, hosts, storage). Merged into the store's aggregate list by `aggregates.ts`.
 */
export interface InfrastructureAggregates {
  /** Regions. */
  regions: Region;
  /** Zones. */
  zones: Zone;
  /** Physical networks of zones. */
  physicalNetworks: PhysicalNetwork;
  /** Traffic types carried by physical networks, with hypervisor labels. */
  physicalNetworkTrafficTypes: PhysicalNetworkTrafficType;
  /** Network service providers on physical networks. */
  networkServiceProviders: NetworkServiceProvider;
  /** Pods. */
  pods: Pod;
  /** Public, direct-guest and storage IP ranges. */
  vlanIpRanges: VlanIpRange;
  /** Clusters. */
  clusters: Cluster;
  /** Hypervisor hosts. */
  hosts: Host;
  /** Primary storage pools. */
  storagePools: StoragePool;
  /** Secondary storage (NFS per zone, Swift cloud-wide). */
  imageStores: ImageStore;
}

/** Index and uniqueness facts of the infrastructure area's aggregates. */
export const INFRASTRUCTURE_AGGREGATE_SPECS: {
  readonly [K in keyof InfrastructureAggregates]: AggregateSpec<InfrastructureAggregates[K]>;
} = {
  regions: { unique: [['name']] },
  zones: { unique: [['name']], indexed: ['domainId'] },
  physicalNetworks: { unique: [['zoneId', 'name']], indexed: ['zoneId'] },
  physicalNetworkTrafficTypes: { unique: [['physicalNetworkId', 'trafficType']], indexed: ['physicalNetworkId', 'zoneId'] },
  networkServiceProviders: { unique: [['physicalNetworkId', 'name']], indexed: ['physicalNetworkId'] },
  pods: { unique: [['zoneId', 'name']], indexed: ['zoneId'] },
  vlanIpRanges: { indexed: ['zoneId', 'podId', 'purpose'] },
  clusters: { unique: [['podId', 'name']], indexed: ['zoneId', 'podId'] },
  hosts: { unique: [['url'], ['guid']], indexed: ['clusterId', 'podId', 'zoneId', 'state'] },
  storagePools: { unique: [['clusterId', 'name'], ['clusterId', 'url']], indexed: ['clusterId', 'zoneId', 'podId'] },
  imageStores: { unique: [['url']], indexed: ['zoneId', 'protocol'] },
};
