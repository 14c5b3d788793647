import { z } from 'zod';
import type { Transitions } from './state-machine.js';

/** The network service providers CloudStack 4.1 knows by name. */
export const NETWORK_SERVICE_PROVIDER_NAMES = [
  'VirtualRouter',
  'VpcVirtualRouter',
  'SecurityGroupProvider',
  'JuniperSRX',
  'Netscaler',
  'F5BigIp',
  'ElasticLoadBalancerVm',
] as const;

/** State of a provider on a physical network. */
export const NetworkServiceProviderState = z.enum(['Disabled', 'Enabled', 'Shutdown']);
/** One of the provider states. */
export type NetworkServiceProviderState = z.infer<typeof NetworkServiceProviderState>;

/** Provider state moves: enable and disable freely; a shut-down provider may only be enabled again. */
export const NETWORK_SERVICE_PROVIDER_TRANSITIONS: Transitions<NetworkServiceProviderState> = {
  Disabled: ['Enabled', 'Shutdown'],
  Enabled: ['Disabled', 'Shutdown'],
  Shutdown: ['Enabled'],
};

/** A network service provider added to a physical network (CloudStack's `physical_network_service_providers`). */
export const NetworkServiceProviderSchema = z.object({
  id: z.string(),
  version: z.number().int().positive(),
  physicalNetworkId: z.string(),
  zoneId: z.string(),
  /** The provider name (`VirtualRouter`, `JuniperSRX`, ...). */
  name: z.string().min(1),
  state: NetworkServiceProviderState,
  /** The services this provider offers on the network (`Dhcp`, `Dns`, `SourceNat`, ...). */
  services: z.array(z.string()),
  /** For a provider that bridges two physical networks. */
  destinationPhysicalNetworkId: z.string().optional(),
  createdAt: z.string(),
});

/** A network service provider on a physical network. */
export type NetworkServiceProvider = z.infer<typeof NetworkServiceProviderSchema>;
