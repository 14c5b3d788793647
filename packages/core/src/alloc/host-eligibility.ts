import type { HypervisorType } from '../contracts/hypervisor.js';
import type { Rejection } from './rejection.js';

/** The facts of a host the eligibility rules look at (a row, or the index's copy of one). */
export interface HostFacts {
  readonly id: string;
  readonly name: string;
  readonly state: string;
  readonly resourceState: string;
  readonly hypervisorType: HypervisorType;
  readonly hostTags: readonly string[];
  readonly cpuNumber: number;
  readonly cpuSpeed: number;
  readonly memoryTotal: number;
}

/** What the VM needs of a host, and the deployment's HA situation. */
export interface HostNeeds {
  readonly hypervisorType: HypervisorType | undefined;
  readonly cpuNumber: number;
  readonly cpuSpeed: number;
  readonly hostTag: string | undefined;
  /** `ha.tag`, when configured. */
  readonly haTag: string | undefined;
  /** True when this is the HA restart of an HA-enabled VM: `ha.tag` hosts may take it. */
  readonly haRestart: boolean;
}

/**
 * Why a host cannot take a VM regardless of what is allocated on it, or undefined when it can:
 * it must be Up and Enabled, of the template's hypervisor, carry the offering's host tag, have
 * cores at least as many and as fast as the offering's, and — when `ha.tag` is set — hosts
 * carrying that tag take only HA-enabled VMs being restarted (guide: "ha.tag").
 */
export function hostRejection(host: HostFacts, needs: HostNeeds): Rejection | undefined {
  if (host.state !== 'Up' || host.resourceState !== 'Enabled') {
    return { kind: 'hostState', detail: `host ${host.name} is ${host.state}/${host.resourceState}` };
  }
  if (needs.hypervisorType !== undefined && host.hypervisorType !== needs.hypervisorType) {
    return { kind: 'hypervisor', detail: `host ${host.name} runs ${host.hypervisorType}, the template needs ${needs.hypervisorType}` };
  }
  const isHaHost = needs.haTag !== undefined && host.hostTags.includes(needs.haTag);
  if (isHaHost && !needs.haRestart) {
    return { kind: 'haTag', detail: `host ${host.name} carries ha.tag ${needs.haTag} and only takes HA-enabled VMs being restarted` };
  }
  if (needs.hostTag !== undefined && !host.hostTags.includes(needs.hostTag)) {
    return { kind: 'hostTag', detail: `host ${host.name} has no tag ${needs.hostTag}` };
  }
  if (host.cpuNumber < needs.cpuNumber || host.cpuSpeed < needs.cpuSpeed) {
    return {
      kind: 'cpuCapability',
      detail: `host ${host.name} has ${host.cpuNumber} cores of ${host.cpuSpeed} MHz, the VM needs ${needs.cpuNumber} of ${needs.cpuSpeed} MHz`,
    };
  }
  return undefined;
}

/** True when the host carries `ha.tag` (so HA restarts prefer it). */
export function isHaHost(host: Pick<HostFacts, 'hostTags'>, haTag: string | undefined): boolean {
  return haTag !== undefined && host.hostTags.includes(haTag);
}

/** The most CPU MHz that may be allocated on a host: cores × speed × the cluster's factor. */
export function hostCpuLimit(host: Pick<HostFacts, 'cpuNumber' | 'cpuSpeed'>, cpuFactor: number): number {
  return Math.floor(host.cpuNumber * host.cpuSpeed * cpuFactor);
}

/** The most memory bytes that may be allocated on a host: total × the cluster's factor. */
export function hostMemoryLimit(host: Pick<HostFacts, 'memoryTotal'>, memFactor: number): number {
  return Math.floor(host.memoryTotal * memFactor);
}
