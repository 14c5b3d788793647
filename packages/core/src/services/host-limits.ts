import type { HypervisorType } from '../contracts/hypervisor.js';

/**
 * The most hosts a cluster of each hypervisor may hold, from the install guide (§6.5.2,
 * §6.6.1.1): 8 for XenServer and vSphere, 16 for KVM. The simulator has no limit, so
 * benchmarks can load a cluster with as many hosts as they like.
 */
export const MAX_HOSTS_PER_CLUSTER: Readonly<Record<HypervisorType, number | undefined>> = {
  XenServer: 8,
  VMware: 8,
  KVM: 16,
  Simulator: undefined,
};
