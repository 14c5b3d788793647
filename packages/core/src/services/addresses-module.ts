import type { AreaModule } from './area-module.js';

/** The caller-bound services of public IP addresses, static NAT, firewall and egress rules. */
export interface AddressServices {}

/**
 * Public IP addresses (acquire and release), static NAT, and ingress firewall and egress rules
 * of guest networks, applied through the network rule engine.
 */
export const addressesModule: AreaModule<AddressServices> = {
  name: 'addresses',
  services: [],
  facade: () => ({}),
};
