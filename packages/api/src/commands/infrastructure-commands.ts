import { listCapacity, listHypervisors } from './capacity-commands.js';
import { addCluster, deleteCluster, listClusters, updateCluster } from './cluster-commands.js';
import type { CommandDeclaration } from './command.js';
import { addHost, cancelHostMaintenance, deleteHost, listHosts, prepareHostForMaintenance, reconnectHost, updateHost } from './host-commands.js';
import { createStorageNetworkIpRange, createVlanIpRange, deleteStorageNetworkIpRange, deleteVlanIpRange, listStorageNetworkIpRange, listVlanIpRanges } from './ip-range-commands.js';
import { createPhysicalNetwork, deletePhysicalNetwork, listPhysicalNetworks, updatePhysicalNetwork } from './physical-network-commands.js';
import { createPod, deletePod, listPods, updatePod } from './pod-commands.js';
import { addRegion, listRegions, removeRegion, updateRegion } from './region-commands.js';
import { addSecondaryStorage, addSwift, listSwifts } from './secondary-storage-commands.js';
import { cancelStorageMaintenance, createStoragePool, deleteStoragePool, enableStorageMaintenance, listStoragePools, updateStoragePool } from './storage-commands.js';
import {
  addNetworkServiceProvider,
  addTrafficType,
  deleteNetworkServiceProvider,
  deleteTrafficType,
  listNetworkServiceProviders,
  listTrafficTypes,
  updateNetworkServiceProvider,
  updateTrafficType,
} from './traffic-type-commands.js';
import { createZone, deleteZone, listZones, updateZone } from './zone-commands.js';

/** The infrastructure commands: regions, zones, physical networks, pods, IP ranges, clusters, hosts, storage, capacity. */
export const INFRASTRUCTURE_COMMANDS: readonly CommandDeclaration[] = [
  listRegions, addRegion, updateRegion, removeRegion,
  listZones, createZone, updateZone, deleteZone,
  createPhysicalNetwork, updatePhysicalNetwork, deletePhysicalNetwork, listPhysicalNetworks,
  addTrafficType, updateTrafficType, deleteTrafficType, listTrafficTypes,
  addNetworkServiceProvider, updateNetworkServiceProvider, deleteNetworkServiceProvider, listNetworkServiceProviders,
  createPod, updatePod, deletePod, listPods,
  createVlanIpRange, deleteVlanIpRange, listVlanIpRanges,
  createStorageNetworkIpRange, deleteStorageNetworkIpRange, listStorageNetworkIpRange,
  addCluster, updateCluster, deleteCluster, listClusters,
  addHost, updateHost, deleteHost, listHosts, reconnectHost, prepareHostForMaintenance, cancelHostMaintenance,
  createStoragePool, updateStoragePool, deleteStoragePool, listStoragePools, enableStorageMaintenance, cancelStorageMaintenance,
  addSecondaryStorage, addSwift, listSwifts,
  listCapacity, listHypervisors,
];
