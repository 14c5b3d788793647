import { z } from 'zod';
import { HYPERVISOR_TYPES } from '../contracts/hypervisor.js';
import type { Transitions } from './state-machine.js';
import { VmReservationSchema } from './vm.js';

/** States of a virtual router (a system VM of type `DomainRouter`). */
export const RouterState = z.enum(['Starting', 'Running', 'Stopping', 'Stopped', 'Error']);
/** One of the router states. */
export type RouterState = z.infer<typeof RouterState>;

/** Allowed moves between router states. */
export const ROUTER_TRANSITIONS: Transitions<RouterState> = {
  Stopped: ['Starting', 'Error'],
  Starting: ['Running', 'Stopped', 'Error'],
  Running: ['Stopping', 'Stopped', 'Error'],
  Stopping: ['Stopped', 'Running', 'Error'],
  Error: ['Starting', 'Stopped'],
};

/**
 * A virtual router (CloudStack's `domain_router`): the system VM that gives one guest network its
 * DHCP, DNS, user data, source NAT, static NAT, port forwarding, firewall, egress and load
 * balancing. Its guest NIC holds the network's gateway address, its public NIC the source NAT IP,
 * its control NIC a link-local address.
 */
export const RouterSchema = z.object({
  id: z.string(),
  version: z.number().int().positive(),
  /** `r-<n>-VM`, also its name on the hypervisor. */
  name: z.string(),
  zoneId: z.string(),
  networkId: z.string(),
  accountId: z.string(),
  domainId: z.string(),
  serviceOfferingId: z.string(),
  hypervisorType: z.enum(HYPERVISOR_TYPES),
  podId: z.string().optional(),
  clusterId: z.string().optional(),
  hostId: z.string().optional(),
  /** The host it last ran on. */
  lastHostId: z.string().optional(),
  /** For a basic zone's network: the pod whose guests this router serves (it runs in that pod). */
  servedPodId: z.string().optional(),
  /** The claim pool its guest address came from, when it was claimed (a basic zone's pod range). */
  guestIpPool: z.string().optional(),
  guestIp: z.string(),
  /** A pod router's guest netmask, gateway and VLAN (its pod range's); a network router uses the network's. */
  guestNetmask: z.string().optional(),
  guestGateway: z.string().optional(),
  guestVlan: z.string().optional(),
  guestMac: z.string(),
  publicIp: z.string().optional(),
  publicMac: z.string().optional(),
  /** The public NIC's VLAN, gateway and netmask. */
  publicVlan: z.string().optional(),
  publicGateway: z.string().optional(),
  publicNetmask: z.string().optional(),
  linkLocalIp: z.string(),
  state: RouterState,
  /** Host capacity held while Starting/Running/Stopping. */
  reservation: VmReservationSchema.optional(),
  /** The configuration generation last applied (bumped by every successful apply). */
  configGeneration: z.number().int().min(0),
  createdAt: z.string(),
  updatedAt: z.string(),
});

/** A virtual router as stored. */
export type Router = z.infer<typeof RouterSchema>;
