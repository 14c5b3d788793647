import { z } from 'zod';

/**
 * States of a remote-access VPN (CloudStack's `RemoteAccessVpn.State`): `Added` while the
 * network's router is being given it, `Running` once the router enforces it, `Removing` while
 * the router is being given the rule set without it. A router's rule set carries a VPN that is
 * `Added` or `Running`.
 */
export const RemoteAccessVpnState = z.enum(['Added', 'Running', 'Removing']);
/** One of the remote-access VPN states. */
export type RemoteAccessVpnState = z.infer<typeof RemoteAccessVpnState>;

/**
 * An L2TP-over-IPsec remote-access VPN on the source NAT address of an isolated guest network
 * (CloudStack's `remote_access_vpn`, guide 13.17): its router is the VPN server at `localIp`
 * (the first address of the client range), clients get addresses from `ipRange`, and the
 * IPsec pre-shared key rests sealed with the cloud's key. One per address and per network.
 */
export const RemoteAccessVpnSchema = z.object({
  id: z.string(),
  version: z.number().int().positive(),
  /** The public IP (the network's source NAT address) the VPN answers on, and its address. */
  publicIpId: z.string(),
  publicIp: z.string(),
  /** The guest network whose router serves the VPN. */
  networkId: z.string(),
  /** The owner: the public IP's account and its domain. */
  accountId: z.string(),
  domainId: z.string(),
  /** The VPN server's address on the client side: the first address of the range asked for. */
  localIp: z.string(),
  /** The addresses handed to clients (`first-last`): the rest of the range asked for. */
  ipRange: z.string(),
  /** The IPsec pre-shared key, sealed by the cloud's secret box. */
  presharedKeySealed: z.string(),
  state: RemoteAccessVpnState,
  createdAt: z.string(),
  updatedAt: z.string(),
});

/** A remote-access VPN as stored. */
export type RemoteAccessVpn = z.infer<typeof RemoteAccessVpnSchema>;
