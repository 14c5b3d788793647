/** The hypervisor types CloudStack 4.1 manages, plus the in-memory simulator. */
export const HYPERVISOR_TYPES = ['KVM', 'XenServer', 'VMware', 'Simulator'] as const;

/** One of {@link HYPERVISOR_TYPES}. */
export type HypervisorType = (typeof HYPERVISOR_TYPES)[number];

/**
 * A hypervisor driver, keyed by the type it manages. Core calls only what a driver declares in
 * `capabilities`; the VM, volume and network operations are added to this contract by the
 * issues that use them.
 */
export interface HypervisorDriver {
  /** The hypervisor type this driver manages. */
  readonly hypervisorType: HypervisorType;
  /** What the driver can do beyond connecting hosts. */
  readonly capabilities: ReadonlySet<string>;
}
