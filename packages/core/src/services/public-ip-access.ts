import { inject, injectable } from 'tsyringe';
import type { CallContext } from '../context/call-context.js';
import type { Transaction } from '../contracts/store.js';
import { invalidParameter, notFound } from '../errors.js';
import type { Network } from '../model/network.js';
import type { NetworkOffering } from '../model/network-offering.js';
import type { PublicIp } from '../model/public-ip.js';
import { Visibility } from './visibility.js';

/** A public IP with the network it is associated with and that network's offering. */
export interface IpWithNetwork {
  readonly ip: PublicIp;
  readonly network: Network;
  readonly offering: NetworkOffering;
}

/**
 * Looks public IPs up by id under the one visibility rule (another tenant's address reads as
 * one that does not exist, 431), and with the network a rule on them goes to.
 */
@injectable()
export class PublicIpAccess {
  constructor(@inject(Visibility) private readonly visibility: Visibility) {}

  /** The address if `caller` may see it; 431 naming `param` otherwise. */
  async visible(tx: Transaction, caller: CallContext, id: string, param = 'ipaddressid'): Promise<PublicIp> {
    const ip = await tx.repo('publicIps').get(id);
    if (ip === undefined) throw notFound('public IP address', param, id);
    await this.visibility.assertCanAccess(tx, caller, ip, 'public IP address', param, id);
    return ip;
  }

  /**
   * The address, `Allocated` and associated with a guest network, with that network and its
   * offering: 431 when it is being released or belongs to no network.
   */
  async forRules(tx: Transaction, caller: CallContext, id: string, param = 'ipaddressid'): Promise<IpWithNetwork> {
    const ip = await this.visible(tx, caller, id, param);
    if (ip.state !== 'Allocated') throw invalidParameter(param, `public IP ${ip.address} is ${ip.state}`);
    if (ip.networkId === undefined) throw invalidParameter(param, `public IP ${ip.address} is not associated with a guest network`);
    const network = await tx.repo('networks').get(ip.networkId);
    if (network === undefined) throw notFound('network', 'networkid', ip.networkId);
    const offering = await tx.repo('networkOfferings').get(network.networkOfferingId);
    if (offering === undefined) throw notFound('network offering', 'networkofferingid', network.networkOfferingId);
    return { ip, network, offering };
  }
}
