import { z } from 'zod';
import { HYPERVISOR_TYPES } from '../contracts/hypervisor.js';
import { USER_DATA_MAX_BYTES, VmState } from '../model/vm.js';
import { PagingInput } from './paging.js';
import { VisibilityInput } from './visibility.js';

/** A VM name: a hostname label (letters, digits, hyphens; starts with a letter; ≤ 63). */
const VmName = z.string().regex(/^[A-Za-z][A-Za-z0-9-]{0,62}$/, 'must be a hostname: letters, digits and hyphens, starting with a letter, at most 63 characters').refine((n) => !n.endsWith('-'), 'must not end with a hyphen');

/** Base64 user data of at most 32 KB once decoded. */
const UserData = z
  .string()
  .regex(/^[A-Za-z0-9+/\r\n]*={0,2}$/, 'must be base64')
  .refine((d) => Buffer.from(d, 'base64').byteLength <= USER_DATA_MAX_BYTES, `must be at most ${USER_DATA_MAX_BYTES} bytes once decoded`);

/** Input of `vms.deploy` (`deployVirtualMachine`). */
export const DeployVmInput = z.object({
  zoneId: z.string().min(1),
  serviceOfferingId: z.string().min(1),
  /** A template, or a bootable ISO (then `diskOfferingId` sizes the blank ROOT disk and the VM boots from the ISO). */
  templateId: z.string().min(1),
  /**
   * For an ISO deployment: the hypervisor to run on (a zone's cluster must run it); any the
   * zone has when absent. For a template it must be the template's hypervisor.
   */
  hypervisor: z.enum(HYPERVISOR_TYPES).optional(),
  /** Hostname; `VM-<id>` when absent. */
  name: VmName.optional(),
  /** Display name; the name when absent. */
  displayName: z.string().min(1).max(255).optional(),
  group: z.string().min(1).max(255).optional(),
  /** The SSH key pair (of the owner) whose public key the guest gets. */
  keyPair: z.string().min(1).optional(),
  /** Base64 user data, at most 32 KB decoded. */
  userData: UserData.optional(),
  /** Admins: exactly this host. */
  hostId: z.string().min(1).optional(),
  /**
   * A disk offering for a data disk created with the VM (`diskofferingid`), attached once the VM
   * runs; for an ISO deployment it is required and sizes the ROOT disk instead.
   */
  diskOfferingId: z.string().min(1).optional(),
  /** The data (or, from an ISO, ROOT) disk's size in GB, for a custom disk offering (`size`). */
  size: z.number().int().positive().optional(),
  /** Start the VM (true by default) or only create it, Stopped. */
  startVm: z.boolean().default(true),
  /** Admins: deploy for this account (by name, in `domainId` or the caller's domain). */
  account: z.string().min(1).optional(),
  domainId: z.string().min(1).optional(),
  /**
   * Advanced zones: the guest networks the VM gets a NIC on, the first being its default. When
   * absent the owner's isolated network in the zone is used, or one is created from the
   * `Required` offering for its first VM there.
   */
  networkIds: z.array(z.string().min(1)).min(1).optional(),
  /**
   * Zones with security groups: the owner's groups the VM joins, by id or by name (not both);
   * its `default` group when neither is given. Refused in a zone without security groups.
   */
  securityGroupIds: z.array(z.string().min(1)).min(1).optional(),
  securityGroupNames: z.array(z.string().min(1)).min(1).optional(),
  /** The default NIC's guest address (free in its network), instead of the next free one. */
  ipAddress: z.string().refine((a) => /^\d{1,3}(\.\d{1,3}){3}$/.test(a), 'must be an IPv4 address').optional(),
});
/** Input of `vms.deploy`. */
export type DeployVmInput = z.input<typeof DeployVmInput>;

/** A VM by id. */
export const VmIdInput = z.object({ id: z.string().min(1) });
/** A VM by id. */
export type VmIdInput = z.input<typeof VmIdInput>;

/** Input of `vms.start`: admins may name the host. */
export const StartVmInput = VmIdInput.extend({ hostId: z.string().min(1).optional() });
/** Input of `vms.start`. */
export type StartVmInput = z.input<typeof StartVmInput>;

/** Input of `vms.stop`: `forced` pulls the plug instead of a clean shutdown. */
export const StopVmInput = VmIdInput.extend({ forced: z.boolean().default(false) });
/** Input of `vms.stop`. */
export type StopVmInput = z.input<typeof StopVmInput>;

/** Input of `vms.update`: display name, group, HA flag. */
export const UpdateVmInput = VmIdInput.extend({
  displayName: z.string().min(1).max(255).optional(),
  group: z.string().max(255).optional(),
  haEnable: z.boolean().optional(),
});
/** Input of `vms.update`. */
export type UpdateVmInput = z.input<typeof UpdateVmInput>;

/** Filters of `vms.list` (`listVirtualMachines`). */
export const ListVmsInput = VisibilityInput.extend(PagingInput.shape).extend({
  id: z.string().min(1).optional(),
  name: z.string().min(1).optional(),
  state: VmState.optional(),
  zoneId: z.string().min(1).optional(),
  /** Admins only. */
  hostId: z.string().min(1).optional(),
  groupName: z.string().min(1).optional(),
  keyword: z.string().min(1).optional(),
});
/** Filters of `vms.list`. */
export type ListVmsInput = z.input<typeof ListVmsInput>;

/** Input of `vms.attachIso` (`attachIso`): the VM and the ISO to attach as its CD-ROM. */
export const AttachIsoInput = VmIdInput.extend({ isoId: z.string().min(1) });
/** Input of `vms.attachIso`. */
export type AttachIsoInput = z.input<typeof AttachIsoInput>;
