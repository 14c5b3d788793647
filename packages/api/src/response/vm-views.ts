import { JobStatus, isRootAdmin, type CallContext, type Cloud, type NicView, type VmView } from '@cloudstack-sdk/core';
import type { ApiObject } from './api-value.js';
import type { DateFormatter } from './host-views.js';
import { rowsById } from './rows-by-id.js';

/** What a page of `virtualmachine` objects shows beside ids. */
export interface VmPageFacts {
  /** Account names by id. */
  readonly accounts: ReadonlyMap<string, string>;
  /** Domain names by id. */
  readonly domains: ReadonlyMap<string, string>;
  /** Zone names by id. */
  readonly zones: ReadonlyMap<string, string>;
  /** Host names by id. */
  readonly hosts: ReadonlyMap<string, string>;
  /** Names and display texts of templates and ISOs by id. */
  readonly images: ReadonlyMap<string, { readonly name: string; readonly displayText: string }>;
  /** Service offering names by id. */
  readonly offerings: ReadonlyMap<string, string>;
  /** Guest network names by id (the NICs' networks). */
  readonly networks: ReadonlyMap<string, string>;
  /** The pending async job acting on each VM, by VM id (reference §2.2: items carry `jobid`/`jobstatus`). */
  readonly pendingJobs: ReadonlyMap<string, string>;
}

/**
 * Reads what a page of VMs shows beside ids — account, domain, zone, host, template and ISO,
 * service offering names, and with `pendingJobs` the async jobs pending on the VMs — in one store
 * transaction with one query per referenced aggregate, however many rows the page has. It reads
 * the store, not the caller's services, because a caller who may see a VM may not list its host
 * or offering itself.
 */
export async function vmPageFacts(cloud: Cloud, vms: readonly VmView[], options: { readonly pendingJobs: boolean }): Promise<VmPageFacts> {
  if (vms.length === 0) return { accounts: new Map(), domains: new Map(), zones: new Map(), hosts: new Map(), images: new Map(), offerings: new Map(), networks: new Map(), pendingJobs: new Map() };
  return cloud.store.transaction(async (tx) => {
    const names = <T extends { readonly name: string }>(rows: ReadonlyMap<string, T>) => new Map([...rows].map(([id, row]) => [id, row.name]));
    const accounts = await rowsById(tx, 'accounts', vms.map((vm) => vm.accountId));
    const domains = await rowsById(tx, 'domains', vms.map((vm) => vm.domainId));
    const zones = await rowsById(tx, 'zones', vms.map((vm) => vm.zoneId));
    const hosts = await rowsById(tx, 'hosts', vms.map((vm) => vm.hostId));
    const images = await rowsById(tx, 'templates', vms.flatMap((vm) => [vm.templateId, vm.isoId]));
    const offerings = await rowsById(tx, 'serviceOfferings', vms.map((vm) => vm.serviceOfferingId));
    const networks = await rowsById(tx, 'networks', vms.flatMap((vm) => vm.nics.map((nic) => nic.networkId)));
    const pendingJobs = new Map<string, string>();
    if (options.pendingJobs) {
      const jobs = await tx.repo('jobs').find({ where: { status: JobStatus.Pending, instanceType: 'VirtualMachine', instanceId: { in: vms.map((vm) => vm.id) } } });
      for (const job of jobs.items) if (job.instanceId !== undefined) pendingJobs.set(job.instanceId, job.id);
    }
    return {
      accounts: names(accounts),
      domains: names(domains),
      zones: names(zones),
      hosts: names(hosts),
      images: new Map([...images].map(([id, t]) => [id, { name: t.name, displayText: t.displayText }])),
      offerings: names(offerings),
      networks: names(networks),
      pendingJobs,
    };
  });
}

/**
 * A NIC as 4.1 shows it (reference §5 `nic`). A NIC on a guest network (advanced zones) names it
 * (`networkid`, `networkname` from `networkNames`) and, once it has a VLAN, its `isolationuri`
 * and `broadcasturi` (`vlan://<id>`). Core's basic-zone NICs belong to no guest network object
 * yet, so none of these is emitted for them; `ipaddress`, `netmask` and `gateway` only while the
 * VM holds its direct address (from start to stop).
 */
export function nicView(nic: NicView, networkNames: ReadonlyMap<string, string> = new Map()): ApiObject {
  const vlanUri = nic.networkId === undefined || nic.vlan === undefined ? undefined : `vlan://${nic.vlan}`;
  return {
    id: nic.id,
    networkid: nic.networkId,
    networkname: nic.networkId === undefined ? undefined : networkNames.get(nic.networkId),
    netmask: nic.netmask,
    gateway: nic.gateway,
    ipaddress: nic.ipAddress,
    isolationuri: vlanUri,
    broadcasturi: vlanUri,
    traffictype: nic.trafficType,
    type: nic.type,
    isdefault: nic.isDefault,
    macaddress: nic.macAddress,
  };
}

/**
 * A user VM as 4.1's `UserVmResponse` shows it (reference §5 `virtualmachine`), in its field
 * order: names beside ids (from `facts`), the attached ISO, `instancename` for root admins only
 * (as 4.1), the NICs, and `jobid`/`jobstatus` while an async job acts on it. Fields core has no
 * notion of yet (projects, security groups, statistics, public IPs, tags) are not emitted.
 */
export function vmView(vm: VmView, facts: VmPageFacts, caller: CallContext, formatDate: DateFormatter): ApiObject {
  const template = facts.images.get(vm.templateId);
  const iso = vm.isoId === undefined ? undefined : facts.images.get(vm.isoId);
  const pendingJobId = facts.pendingJobs.get(vm.id);
  return {
    id: vm.id,
    name: vm.name,
    displayname: vm.displayName,
    account: facts.accounts.get(vm.accountId),
    domainid: vm.domainId,
    domain: facts.domains.get(vm.domainId),
    created: formatDate(vm.created),
    state: vm.state,
    haenable: vm.haEnable,
    group: vm.group,
    zoneid: vm.zoneId,
    zonename: facts.zones.get(vm.zoneId),
    hostid: vm.hostId,
    hostname: vm.hostId === undefined ? undefined : facts.hosts.get(vm.hostId),
    templateid: vm.templateId,
    templatename: template?.name,
    templatedisplaytext: template?.displayText,
    passwordenabled: vm.passwordEnabled,
    isoid: vm.isoId,
    isoname: iso?.name,
    isodisplaytext: iso?.displayText,
    serviceofferingid: vm.serviceOfferingId,
    serviceofferingname: facts.offerings.get(vm.serviceOfferingId),
    cpunumber: vm.cpuNumber,
    cpuspeed: vm.cpuSpeed,
    memory: vm.memory,
    guestosid: vm.guestOsId,
    nic: vm.nics.map((nic) => nicView(nic, facts.networks)),
    hypervisor: vm.hypervisor,
    instancename: isRootAdmin(caller) ? vm.instanceName : undefined,
    keypair: vm.keyPair,
    jobid: pendingJobId,
    jobstatus: pendingJobId === undefined ? undefined : JobStatus.Pending,
  };
}

/**
 * Views of a page of VMs: the names beside ids read once for the whole page ({@link
 * vmPageFacts}), and with `pendingJobs` (list replies) the job pending on each VM.
 */
export async function vmViews(cloud: Cloud, vms: readonly VmView[], caller: CallContext, formatDate: DateFormatter, options: { readonly pendingJobs: boolean }): Promise<ApiObject[]> {
  const facts = await vmPageFacts(cloud, vms, options);
  return vms.map((vm) => vmView(vm, facts, caller, formatDate));
}
