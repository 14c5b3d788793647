/**
 * Security groups on KVM hosts: finds the VM's default NIC (tap device and bridge) in its live
 * domain XML, renders the rule set (see `security-group-rules-renderer.ts`), has the host run the
 * commands, and remembers per host and VM the newest set in force so older sets are ignored.
 */
import type { ApplySecurityGroupRulesRequest } from '@cloudstack-sdk/core';
import { LibvirtError, VirErrorCode } from './libvirt-error.js';
import { DomainState } from './libvirt-constants.js';
import type { LibvirtProcedures } from './procedures.js';
import { renderSecurityGroupRules } from './security-group-rules-renderer.js';

/** One NIC of a domain as its live XML shows it. */
export interface DomainInterface {
  /** The MAC address, lower case. */
  readonly mac?: string;
  /** The host-side tap device (`vnet0`). */
  readonly targetDev?: string;
  /** The bridge it is plugged into, or the libvirt network's name when it uses one. */
  readonly bridge?: string;
}

/** The rules a host enforces for one VM. */
export interface AppliedSecurityGroupRules {
  /** The set's sequence number. */
  readonly seq: number;
  /** The commands rendered for it, in order. */
  readonly commands: readonly string[];
}

/** Runs rendered commands on a host; resolves once all ran. */
export type HostScriptRunner = (commands: readonly string[]) => Promise<void>;

const attr = (text: string, element: string, name: string): string | undefined =>
  new RegExp(`<${element}\\b[^>]*\\b${name}=['"]([^'"]+)['"]`).exec(text)?.[1];

/** The `<interface>` devices of a domain XML, in document order. */
export function domainInterfaces(xml: string): DomainInterface[] {
  return [...xml.matchAll(/<interface\b[^>]*>([\s\S]*?)<\/interface>/g)].map((match) => {
    const body = match[1] ?? '';
    const mac = attr(body, 'mac', 'address')?.toLowerCase();
    const targetDev = attr(body, 'target', 'dev');
    const bridge = attr(body, 'source', 'bridge') ?? attr(body, 'source', 'network');
    return { ...(mac === undefined ? {} : { mac }), ...(targetDev === undefined ? {} : { targetDev }), ...(bridge === undefined ? {} : { bridge }) };
  });
}

/** Per-host, per-VM security group state of a KVM driver. */
export class KvmSecurityGroups {
  private readonly applied = new Map<string, Map<string, AppliedSecurityGroupRules>>();
  /** The apply in progress per host and VM: sets for one VM run one after another. */
  private readonly inFlight = new Map<string, Promise<void>>();

  /** The rules last applied for a VM on a host, if any. */
  rulesOf(hostUrl: string, vmName: string): AppliedSecurityGroupRules | undefined {
    return this.applied.get(hostUrl)?.get(vmName);
  }

  /** Forgets everything about a host (released). */
  forgetHost(hostUrl: string): void {
    this.applied.delete(hostUrl);
  }

  /**
   * Renders and runs the request's set for a running VM, unless a newer set is in force. The VM
   * must run on the host and have a NIC (the one with the request's MAC, else its first). A
   * failure to run keeps the set in force unchanged. Sets for the same VM are applied one after
   * another, so the host never ends up with an older set's commands run last.
   */
  async apply(libvirt: LibvirtProcedures, hostUrl: string, request: ApplySecurityGroupRulesRequest, run: HostScriptRunner): Promise<void> {
    const key = `${hostUrl}\0${request.vmName}`;
    const previous = this.inFlight.get(key) ?? Promise.resolve();
    const mine = previous.catch(() => undefined).then(() => this.applyNow(libvirt, hostUrl, request, run));
    const settled = mine.catch(() => undefined);
    this.inFlight.set(key, settled);
    void settled.then(() => {
      if (this.inFlight.get(key) === settled) this.inFlight.delete(key);
    });
    return mine;
  }

  private async applyNow(libvirt: LibvirtProcedures, hostUrl: string, request: ApplySecurityGroupRulesRequest, run: HostScriptRunner): Promise<void> {
    const current = this.rulesOf(hostUrl, request.vmName);
    if (current !== undefined && current.seq > request.rules.seq) return;
    const dom = await libvirt.domainLookupByName(request.vmName);
    const { state } = await libvirt.domainGetState(dom);
    if (state !== DomainState.RUNNING) {
      throw LibvirtError.client(VirErrorCode.VIR_ERR_OPERATION_INVALID, `VM ${request.vmName} is not running on host ${hostUrl}`);
    }
    const nics = domainInterfaces(await libvirt.domainGetXmlDesc(dom));
    const mac = request.macAddress?.toLowerCase();
    const nic = (mac === undefined ? undefined : nics.find((n) => n.mac === mac)) ?? nics[0];
    if (nic?.targetDev === undefined || nic.bridge === undefined) {
      throw LibvirtError.client(VirErrorCode.VIR_ERR_OPERATION_INVALID, `VM ${request.vmName} has no plugged NIC on host ${hostUrl} to filter`);
    }
    const commands = renderSecurityGroupRules({
      vmName: request.vmName,
      vif: nic.targetDev,
      bridge: nic.bridge,
      rules: request.rules,
      ...(request.vmIp === undefined ? {} : { vmIp: request.vmIp }),
      ...(request.macAddress === undefined ? {} : { macAddress: request.macAddress }),
    });
    await run(commands);
    let forHost = this.applied.get(hostUrl);
    if (forHost === undefined) {
      forHost = new Map();
      this.applied.set(hostUrl, forHost);
    }
    forHost.set(request.vmName, { seq: request.rules.seq, commands });
  }
}
