import type { AreaModule } from './area-module.js';

/** The caller-bound services of port forwarding and load balancing. */
export interface LoadBalancingServices {}

/**
 * Port forwarding rules and load-balancing rules with their members and stickiness policies,
 * applied through the network rule engine.
 */
export const loadBalancingModule: AreaModule<LoadBalancingServices> = {
  name: 'load-balancing',
  services: [],
  facade: () => ({}),
};
