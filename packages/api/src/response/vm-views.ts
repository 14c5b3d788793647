import { JobStatus, isRootAdmin, type CallContext, type Cloud, type NicView, type VmView } from '@cloudstack-sdk/core';
import type { ApiObject } from './api-value.js';
import type { DateFormatter } from './host-views.js';
import { NameLookup } from './name-lookup.js';

/**
 * The names a `virtualmachine` object carries beside ids (template, service offering, host,
 * zone, account, domain) and the async jobs pending on VMs, resolved once per reply through
 * SYSTEM (a caller who may see a VM may not list its host or offering itself).
 */
export class VmLookup {
  /** Zone, account and domain names. */
  readonly names: NameLookup;
  private readonly templates = new Map<string, Promise<{ name: string; displayText: string } | undefined>>();
  private readonly offerings = new Map<string, Promise<string | undefined>>();
  private hosts: Promise<Map<string, string>> | undefined;

  constructor(private readonly cloud: Cloud) {
    this.names = new NameLookup(cloud.system);
  }

  /** A template's name and display text, or undefined. */
  template(id: string): Promise<{ name: string; displayText: string } | undefined> {
    let found = this.templates.get(id);
    if (found === undefined) {
      found = this.cloud.system.templates.list({ templateFilter: 'all', id, pageSize: -1 }).then((page) => {
        const row = page.items[0];
        return row === undefined ? undefined : { name: row.name, displayText: row.displayText };
      });
      this.templates.set(id, found);
    }
    return found;
  }

  /** A service offering's name, or undefined. */
  offering(id: string): Promise<string | undefined> {
    let found = this.offerings.get(id);
    if (found === undefined) {
      found = this.cloud.system.serviceOfferings.list({ id }).then((page) => page.items[0]?.name);
      this.offerings.set(id, found);
    }
    return found;
  }

  /** A host's name, or undefined. */
  async host(id: string | undefined): Promise<string | undefined> {
    if (id === undefined) return undefined;
    this.hosts ??= this.cloud.system.hosts.list({}).then((hosts) => new Map(hosts.map((h) => [h.id, h.name])));
    return (await this.hosts).get(id);
  }

  /** The pending async job acting on each of the given VMs (reference §2.2: items carry `jobid`/`jobstatus`). */
  async pendingJobs(vmIds: readonly string[]): Promise<ReadonlyMap<string, string>> {
    if (vmIds.length === 0) return new Map();
    const jobs = await this.cloud.store.transaction((tx) =>
      tx.repo('jobs').find({ where: { status: JobStatus.Pending, instanceType: 'VirtualMachine', instanceId: { in: [...vmIds] } } }),
    );
    const pending = new Map<string, string>();
    for (const job of jobs.items) if (job.instanceId !== undefined) pending.set(job.instanceId, job.id);
    return pending;
  }
}

/**
 * A NIC as 4.1 shows it (reference §5 `nic`). Core's basic-zone NICs belong to no guest network
 * object yet, so `networkid`/`networkname` are not emitted; `ipaddress`, `netmask` and `gateway`
 * only while the VM holds its direct address (from start to stop).
 */
export function nicView(nic: NicView): ApiObject {
  return {
    id: nic.id,
    netmask: nic.netmask,
    gateway: nic.gateway,
    ipaddress: nic.ipAddress,
    traffictype: nic.trafficType,
    type: nic.type,
    isdefault: nic.isDefault,
    macaddress: nic.macAddress,
  };
}

/**
 * A user VM as 4.1's `UserVmResponse` shows it (reference §5 `virtualmachine`), in its field
 * order: names beside ids, `instancename` for root admins only (as 4.1), the NICs, and
 * `jobid`/`jobstatus` while an async job acts on it. Fields core has no notion of yet
 * (projects, ISOs, security groups, statistics, public IPs, tags) are not emitted.
 */
export async function vmView(vm: VmView, lookup: VmLookup, caller: CallContext, formatDate: DateFormatter, pendingJobId?: string): Promise<ApiObject> {
  const domain = await lookup.names.domain(vm.domainId);
  const template = await lookup.template(vm.templateId);
  return {
    id: vm.id,
    name: vm.name,
    displayname: vm.displayName,
    account: await lookup.names.account(vm.accountId),
    domainid: vm.domainId,
    domain: domain?.name,
    created: formatDate(vm.created),
    state: vm.state,
    haenable: vm.haEnable,
    group: vm.group,
    zoneid: vm.zoneId,
    zonename: await lookup.names.zone(vm.zoneId),
    hostid: vm.hostId,
    hostname: await lookup.host(vm.hostId),
    templateid: vm.templateId,
    templatename: template?.name,
    templatedisplaytext: template?.displayText,
    passwordenabled: vm.passwordEnabled,
    serviceofferingid: vm.serviceOfferingId,
    serviceofferingname: await lookup.offering(vm.serviceOfferingId),
    cpunumber: vm.cpuNumber,
    cpuspeed: vm.cpuSpeed,
    memory: vm.memory,
    guestosid: vm.guestOsId,
    nic: vm.nics.map(nicView),
    hypervisor: vm.hypervisor,
    instancename: isRootAdmin(caller) ? vm.instanceName : undefined,
    keypair: vm.keyPair,
    jobid: pendingJobId,
    jobstatus: pendingJobId === undefined ? undefined : JobStatus.Pending,
  };
}

/** Views of a page of VMs, each with the job pending on it, if any. */
export async function vmViews(vms: readonly VmView[], lookup: VmLookup, caller: CallContext, formatDate: DateFormatter): Promise<ApiObject[]> {
  const pending = await lookup.pendingJobs(vms.map((vm) => vm.id));
  const rows: ApiObject[] = [];
  for (const vm of vms) rows.push(await vmView(vm, lookup, caller, formatDate, pending.get(vm.id)));
  return rows;
}
