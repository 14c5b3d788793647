import { z } from 'zod';
import { parseIpv4 } from '../net/ipv4.js';

/** Input of `addNicToVirtualMachine`. */
export const AddNicInput = z.object({
  virtualMachineId: z.string().min(1),
  networkId: z.string().min(1),
  /** The NIC's address in the network, instead of the next free one. */
  ipAddress: z.string().refine((a) => parseIpv4(a) !== undefined, 'must be an IPv4 address').optional(),
});
/** Input of `addNicToVirtualMachine`. */
export type AddNicInput = z.input<typeof AddNicInput>;

/** Input of `removeNicFromVirtualMachine` and `updateDefaultNicForVirtualMachine`. */
export const VmNicInput = z.object({ virtualMachineId: z.string().min(1), nicId: z.string().min(1) });
/** Input of `removeNicFromVirtualMachine` and `updateDefaultNicForVirtualMachine`. */
export type VmNicInput = z.input<typeof VmNicInput>;
