import { inject, injectable } from 'tsyringe';
import { isoNow, type Clock } from '../contracts/clock.js';
import type { Transaction } from '../contracts/store.js';
import { TOKENS, type Logger } from '../tokens.js';
import { NetworkRuleSync } from './network-rule-sync.js';
import { openedFirewallRuleId } from './port-forwarding-firewall.js';

/**
 * What a VM leaves on its guest networks when it is expunged: its port forwarding rules go, it
 * leaves every load-balancing rule it was a member of, and a static NAT to it is disabled (the
 * address stays with the account). The rows change in the expunging transaction; once it
 * commits each affected network's providers get the rule set without the VM (and without its
 * DHCP entry). A provider that cannot be told keeps the stale entries until the network's next
 * apply; that is logged, not raised: the VM is gone either way.
 */
@injectable()
export class VmNetworkCleanup {
  constructor(
    @inject(TOKENS.Clock) private readonly clock: Clock,
    @inject(TOKENS.Logger) private readonly logger: Logger,
    @inject(NetworkRuleSync) private readonly ruleSync: NetworkRuleSync,
  ) {}

  /** Removes the VM from its networks' rules in `tx` and schedules the re-apply after commit. */
  async onExpunge(tx: Transaction, vmId: string): Promise<void> {
    const networks = new Set<string>();
    for (const nic of (await tx.repo('nics').find({ where: { vmId } })).items) if (nic.networkId !== undefined) networks.add(nic.networkId);
    for (const rule of (await tx.repo('networkRules').find({ where: { vmId } })).items) {
      networks.add(rule.networkId);
      // The firewall rule its `openfirewall` opened goes with a port forwarding rule.
      const opened = await tx.repo('networkRules').get(openedFirewallRuleId(rule.id));
      if (opened !== undefined) await tx.repo('networkRules').delete(opened.id);
      await tx.repo('networkRules').delete(rule.id);
    }
    for (const networkId of [...networks]) {
      for (const rule of (await tx.repo('networkRules').find({ where: { networkId, purpose: 'Lb' } })).items) {
        if (rule.memberVmIds?.includes(vmId) !== true) continue;
        await tx.repo('networkRules').update({ ...rule, memberVmIds: rule.memberVmIds.filter((id) => id !== vmId) });
      }
    }
    for (const ip of (await tx.repo('publicIps').find({ where: { staticNatVmId: vmId } })).items) {
      if (ip.networkId !== undefined) networks.add(ip.networkId);
      const { staticNatVmId: _vm, staticNatNicId: _nic, staticNatVmIp: _ip, ...rest } = ip;
      await tx.repo('publicIps').update({ ...rest, updatedAt: isoNow(this.clock) });
    }
    if (networks.size === 0) return;
    tx.afterCommit(() => {
      for (const networkId of networks) {
        void this.ruleSync.sync(networkId).catch((error: unknown) => {
          this.logger.warn(`could not re-apply the rules of network ${networkId} after a VM left it`, { error: error instanceof Error ? error.message : String(error) });
        });
      }
    });
  }
}
