import type { DependencyContainer } from 'tsyringe';
import { AccountCleanup } from './account-cleanup.js';
import type { AreaModule } from './area-module.js';
import { bindCaller, type BoundService } from './bind-caller.js';
import { RemoteAccessVpnService } from './remote-access-vpns.js';
import { VpnAccess } from './vpn-access.js';
import { VpnAccountCleanup } from './vpn-account-cleanup.js';
import { VpnUserService } from './vpn-users.js';

/** The caller-bound services of remote-access VPN. */
export interface VpnServices {
  /** Remote-access VPNs on source NAT addresses: create, delete, get, list. */
  readonly remoteAccessVpns: BoundService<RemoteAccessVpnService>;
  /** VPN users of accounts, shared by the account's VPNs: add, remove, list. */
  readonly vpnUsers: BoundService<VpnUserService>;
}

/**
 * Remote-access VPN (install guide 13.17): an L2TP-over-IPsec VPN on an isolated network's
 * source NAT address, served by the network's virtual router, and the VPN users of accounts,
 * shared by all of an account's VPNs. Deleting an account removes its VPN users and VPNs.
 */
export const vpnModule: AreaModule<VpnServices> = {
  name: 'vpn',
  services: [VpnAccess, RemoteAccessVpnService, VpnUserService, VpnAccountCleanup],
  async start(container: DependencyContainer) {
    const cleanup = container.resolve(VpnAccountCleanup);
    container.resolve(AccountCleanup).register('vpn', (tx, account) => cleanup.run(tx, account));
  },
  facade: (container, caller) => ({
    remoteAccessVpns: bindCaller(container.resolve(RemoteAccessVpnService), caller),
    vpnUsers: bindCaller(container.resolve(VpnUserService), caller),
  }),
};
