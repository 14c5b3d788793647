import { inject, injectable } from 'tsyringe';
import { z } from 'zod';
import { ConfigReader } from '../config/config-reader.js';
import { isAdmin, type CallContext } from '../context/call-context.js';
import { isoNow, type Clock } from '../contracts/clock.js';
import type { RandomSource } from '../contracts/random.js';
import type { StorageDrivers, TemplateDiskSource, TemplateFormat } from '../contracts/storage.js';
import type { Store, Transaction } from '../contracts/store.js';
import { internalError, invalidParameter, notFound, permissionDenied, resourceUnavailable } from '../errors.js';
import type { Job } from '../model/job.js';
import type { StoragePool } from '../model/storage-pool.js';
import type { Template } from '../model/template.js';
import { TOKENS } from '../tokens.js';
import { EventRecorder } from './event-recorder.js';
import { ResourceLimitService } from './resource-limits.js';
import { mayFeature } from './template-access.js';
import { TemplateDownloads } from './template-downloads.js';
import { zoneStores } from './template-stores.js';
import { templateRows, type TemplateView } from './template-views.js';
import { validate } from './validate.js';
import { Visibility } from './visibility.js';
import { poolSpecOf } from './storage-protocols.js';

/**
 * Input of `templates.create` (4.1's `createTemplate`): a private template from a backed-up
 * snapshot (`snapshotId`) or from the ROOT volume of a stopped VM (`volumeId`) — exactly one.
 */
export const CreateTemplateInput = z.object({
  name: z.string().trim().min(1).max(255),
  displayText: z.string().trim().min(1).max(4096),
  /** Guest OS type of the new template. */
  osTypeId: z.string().min(1),
  /** A `BackedUp` snapshot the caller may see. */
  snapshotId: z.string().min(1).optional(),
  /** The ROOT volume of a stopped VM the caller may see. */
  volumeId: z.string().min(1).optional(),
  isPublic: z.boolean().default(false),
  /** Root and domain admins only. */
  isFeatured: z.boolean().default(false),
  isExtractable: z.boolean().default(false),
  passwordEnabled: z.boolean().default(false),
  sshKeyEnabled: z.boolean().default(false),
});
/** Input of `templates.create`. */
export type CreateTemplateInput = z.input<typeof CreateTemplateInput>;

/** What `templates.create` returns: the new template's row and the job writing its image. */
export interface TemplateFromDiskResult {
  /** The template as `listTemplates` shows it: its copy `NOT_DOWNLOADED` until the job lands it. */
  readonly template: TemplateView;
  /** The job writing the image to the zone's secondary storage (wait on it for the template to be ready). */
  readonly job: Job;
}

/** The source disk as the creation reads it in its first transaction. */
interface ResolvedSource {
  readonly zoneId: string;
  readonly sizeBytes: number;
  readonly pool: StoragePool;
  readonly disk: TemplateDiskSource;
  /** The template the disk was deployed from, when still known (its format is kept). */
  readonly origin?: Template;
  readonly param: 'snapshotid' | 'volumeid';
  readonly label: string;
}

/**
 * Private templates made from disks (4.1's `createTemplate` with `snapshotid` or `volumeid`),
 * by rule 3 of the house: one transaction checks the source (a `BackedUp` snapshot, or the
 * `Ready` ROOT volume of a `Stopped` VM, either visible to the caller), the OS type, the
 * flags and the zone's secondary storage, reserves one of the caller's `template` limit (532)
 * and records the template (owned by the caller) with a `NOT_DOWNLOADED` copy on the zone's
 * store and the job that writes the image there through the secondary-storage driver's
 * `createTemplateFromDisk`. The job then polls and records the copy like a download; once
 * `DOWNLOADED` the template deploys like any other. A refusal leaves nothing behind.
 */
@injectable()
export class TemplateFromDisk {
  constructor(
    @inject(TOKENS.Store) private readonly store: Store,
    @inject(TOKENS.Clock) private readonly clock: Clock,
    @inject(TOKENS.Random) private readonly random: RandomSource,
    @inject(TOKENS.Storage) private readonly storage: StorageDrivers,
    @inject(ConfigReader) private readonly config: ConfigReader,
    @inject(EventRecorder) private readonly events: EventRecorder,
    @inject(Visibility) private readonly visibility: Visibility,
    @inject(ResourceLimitService) private readonly limits: ResourceLimitService,
    @inject(TemplateDownloads) private readonly downloads: TemplateDownloads,
  ) {}

  /**
   * Creates the template and starts writing its image; returns it as `listTemplates` shows it
   * (not ready yet) and the job writing the image, which ends when the copy is `DOWNLOADED`
   * (or fails with the driver's error, the copy then `DOWNLOAD_ERROR`).
   */
  async create(caller: CallContext, input: CreateTemplateInput): Promise<TemplateFromDiskResult> {
    const spec = validate(CreateTemplateInput, input);
    if (spec.snapshotId === undefined && spec.volumeId === undefined) throw invalidParameter('snapshotid', 'either snapshotid or volumeid must be given');
    if (spec.snapshotId !== undefined && spec.volumeId !== undefined) throw invalidParameter('volumeid', 'give snapshotid or volumeid, not both');
    if (spec.isFeatured && !mayFeature(caller)) throw permissionDenied('Only a root or domain admin may create a featured template', 'isfeatured');
    return this.store.transaction(async (tx) => {
      if (spec.isPublic && !isAdmin(caller) && !(await this.config.flag('allow.public.user.templates', {}, tx))) {
        throw invalidParameter('ispublic', 'only private templates can be created (allow.public.user.templates is false)');
      }
      const source = spec.snapshotId !== undefined ? await this.fromSnapshot(tx, caller, spec.snapshotId) : await this.fromVolume(tx, caller, spec.volumeId ?? '');
      if ((await tx.repo('osTypes').get(spec.osTypeId)) === undefined) throw notFound('OS type', 'ostypeid', spec.osTypeId);
      const driver = this.storage.secondary;
      if (driver === undefined || driver.capabilities?.has('createTemplateFromDisk') !== true) {
        throw resourceUnavailable('The secondary storage driver cannot create templates from snapshots or volumes', { param: source.param });
      }
      const target = (await zoneStores(tx, source.zoneId))[0];
      if (target === undefined) throw resourceUnavailable(`No secondary storage is up in zone ${source.zoneId} to hold the template`, { param: source.param });
      await this.limits.reserve(tx, caller.accountId, 'template');
      const template = await tx.repo('templates').insert({
        id: this.random.uuid(),
        name: spec.name,
        displayText: spec.displayText,
        url: '',
        format: templateFormatOf(source),
        hypervisor: source.pool.hypervisorType,
        osTypeId: spec.osTypeId,
        bootable: true,
        isPublic: spec.isPublic,
        isFeatured: spec.isFeatured,
        isExtractable: spec.isExtractable,
        passwordEnabled: spec.passwordEnabled,
        sshKeyEnabled: spec.sshKeyEnabled,
        crossZones: false,
        templateType: 'USER',
        accountId: caller.accountId,
        domainId: caller.domainId,
        state: 'Active',
        createdAt: isoNow(this.clock),
      });
      const copy = await this.downloads.startFromDisk(tx, caller, template, target, source.disk, source.sizeBytes);
      await this.events.record(tx, caller, {
        type: 'TEMPLATE.CREATE',
        state: 'Scheduled',
        description: `Creating template ${template.name} from ${source.label}`,
        resourceType: 'Template',
        resourceId: template.id,
        accountId: template.accountId,
        domainId: template.domainId,
      });
      const job = copy.jobId === undefined ? undefined : await tx.repo('jobs').get(copy.jobId);
      if (job === undefined) throw internalError(`template ${template.name} was recorded without the job writing its image`);
      return { template: (await templateRows(tx, [template], [copy], { onlyReady: false }))[0] as TemplateView, job };
    });
  }

  private async fromSnapshot(tx: Transaction, caller: CallContext, id: string): Promise<ResolvedSource> {
    const snapshot = await tx.repo('snapshots').get(id);
    if (snapshot === undefined) throw notFound('snapshot', 'snapshotid', id);
    await this.visibility.assertCanAccess(tx, caller, snapshot, 'snapshot', 'snapshotid', id);
    if (snapshot.state !== 'BackedUp' || snapshot.path === undefined || snapshot.storageId === undefined) {
      throw invalidParameter('snapshotid', `snapshot ${snapshot.name} is ${snapshot.state}; only a BackedUp snapshot can become a template`);
    }
    const pool = await this.poolOf(tx, snapshot.storageId, 'snapshotid', `snapshot ${snapshot.name}`);
    const volume = await tx.repo('volumes').get(snapshot.volumeId);
    const origin = volume?.templateId === undefined ? undefined : await tx.repo('templates').get(volume.templateId);
    return {
      zoneId: snapshot.zoneId,
      sizeBytes: snapshot.volumeSize,
      pool,
      disk: { kind: 'snapshot', pool: await this.poolSpec(tx, pool), snapshotId: snapshot.id, path: snapshot.path },
      ...(origin === undefined ? {} : { origin }),
      param: 'snapshotid',
      label: `snapshot ${snapshot.name}`,
    };
  }

  private async fromVolume(tx: Transaction, caller: CallContext, id: string): Promise<ResolvedSource> {
    const volume = await tx.repo('volumes').get(id);
    if (volume === undefined || volume.state === 'Expunged') throw notFound('volume', 'volumeid', id);
    await this.visibility.assertCanAccess(tx, caller, volume, 'volume', 'volumeid', id);
    if (volume.type !== 'ROOT') throw invalidParameter('volumeid', `volume ${volume.name} is a data disk; a template is made from a ROOT volume`);
    if (volume.state !== 'Ready' || volume.storageId === undefined) throw invalidParameter('volumeid', `volume ${volume.name} is ${volume.state}; only a Ready volume on a pool can become a template`);
    const vm = volume.virtualMachineId === undefined ? undefined : await tx.repo('vms').get(volume.virtualMachineId);
    if (vm !== undefined && vm.state !== 'Stopped') throw invalidParameter('volumeid', `virtual machine ${vm.name} is ${vm.state}; stop it before creating a template from its ROOT volume`);
    const pool = await this.poolOf(tx, volume.storageId, 'volumeid', `volume ${volume.name}`);
    const origin = volume.templateId === undefined ? undefined : await tx.repo('templates').get(volume.templateId);
    return {
      zoneId: volume.zoneId,
      sizeBytes: volume.size,
      pool,
      disk: { kind: 'volume', pool: await this.poolSpec(tx, pool), volumeId: volume.id, ...(volume.path === undefined ? {} : { path: volume.path }) },
      ...(origin === undefined ? {} : { origin }),
      param: 'volumeid',
      label: `volume ${volume.name}`,
    };
  }

  private async poolOf(tx: Transaction, poolId: string, param: 'snapshotid' | 'volumeid', what: string): Promise<StoragePool> {
    const pool = await tx.repo('storagePools').get(poolId);
    if (pool === undefined) throw resourceUnavailable(`The primary storage of ${what} is gone`, { param });
    return pool;
  }

  private async poolSpec(tx: Transaction, pool: StoragePool) {
    const hosts = (await tx.repo('hosts').find({ where: { clusterId: pool.clusterId } })).items;
    return poolSpecOf(pool, hosts.map((h) => h.url));
  }
}

/** The new template's format: its origin template's disk format, else the raw disk's. */
function templateFormatOf(source: ResolvedSource): TemplateFormat {
  const format = source.origin?.format;
  return format === undefined || format === 'ISO' ? 'RAW' : format;
}
