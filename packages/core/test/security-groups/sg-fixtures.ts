import { createSimulator, type Simulator, type SimulatorHypervisor } from '../../../driver-simulator/src/index.js';
import {
  JobRunner,
  MemoryStore,
  SecurityGroupEnforcer,
  SecurityGroupMembership,
  type CallContext,
  type Cloud,
  type CloudOptions,
  type HypervisorDriver,
  type SecurityGroupJoinRequest,
  type VmView,
} from '../../src/index.js';
import { publish } from '../templates/fixtures.js';
import { callerOf, tenantCloud } from '../accounts/tenants.js';

/** GiB in bytes. */
const GIB = 1024 ** 3;

/** Options of {@link sgCloud}. */
export interface SgCloudOptions extends CloudOptions {
  /** Simulated hosts in the cluster (2 by default). */
  readonly hosts?: number;
  /** Whether the basic zone is created with security groups (true by default). */
  readonly securityGroups?: boolean;
  /** Replaces the simulator's hypervisor driver (to take capabilities away). */
  readonly driver?: (simulator: SimulatorHypervisor) => HypervisorDriver;
}

/**
 * The tenant cloud on the simulator with an enabled basic zone created with security groups
 * (guide 13.7.4: only at zone creation): one pod with a 20-address direct guest range, a
 * cluster of simulated hosts, an NFS pool, secondary storage, a downloaded public template, a
 * small offering, and `carol`, a second user account in alice's domain (`/Comp1/`).
 */
export async function sgCloud(options: SgCloudOptions = {}) {
  const sim: Simulator = createSimulator();
  const { hosts = 2, securityGroups = true, driver, ...cloudOptions } = options;
  const hypervisors = driver === undefined ? sim.hypervisors : sim.hypervisors.map((h) => driver(h));
  const tenants = await tenantCloud({ hypervisors, storage: sim.storage, ...cloudOptions });
  const sys = tenants.cloud.system;
  const carol = await sys.accounts.create({ username: 'carol', password: 'carol-pw-1', firstName: 'carol', lastName: 'Tester', email: 'carol@example.com', domainId: tenants.domains.comp1.id });
  const zone = await sys.zones.create({ name: 'basic-sg', networkType: 'Basic', dns1: '8.8.8.8', internalDns1: '192.168.10.2', securityGroupEnabled: securityGroups });
  const network = await sys.physicalNetworks.create({ zoneId: zone.id, name: 'physnet' });
  for (const trafficType of ['Guest', 'Management'] as const) await sys.physicalNetworks.addTrafficType({ physicalNetworkId: network.id, trafficType, simulatorNetworkLabel: 'simbr0' });
  const pod = await sys.pods.create({ zoneId: zone.id, name: 'pod-1', gateway: '192.168.10.1', netmask: '255.255.255.0', startIp: '192.168.10.2', endIp: '192.168.10.20' });
  await sys.ipRanges.createVlanIpRange({ zoneId: zone.id, podId: pod.id, forVirtualNetwork: false, gateway: '192.168.10.1', netmask: '255.255.255.0', startIp: '192.168.10.100', endIp: '192.168.10.119' });
  const cluster = await sys.clusters.add({ zoneId: zone.id, podId: pod.id, clusterName: 'c1', hypervisor: 'Simulator' });
  for (let i = 0; i < hosts; i += 1) {
    sim.lab.defineHost(`h${i}`, { cpuSockets: 1, cpuCores: 8, cpuSpeedMhz: 2000, memoryBytes: 16 * GIB });
    await sys.hosts.add({ clusterId: cluster.id, url: `http://sim/h${i}`, username: 'root', password: 'password' });
  }
  await sys.primaryStorage.create({ zoneId: zone.id, podId: pod.id, clusterId: cluster.id, name: 'ps1', protocol: 'NFS', server: '192.168.10.5', path: '/export/primary' });
  await sys.secondaryStorage.addSecondaryStorage({ zoneId: zone.id, url: 'nfs://192.168.10.5/export/secondary' });
  await sys.zones.update({ id: zone.id, allocationState: 'Enabled' });
  const osTypeId = (await sys.osTypes.list({ description: 'CentOS 6.3 (64-bit)' }))[0]?.id ?? '';
  const { url } = publish(sim, 'centos', 'centos image bytes');
  const template = await sys.templates.register({ name: 'centos', displayText: 'CentOS', url, format: 'QCOW2', hypervisor: 'Simulator', osTypeId, isPublic: true, passwordEnabled: true });
  await tenants.cloud.container.resolve(JobRunner).drain();
  const offering = await sys.serviceOfferings.create({ name: 'small', displayText: 'Small', cpuNumber: 1, cpuSpeed: 100, memory: 128 });
  const cloud = tenants.cloud;
  return {
    ...tenants,
    accounts: { ...tenants.accounts, carol },
    as: { ...tenants.as, carol: callerOf(carol) },
    sim,
    zone,
    template,
    offering,
    enforcer: cloud.container.resolve(SecurityGroupEnforcer),
    membership: cloud.container.resolve(SecurityGroupMembership),
  };
}

/** The security-group cloud type. */
export type SgCloud = Awaited<ReturnType<typeof sgCloud>>;

/**
 * Deploys a VM of `caller` into `groups` (`securityGroupIds` / `securityGroupNames`, or the
 * owner's `default` group when none): the deployment joins them, and its start sends the VM's
 * rules to its host (`SecurityGroupEnforcer.applyForVm`). `start: false` leaves it Stopped.
 */
export async function deployMember(t: SgCloud, caller: CallContext, groups: SecurityGroupJoinRequest = {}, options: { name?: string; start?: boolean; account?: string; domainId?: string } = {}): Promise<VmView> {
  return t.cloud.as(caller).vms.deploy({
    zoneId: t.zone.id,
    templateId: t.template.id,
    serviceOfferingId: t.offering.id,
    startVm: options.start !== false,
    ...(groups.securityGroupIds === undefined ? {} : { securityGroupIds: [...groups.securityGroupIds] }),
    ...(groups.securityGroupNames === undefined ? {} : { securityGroupNames: [...groups.securityGroupNames] }),
    ...(options.name === undefined ? {} : { name: options.name }),
    ...(options.account === undefined ? {} : { account: options.account }),
    ...(options.domainId === undefined ? {} : { domainId: options.domainId }),
  });
}

/** Starts a VM; the start sends its rules and refreshes its peers'. */
export async function startMember(t: SgCloud, caller: CallContext, vmId: string): Promise<VmView> {
  return t.cloud.as(caller).vms.start({ id: vmId });
}

/** Stops a VM; the stop refreshes the rules that named its address. */
export async function stopMember(t: SgCloud, caller: CallContext, vmId: string): Promise<VmView> {
  return t.cloud.as(caller).vms.stop({ id: vmId });
}

/** The rule set the VM's host enforces for it now (undefined when none: stopped, or never applied). */
export function enforced(t: SgCloud, vm: Pick<VmView, 'instanceName'>) {
  const host = t.sim.lab.hostOfVm(vm.instanceName);
  return host === undefined ? undefined : t.sim.lab.securityGroupRules(host.name, vm.instanceName)?.rules;
}

/** A running VM's default guest address as a `/32` block. */
export function slash32(vm: VmView): string {
  const ip = vm.nics[0]?.ipAddress;
  if (ip === undefined) throw new Error(`VM ${vm.name} has no address`);
  return `${ip}/32`;
}

/**
 * What the store holds, to compare before and after a refused call: the memory store's raw
 * content; on another store the security-group tables, VMs, NICs and events.
 */
export async function sgFootprint(cloud: Cloud): Promise<string> {
  if (cloud.store instanceof MemoryStore) return cloud.store.rawContent();
  return cloud.store.transaction(async (tx) =>
    JSON.stringify({
      groups: (await tx.repo('securityGroups').find()).items,
      rules: (await tx.repo('securityGroupRules').find()).items,
      members: (await tx.repo('securityGroupMembers').find()).items,
      syncs: (await tx.repo('securityGroupVmSyncs').find()).items,
      vms: (await tx.repo('vms').find()).items,
      events: await tx.repo('events').count(),
    }),
  );
}
