import { isAdmin, type CallContext } from '../context/call-context.js';
import type { Transaction } from '../contracts/store.js';
import type { RemoteAccessVpn, RemoteAccessVpnState } from '../model/remote-access-vpn.js';
import type { VpnUser, VpnUserState } from '../model/vpn-user.js';
import type { SecretBox } from '../security/secret-box.js';

/**
 * A remote-access VPN as services answer it (4.1's `remoteaccessvpn`): the address it answers
 * on, the client range and the server's address, the owner's names and the state. The IPsec
 * pre-shared key is shown to the owning account and to admins (who see the VPN only within
 * their domains), never to anyone else.
 */
export interface RemoteAccessVpnView {
  readonly id: string;
  readonly publicIpId: string;
  readonly publicIp: string;
  readonly networkId: string;
  /** The addresses handed to clients (`first-last`). */
  readonly ipRange: string;
  /** The VPN server's address on the client side. */
  readonly localIp: string;
  /** The IPsec pre-shared key, for the owner and admins. */
  readonly presharedKey?: string;
  readonly accountId: string;
  readonly accountName: string;
  readonly domainId: string;
  readonly domainName: string;
  readonly state: RemoteAccessVpnState;
  readonly createdAt: string;
}

/** A VPN user as services answer it (4.1's `vpnuser`); the password is never shown. */
export interface VpnUserView {
  readonly id: string;
  readonly username: string;
  readonly accountId: string;
  readonly accountName: string;
  readonly domainId: string;
  readonly domainName: string;
  readonly state: VpnUserState;
  readonly createdAt: string;
}

/** Builds VPN and VPN user views in one transaction, reading each account and domain name once. */
export class VpnViews {
  private readonly accounts = new Map<string, Promise<string>>();
  private readonly domains = new Map<string, Promise<string>>();

  constructor(
    private readonly tx: Transaction,
    private readonly caller: CallContext,
    private readonly secrets: SecretBox,
  ) {}

  /** The view of a VPN; the key is opened only for its owner and admins. */
  async vpn(vpn: RemoteAccessVpn): Promise<RemoteAccessVpnView> {
    const showKey = vpn.accountId === this.caller.accountId || isAdmin(this.caller);
    return {
      id: vpn.id,
      publicIpId: vpn.publicIpId,
      publicIp: vpn.publicIp,
      networkId: vpn.networkId,
      ipRange: vpn.ipRange,
      localIp: vpn.localIp,
      ...(showKey ? { presharedKey: this.secrets.open(vpn.presharedKeySealed) } : {}),
      accountId: vpn.accountId,
      accountName: await this.accountName(vpn.accountId),
      domainId: vpn.domainId,
      domainName: await this.domainName(vpn.domainId),
      state: vpn.state,
      createdAt: vpn.createdAt,
    };
  }

  /** The view of a VPN user. */
  async user(user: VpnUser): Promise<VpnUserView> {
    return {
      id: user.id,
      username: user.username,
      accountId: user.accountId,
      accountName: await this.accountName(user.accountId),
      domainId: user.domainId,
      domainName: await this.domainName(user.domainId),
      state: user.state,
      createdAt: user.createdAt,
    };
  }

  private accountName(id: string): Promise<string> {
    let name = this.accounts.get(id);
    if (name === undefined) {
      name = this.tx.repo('accounts').get(id).then((a) => a?.name ?? '');
      this.accounts.set(id, name);
    }
    return name;
  }

  private domainName(id: string): Promise<string> {
    let name = this.domains.get(id);
    if (name === undefined) {
      name = this.tx.repo('domains').get(id).then((d) => d?.name ?? '');
      this.domains.set(id, name);
    }
    return name;
  }
}
