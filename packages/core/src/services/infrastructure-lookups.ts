import { Role, type CallContext } from '../context/call-context.js';
import type { Transaction } from '../contracts/store.js';
import { notFound, permissionDenied } from '../errors.js';
import type { Cluster } from '../model/cluster.js';
import type { Host } from '../model/host.js';
import type { PhysicalNetwork } from '../model/physical-network.js';
import type { Pod } from '../model/pod.js';
import type { Zone } from '../model/zone.js';

/** The zone with this id, or 431 naming `param`. */
export async function zoneOrFail(tx: Transaction, id: string, param = 'zoneid'): Promise<Zone> {
  const zone = await tx.repo('zones').get(id);
  if (zone === undefined) throw notFound('zone', param, id);
  return zone;
}

/** The pod with this id, or 431 naming `param`. */
export async function podOrFail(tx: Transaction, id: string, param = 'podid'): Promise<Pod> {
  const pod = await tx.repo('pods').get(id);
  if (pod === undefined) throw notFound('pod', param, id);
  return pod;
}

/** The cluster with this id, or 431 naming `param`. */
export async function clusterOrFail(tx: Transaction, id: string, param = 'clusterid'): Promise<Cluster> {
  const cluster = await tx.repo('clusters').get(id);
  if (cluster === undefined) throw notFound('cluster', param, id);
  return cluster;
}

/** The host with this id, or 431 naming `param`. */
export async function hostOrFail(tx: Transaction, id: string, param = 'id'): Promise<Host> {
  const host = await tx.repo('hosts').get(id);
  if (host === undefined) throw notFound('host', param, id);
  return host;
}

/** The physical network with this id, or 431 naming `param`. */
export async function physicalNetworkOrFail(tx: Transaction, id: string, param = 'physicalnetworkid'): Promise<PhysicalNetwork> {
  const network = await tx.repo('physicalNetworks').get(id);
  if (network === undefined) throw notFound('physical network', param, id);
  return network;
}

/** Splits a comma-separated tag list (or takes an array), trimming and dropping empties and duplicates. */
export function tagList(tags: string | readonly string[] | undefined): string[] {
  if (tags === undefined) return [];
  const parts = typeof tags === 'string' ? tags.split(',') : tags;
  return Array.from(new Set(parts.map((t) => t.trim()).filter((t) => t !== '')));
}

/**
 * Refuses (531) anyone but a root admin or a resource-domain admin: the roles that may list
 * pods, clusters, hosts and capacity (command permission bits 3 in CloudStack 4.1).
 */
export function requireInfrastructureReader(caller: CallContext, action: string): void {
  if (caller.role !== Role.RootAdmin && caller.role !== Role.ResourceDomainAdmin) {
    throw permissionDenied(`Only a root or resource-domain admin may ${action}`);
  }
}
