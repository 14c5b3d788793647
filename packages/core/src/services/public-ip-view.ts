import type { Transaction } from '../contracts/store.js';
import type { IpPurpose, PublicIp } from '../model/public-ip.js';
import { rulesOnIp } from './ip-rule-conflicts.js';

/**
 * A public IP address as services answer it: the stored row plus what CloudStack's
 * `publicipaddress` response shows beside it — whether static NAT is on, the purpose the
 * address serves now, and the names of its network, zone and static NAT VM.
 */
export type PublicIpView = PublicIp & {
  /** Static NAT is enabled (`staticNatVmId` is set). */
  readonly isStaticNat: boolean;
  /** What the address is used for now: source NAT, static NAT, or the purpose of its rules; absent when unused. */
  readonly purpose?: IpPurpose;
  readonly associatedNetworkName?: string;
  readonly zoneName?: string;
  readonly virtualMachineName?: string;
  readonly virtualMachineDisplayName?: string;
};

/** The view of `ip`, read in `tx`. */
export async function publicIpViewOf(tx: Transaction, ip: PublicIp): Promise<PublicIpView> {
  const network = ip.networkId === undefined ? undefined : await tx.repo('networks').get(ip.networkId);
  const zone = await tx.repo('zones').get(ip.zoneId);
  const vm = ip.staticNatVmId === undefined ? undefined : await tx.repo('vms').get(ip.staticNatVmId);
  const purpose = await purposeOf(tx, ip);
  return {
    ...ip,
    isStaticNat: ip.staticNatVmId !== undefined,
    ...(purpose === undefined ? {} : { purpose }),
    ...(network === undefined ? {} : { associatedNetworkName: network.name }),
    ...(zone === undefined ? {} : { zoneName: zone.name }),
    ...(vm === undefined ? {} : { virtualMachineName: vm.name, virtualMachineDisplayName: vm.displayName }),
  };
}

async function purposeOf(tx: Transaction, ip: PublicIp): Promise<IpPurpose | undefined> {
  if (ip.isSourceNat) return 'SourceNat';
  if (ip.staticNatVmId !== undefined) return 'StaticNat';
  const rules = await rulesOnIp(tx, ip.id);
  if (rules.some((r) => r.purpose === 'PortForwarding')) return 'PortForwarding';
  if (rules.some((r) => r.purpose === 'Lb')) return 'Lb';
  if (rules.length > 0) return 'Firewall';
  return undefined;
}
