import type { DependencyContainer } from 'tsyringe';
import type { AreaModule } from './area-module.js';
import { bindCaller, type BoundService } from './bind-caller.js';
import { NetworkAccess } from './network-access.js';
import { NetworkImplementer } from './network-implementer.js';
import { NetworkOfferingService } from './network-offerings.js';
import { NetworkRuleSetBuilder } from './network-rule-set.js';
import { NetworkRuleSync } from './network-rule-sync.js';
import { GuestNetworkService } from './networks.js';
import { PublicIpAccess } from './public-ip-access.js';
import { PublicIpRecords } from './public-ip-records.js';
import { RouterService } from './routers.js';
import { VirtualRouters } from './virtual-routers.js';
import { VmNetworks } from './vm-networks.js';
import { VmNics } from './vm-nics.js';
import { VmNetworkCleanup } from './vm-network-cleanup.js';
import { NetworkAccountCleanup } from './network-account-cleanup.js';
import { AccountCleanup } from './account-cleanup.js';

/** The caller-bound services of the guest-network area. */
export interface NetworkServices {
  /** Network offerings. */
  readonly networkOfferings: BoundService<NetworkOfferingService>;
  /** Guest networks. */
  readonly networks: BoundService<GuestNetworkService>;
  /** Virtual routers (admins). */
  readonly routers: BoundService<RouterService>;
  /** The NICs of VMs on several guest networks. */
  readonly vmNics: BoundService<VmNics>;
}

/**
 * Guest networks: network offerings (the guide's defaults seeded at start), isolated and shared
 * networks, their implementation and garbage collection, virtual routers, and the rule engine
 * that hands each network's rule set to its providers.
 */
export const networksModule: AreaModule<NetworkServices> = {
  name: 'networks',
  services: [NetworkOfferingService, NetworkAccess, PublicIpRecords, NetworkRuleSetBuilder, VirtualRouters, NetworkRuleSync, NetworkImplementer, GuestNetworkService, VmNetworks, PublicIpAccess, RouterService, VmNetworkCleanup, NetworkAccountCleanup, VmNics],
  async start(container: DependencyContainer) {
    await container.resolve(NetworkOfferingService).seedDefaults();
    const cleanup = container.resolve(NetworkAccountCleanup);
    container.resolve(AccountCleanup).register('networks', (tx, account, caller) => cleanup.run(tx, account, caller));
  },
  facade: (container, caller) => ({
    networkOfferings: bindCaller(container.resolve(NetworkOfferingService), caller),
    networks: bindCaller(container.resolve(GuestNetworkService), caller),
    routers: bindCaller(container.resolve(RouterService), caller),
    vmNics: bindCaller(container.resolve(VmNics), caller),
  }),
};
