import { z } from 'zod';
import { PagingInput } from './paging.js';
import { VisibilityInput } from './visibility.js';

/** Whose VPN or VPN user: the caller's account unless an admin names another (`account` + `domainId`). */
const VpnOwnerInput = z.object({
  /** The owning account's name (admins; in `domainId` or the caller's domain). */
  account: z.string().min(1).optional(),
  /** The owning account's domain (admins). */
  domainId: z.string().min(1).optional(),
});

/** Input of {@link RemoteAccessVpnService.create} (`createRemoteAccessVpn`). */
export const CreateRemoteAccessVpnInput = VpnOwnerInput.extend({
  /** The network's source NAT address the VPN answers on (`publicipid`). */
  publicIpId: z.string().min(1),
  /**
   * Client addresses as `first-last` (`iprange`); the first is the VPN server's own. The
   * `remote.access.vpn.client.ip.range` configuration (account scope first) when absent.
   */
  ipRange: z.string().trim().min(1).optional(),
  /**
   * Open the VPN's UDP ports (IKE 500, L2TP 1701, NAT-T 4500) on the address's firewall
   * (`openfirewall`): firewall rules added with the VPN and removed with it. True unless given,
   * as 4.1 does.
   */
  openFirewall: z.boolean().default(true),
});
/** Input of {@link RemoteAccessVpnService.create}. */
export type CreateRemoteAccessVpnInput = z.input<typeof CreateRemoteAccessVpnInput>;

/** A VPN by the public IP it answers on (`deleteRemoteAccessVpn`). */
export const RemoteAccessVpnRefInput = z.object({
  publicIpId: z.string().min(1),
});
/** A VPN by its public IP. */
export type RemoteAccessVpnRefInput = z.input<typeof RemoteAccessVpnRefInput>;

/** Filters of {@link RemoteAccessVpnService.list} (`listRemoteAccessVpns`). */
export const ListRemoteAccessVpnsInput = VisibilityInput.extend({
  /** The VPN's own id. */
  id: z.string().min(1).optional(),
  /** Only the VPN on this public IP (an address the caller cannot see is 431). */
  publicIpId: z.string().min(1).optional(),
  /** Only the VPN of this network. */
  networkId: z.string().min(1).optional(),
}).extend(PagingInput.shape);
/** Filters of {@link RemoteAccessVpnService.list}. */
export type ListRemoteAccessVpnsInput = z.input<typeof ListRemoteAccessVpnsInput>;

/**
 * A VPN username as CloudStack 4.1 accepts it: 3 to 64 characters of letters, digits and
 * `@ . _ -`, starting with a letter or digit.
 */
export const VpnUsername = z.string().regex(/^[a-zA-Z0-9][a-zA-Z0-9@._-]{2,63}$/, {
  error: "must start with a letter or digit and have 3-64 characters of letters, digits and the set '@.-_'",
});

/**
 * A VPN password as CloudStack 4.1 accepts it: 3 to 32 characters of letters, digits and
 * `@ # + = . _ -`, starting with a letter or digit.
 */
export const VpnPassword = z.string().regex(/^[a-zA-Z0-9][a-zA-Z0-9@#+=._-]{2,31}$/, {
  error: "must start with a letter or digit and have 3-32 characters of letters, digits and the set '@#+=.-_'",
});

/** Input of {@link VpnUserService.add} (`addVpnUser`). */
export const AddVpnUserInput = VpnOwnerInput.extend({
  username: VpnUsername,
  password: VpnPassword,
});
/** Input of {@link VpnUserService.add}. */
export type AddVpnUserInput = z.input<typeof AddVpnUserInput>;

/** A VPN user by username, in the caller's account or one an admin names (`removeVpnUser`). */
export const VpnUserRefInput = VpnOwnerInput.extend({
  username: z.string().min(1),
});
/** Input of {@link VpnUserService.remove} and {@link VpnUserService.get}. */
export type VpnUserRefInput = z.input<typeof VpnUserRefInput>;

/** Filters of {@link VpnUserService.list} (`listVpnUsers`). */
export const ListVpnUsersInput = VisibilityInput.extend({
  id: z.string().min(1).optional(),
  username: z.string().min(1).optional(),
  keyword: z.string().optional(),
}).extend(PagingInput.shape);
/** Filters of {@link VpnUserService.list}. */
export type ListVpnUsersInput = z.input<typeof ListVpnUsersInput>;
