import type { AreaModule } from './area-module.js';
import { bindCaller, type BoundService } from './bind-caller.js';
import { LbRuleAccess } from './lb-rule-access.js';
import { LbStickinessService } from './lb-stickiness.js';
import { LoadBalancerService } from './load-balancers.js';
import { PortForwardingService } from './port-forwarding.js';

/** The caller-bound services of port forwarding and load balancing. */
export interface LoadBalancingServices {
  /** Port forwarding rules (`createPortForwardingRule`, `deletePortForwardingRule`, `listPortForwardingRules`). */
  readonly portForwarding: BoundService<PortForwardingService>;
  /** Load-balancing rules and their members (`createLoadBalancerRule`, `assignToLoadBalancerRule`, ...). */
  readonly loadBalancers: BoundService<LoadBalancerService>;
  /** Stickiness policies of load-balancing rules (`createLBStickinessPolicy`, ...). */
  readonly lbStickinessPolicies: BoundService<LbStickinessService>;
}

/**
 * Port forwarding rules and load-balancing rules with their members and stickiness policies,
 * applied through the network rule engine.
 */
export const loadBalancingModule: AreaModule<LoadBalancingServices> = {
  name: 'load-balancing',
  services: [LbRuleAccess, PortForwardingService, LoadBalancerService, LbStickinessService],
  facade: (container, caller) => ({
    portForwarding: bindCaller(container.resolve(PortForwardingService), caller),
    loadBalancers: bindCaller(container.resolve(LoadBalancerService), caller),
    lbStickinessPolicies: bindCaller(container.resolve(LbStickinessService), caller),
  }),
};
