import type { AreaModule } from './area-module.js';

/** The caller-bound services of remote-access VPN. */
export interface VpnServices {}

/** Remote-access VPN on a network's source NAT address, and the VPN users of accounts. */
export const vpnModule: AreaModule<VpnServices> = {
  name: 'vpn',
  services: [],
  facade: () => ({}),
};
