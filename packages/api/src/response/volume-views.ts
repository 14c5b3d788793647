import { JobStatus, Role, type CallContext, type Cloud, type VolumeView } from '@cloudstack-sdk/core';
import type { ApiObject } from './api-value.js';
import type { DateFormatter } from './host-views.js';
import { NameLookup } from './name-lookup.js';
import { rowsById } from './rows-by-id.js';

/** What a `volume` object shows of the VM it is attached to. */
interface VmFacts {
  readonly name: string;
  readonly displayName: string;
  readonly state: string;
  readonly serviceOfferingId: string;
  readonly hypervisor: string;
}

/** What a `volume` object shows of an offering. */
interface OfferingFacts {
  readonly name: string;
  readonly displayText: string;
  readonly storageType: string;
}

/** What a `volume` object shows of its pool. */
interface PoolFacts {
  readonly name: string;
  readonly hypervisor: string;
}

/**
 * The names and facts a `volume` object carries beside ids (VM, offerings, pool, template,
 * zone, account, domain) and the async jobs pending on volumes, read once per reply from the
 * store (a caller who may see a volume may not list its pool or its VM's offering itself).
 */
export class VolumeLookup {
  /** Zone, account and domain names. */
  readonly names: NameLookup;
  private readonly vms = new Map<string, Promise<VmFacts | undefined>>();
  private readonly diskOfferings = new Map<string, Promise<OfferingFacts | undefined>>();
  private readonly serviceOfferings = new Map<string, Promise<OfferingFacts | undefined>>();
  private readonly pools = new Map<string, Promise<PoolFacts | undefined>>();
  private readonly templates = new Map<string, Promise<boolean | undefined>>();

  constructor(private readonly cloud: Cloud) {
    this.names = new NameLookup(cloud.system);
  }

  /**
   * Reads what a page of volumes references — VMs and their service offerings, disk offerings,
   * pools, templates, accounts and domains — in one store transaction with one query per
   * aggregate, so that the per-row lookups of {@link volumeView} find it without a transaction
   * each. Ids that name nothing read as undefined, as they would one by one.
   */
  async preload(volumes: readonly VolumeView[]): Promise<void> {
    if (volumes.length === 0) return;
    const rows = await this.cloud.store.transaction(async (tx) => {
      const vms = await rowsById(tx, 'vms', volumes.map((v) => v.virtualMachineId));
      return {
        vms,
        serviceOfferings: await rowsById(tx, 'serviceOfferings', [...vms.values()].map((vm) => vm.serviceOfferingId)),
        diskOfferings: await rowsById(tx, 'diskOfferings', volumes.map((v) => v.diskOfferingId)),
        pools: await rowsById(tx, 'storagePools', volumes.map((v) => v.storageId)),
        templates: await rowsById(tx, 'templates', volumes.map((v) => v.templateId)),
        accounts: await rowsById(tx, 'accounts', volumes.map((v) => v.accountId)),
        domains: await rowsById(tx, 'domains', volumes.map((v) => v.domainId)),
      };
    });
    for (const volume of volumes) {
      if (volume.virtualMachineId !== undefined) {
        const vm = rows.vms.get(volume.virtualMachineId);
        this.vms.set(volume.virtualMachineId, Promise.resolve(vm === undefined ? undefined : { name: vm.name, displayName: vm.displayName, state: vm.state, serviceOfferingId: vm.serviceOfferingId, hypervisor: vm.hypervisorType }));
        if (vm !== undefined) {
          const offering = rows.serviceOfferings.get(vm.serviceOfferingId);
          this.serviceOfferings.set(vm.serviceOfferingId, Promise.resolve(offering === undefined ? undefined : { name: offering.name, displayText: offering.displayText, storageType: offering.storageType }));
        }
      }
      if (volume.diskOfferingId !== undefined) {
        const offering = rows.diskOfferings.get(volume.diskOfferingId);
        this.diskOfferings.set(volume.diskOfferingId, Promise.resolve(offering === undefined ? undefined : { name: offering.name, displayText: offering.displayText, storageType: offering.storageType }));
      }
      if (volume.storageId !== undefined) {
        const pool = rows.pools.get(volume.storageId);
        this.pools.set(volume.storageId, Promise.resolve(pool === undefined ? undefined : { name: pool.name, hypervisor: pool.hypervisorType }));
      }
      if (volume.templateId !== undefined) this.templates.set(volume.templateId, Promise.resolve(rows.templates.get(volume.templateId)?.isExtractable));
    }
    this.names.remember(rows.accounts.values(), rows.domains.values());
  }

  /** The VM a volume is attached to, or undefined. */
  vm(id: string): Promise<VmFacts | undefined> {
    return cached(this.vms, id, () =>
      this.cloud.store.transaction(async (tx) => {
        const vm = await tx.repo('vms').get(id);
        return vm === undefined ? undefined : { name: vm.name, displayName: vm.displayName, state: vm.state, serviceOfferingId: vm.serviceOfferingId, hypervisor: vm.hypervisorType };
      }),
    );
  }

  /** A disk offering's name, display text and storage type, or undefined. */
  diskOffering(id: string): Promise<OfferingFacts | undefined> {
    return cached(this.diskOfferings, id, () =>
      this.cloud.store.transaction(async (tx) => {
        const offering = await tx.repo('diskOfferings').get(id);
        return offering === undefined ? undefined : { name: offering.name, displayText: offering.displayText, storageType: offering.storageType };
      }),
    );
  }

  /** A service offering's name, display text and storage type, or undefined. */
  serviceOffering(id: string): Promise<OfferingFacts | undefined> {
    return cached(this.serviceOfferings, id, () =>
      this.cloud.store.transaction(async (tx) => {
        const offering = await tx.repo('serviceOfferings').get(id);
        return offering === undefined ? undefined : { name: offering.name, displayText: offering.displayText, storageType: offering.storageType };
      }),
    );
  }

  /** A primary storage pool's name and hypervisor, or undefined. */
  pool(id: string): Promise<PoolFacts | undefined> {
    return cached(this.pools, id, () =>
      this.cloud.store.transaction(async (tx) => {
        const pool = await tx.repo('storagePools').get(id);
        return pool === undefined ? undefined : { name: pool.name, hypervisor: pool.hypervisorType };
      }),
    );
  }

  /** Whether a template may be extracted, or undefined when it is gone. */
  templateExtractable(id: string): Promise<boolean | undefined> {
    return cached(this.templates, id, () => this.cloud.store.transaction(async (tx) => (await tx.repo('templates').get(id))?.isExtractable));
  }

  /** The pending async job acting on each of the given volumes (reference §2.2: items carry `jobid`/`jobstatus`). */
  async pendingJobs(volumeIds: readonly string[]): Promise<ReadonlyMap<string, string>> {
    if (volumeIds.length === 0) return new Map();
    const jobs = await this.cloud.store.transaction((tx) => tx.repo('jobs').find({ where: { status: JobStatus.Pending, instanceType: 'Volume', instanceId: { in: [...volumeIds] } } }));
    const pending = new Map<string, string>();
    for (const job of jobs.items) if (job.instanceId !== undefined) pending.set(job.instanceId, job.id);
    return pending;
  }
}

function cached<T>(cache: Map<string, Promise<T>>, id: string, load: () => Promise<T>): Promise<T> {
  let found = cache.get(id);
  if (found === undefined) {
    found = load();
    cache.set(id, found);
  }
  return found;
}

/** 4.1 shows a volume's hypervisor and pool only to root and resource-domain admins. */
function seesStorage(caller: CallContext): boolean {
  return caller.role === Role.RootAdmin || caller.role === Role.ResourceDomainAdmin;
}

/**
 * A volume as 4.1's `VolumeResponse` shows it (reference §5 `volume`), in its field order. As
 * in 4.1, a ROOT volume names its VM's service offering (`serviceofferingid`/`name`/
 * `displaytext`) and a data disk its disk offering; `storagetype` comes from that offering;
 * `hypervisor` and `storage` (the pool's name, `none` before the volume is placed) are shown to
 * root and resource-domain admins only; `isextractable` is true for data disks and follows the
 * template for ROOT volumes. Projects, tags and upload `status` are not emitted: core has none.
 */
export async function volumeView(volume: VolumeView, lookup: VolumeLookup, caller: CallContext, formatDate: DateFormatter, pendingJobId?: string): Promise<ApiObject> {
  const vm = volume.virtualMachineId === undefined ? undefined : await lookup.vm(volume.virtualMachineId);
  const root = volume.type === 'ROOT';
  const serviceOfferingId = root ? vm?.serviceOfferingId : undefined;
  const serviceOffering = serviceOfferingId === undefined ? undefined : await lookup.serviceOffering(serviceOfferingId);
  const diskOffering = root || volume.diskOfferingId === undefined ? undefined : await lookup.diskOffering(volume.diskOfferingId);
  const pool = volume.storageId === undefined ? undefined : await lookup.pool(volume.storageId);
  const domain = await lookup.names.domain(volume.domainId);
  const admin = seesStorage(caller);
  const extractable = root && volume.templateId !== undefined ? ((await lookup.templateExtractable(volume.templateId)) ?? false) : true;
  return {
    id: volume.id,
    name: volume.name,
    zoneid: volume.zoneId,
    zonename: await lookup.names.zone(volume.zoneId),
    type: volume.type,
    deviceid: volume.deviceId,
    virtualmachineid: volume.virtualMachineId,
    vmname: vm?.name,
    vmdisplayname: vm?.displayName,
    vmstate: vm?.state,
    size: volume.size,
    created: formatDate(volume.created),
    state: volume.state,
    account: await lookup.names.account(volume.accountId),
    domainid: volume.domainId,
    domain: domain?.name,
    storagetype: (serviceOffering ?? diskOffering)?.storageType,
    hypervisor: admin ? (vm?.hypervisor ?? pool?.hypervisor) : undefined,
    diskofferingid: root ? undefined : volume.diskOfferingId,
    diskofferingname: diskOffering?.name,
    diskofferingdisplaytext: diskOffering?.displayText,
    storage: admin ? (pool?.name ?? 'none') : undefined,
    snapshotid: volume.snapshotId,
    attached: volume.attached === undefined || volume.virtualMachineId === undefined ? undefined : formatDate(volume.attached),
    destroyed: volume.destroyed,
    serviceofferingid: serviceOfferingId,
    serviceofferingname: serviceOffering?.name,
    serviceofferingdisplaytext: serviceOffering?.displayText,
    isextractable: extractable,
    jobid: pendingJobId,
    jobstatus: pendingJobId === undefined ? undefined : JobStatus.Pending,
  };
}

/** Views of a page of volumes (what they reference read once for the page), each with the job pending on it, if any. */
export async function volumeViews(volumes: readonly VolumeView[], lookup: VolumeLookup, caller: CallContext, formatDate: DateFormatter): Promise<ApiObject[]> {
  await lookup.preload(volumes);
  const pending = await lookup.pendingJobs(volumes.map((v) => v.id));
  const rows: ApiObject[] = [];
  for (const volume of volumes) rows.push(await volumeView(volume, lookup, caller, formatDate, pending.get(volume.id)));
  return rows;
}
