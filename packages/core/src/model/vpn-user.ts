import { z } from 'zod';

/**
 * States of a VPN user (CloudStack's `VpnUser.State`): `Add` while the account's VPN routers are
 * being given the user, `Active` once they all have it, `Revoke` while they are being given
 * the user list without it (the row goes once they have). Routers carry `Add` and `Active`
 * users.
 */
export const VpnUserState = z.enum(['Add', 'Active', 'Revoke']);
/** One of the VPN user states. */
export type VpnUserState = z.infer<typeof VpnUserState>;

/**
 * A VPN user of an account (CloudStack's `vpn_users`, guide 13.17): kept apart from the cloud's
 * own users, and shared by every remote-access VPN of the account. The password is sealed
 * with the cloud's key (the VPN server needs it back to authenticate L2TP clients, so it is
 * not hashed). Usernames are unique within an account.
 */
export const VpnUserSchema = z.object({
  id: z.string(),
  version: z.number().int().positive(),
  accountId: z.string(),
  domainId: z.string(),
  username: z.string(),
  /** The password, sealed by the cloud's secret box. */
  passwordSealed: z.string(),
  state: VpnUserState,
  createdAt: z.string(),
  updatedAt: z.string(),
});

/** A VPN user as stored. */
export type VpnUser = z.infer<typeof VpnUserSchema>;
