import { inject, injectable } from 'tsyringe';
import { ConfigReader } from '../config/config-reader.js';
import type { CallContext } from '../context/call-context.js';
import { isoNow, type Clock } from '../contracts/clock.js';
import type { RandomSource } from '../contracts/random.js';
import type {
  SecondaryStorageDriver,
  StorageDrivers,
  TemplateDiskSource,
  TemplateDownloadStatus,
  TemplateImageSpec,
} from '../contracts/storage.js';
import type { Store, Transaction } from '../contracts/store.js';
import { resourceUnavailable, toCloudError } from '../errors.js';
import type { ImageStore } from '../model/image-store.js';
import type { Job } from '../model/job.js';
import { assertTransition } from '../model/state-machine.js';
import { DOWNLOAD_TRANSITIONS, type DownloadState, type TemplateCopy } from '../model/template-copy.js';
import type { Template } from '../model/template.js';
import { TOKENS, type Logger } from '../tokens.js';
import { callDriver } from './driver-call.js';
import { UsageRecorder } from './usage-recorder.js';
import { EventRecorder } from './event-recorder.js';
import { JobRunner } from './job-runner.js';
import { imageStoreSpec, installPathOf, templateDriver } from './template-stores.js';

/** Where a copy ended up, as a download or copy job's result. */
export interface CopyOutcome {
  /** The copy. */
  readonly copyId: string;
  /** The zone it is in. */
  readonly zoneId: string;
  /** Its final download state. */
  readonly state: DownloadState;
  /** Its size in bytes. */
  readonly sizeBytes: number;
}

/** The driver call a copy job makes: a download, a copy between stores, or a private template from a disk. */
type CopyOperation = 'downloadTemplate' | 'copyTemplate' | 'createTemplateFromDisk';

/** How a job moves a copy from `NOT_DOWNLOADED` on: a download from the URL or a copy from another store. */
type Starter = (driver: SecondaryStorageDriver, spec: TemplateImageSpec, template: Template) => Promise<TemplateDownloadStatus>;

/** What the driving loop needs, read in one transaction. */
interface DriveContext {
  readonly copy: TemplateCopy;
  readonly template: Template;
  readonly store: ImageStore;
  readonly callTimeoutMs: number;
  readonly overallMs: number;
  readonly maxSizeBytes: number;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Moves template copies on secondary storage through their download states (rules of the
 * house 3 and 7): callers record the copy rows and submit the job in their own transaction;
 * the job asks the driver outside any transaction, each call with the `wait` timeout, polls
 * the device's status until it is done or `secstorage.cmd.execution.time.max` has passed, and
 * records the outcome. A copy that is abandoned meanwhile (its template deleted) is left alone.
 */
@injectable()
export class TemplateDownloads {
  constructor(
    @inject(TOKENS.Store) private readonly store: Store,
    @inject(TOKENS.Clock) private readonly clock: Clock,
    @inject(TOKENS.Random) private readonly random: RandomSource,
    @inject(TOKENS.Storage) private readonly storage: StorageDrivers,
    @inject(TOKENS.Logger) private readonly logger: Logger,
    @inject(ConfigReader) private readonly config: ConfigReader,
    @inject(EventRecorder) private readonly events: EventRecorder,
    @inject(JobRunner) private readonly jobs: JobRunner,
    @inject(UsageRecorder) private readonly usage: UsageRecorder,
  ) {}

  /**
   * Inside `tx`: records a `NOT_DOWNLOADED` copy of `template` on each store and submits one
   * download job per copy, started once `tx` commits.
   */
  async startDownloads(tx: Transaction, caller: CallContext, template: Template, stores: readonly ImageStore[]): Promise<TemplateCopy[]> {
    templateDriver(this.storage, 'downloadTemplate', 'zoneid');
    const copies: TemplateCopy[] = [];
    for (const store of stores) {
      copies.push(
        await this.recordCopy(tx, caller, template, store, 'downloadTemplate', (driver, spec, t) => {
          if (driver.downloadTemplate === undefined) throw resourceUnavailable('The secondary storage driver cannot download templates', { param: 'url' });
          return this.maxSize().then((maxSizeBytes) =>
            (driver.downloadTemplate as NonNullable<SecondaryStorageDriver['downloadTemplate']>)({
              ...spec,
              url: t.url,
              ...(t.checksum === undefined ? {} : { checksum: t.checksum }),
              maxSizeBytes,
            }),
          );
        }),
      );
    }
    return copies;
  }

  /**
   * Inside `tx`: records a `NOT_DOWNLOADED` copy on `target` and submits the job that copies
   * the image there from `source` (a `DOWNLOADED` copy on another zone's store).
   */
  async startCopy(tx: Transaction, caller: CallContext, template: Template, source: TemplateCopy, sourceStore: ImageStore, target: ImageStore): Promise<TemplateCopy> {
    templateDriver(this.storage, 'copyTemplate', 'destzoneid');
    return this.recordCopy(tx, caller, template, target, 'copyTemplate', (driver, spec, t) => {
      if (driver.copyTemplate === undefined) throw resourceUnavailable('The secondary storage driver cannot copy templates', { param: 'destzoneid' });
      return driver.copyTemplate({
        ...spec,
        source: imageStoreSpec(sourceStore),
        sourceInstallPath: source.installPath,
        ...(t.checksum === undefined ? {} : { checksum: t.checksum }),
      });
    });
  }

  /**
   * Inside `tx`: records a `NOT_DOWNLOADED` copy of a private template on `target` and submits
   * the job that writes its image there from `source` (a snapshot or a stopped VM's volume),
   * polled like a download. The caller has checked the driver declares `createTemplateFromDisk`.
   */
  async startFromDisk(tx: Transaction, caller: CallContext, template: Template, target: ImageStore, source: TemplateDiskSource, sizeBytes: number): Promise<TemplateCopy> {
    return this.recordCopy(tx, caller, template, target, 'createTemplateFromDisk', (driver, spec) => {
      if (driver.createTemplateFromDisk === undefined) throw resourceUnavailable('The secondary storage driver cannot create templates from disks', { param: source.kind === 'snapshot' ? 'snapshotid' : 'volumeid' });
      return driver.createTemplateFromDisk({ ...spec, source, sizeBytes });
    });
  }

  /**
   * Inside `tx`: abandons `copies` (a running download stops recording) and submits the job that
   * removes their images from the stores and then their rows — and the template's row too when
   * `removeTemplate`. Returns the job.
   */
  async startRemoval(tx: Transaction, caller: CallContext, template: Template, copies: readonly TemplateCopy[], removeTemplate: boolean): Promise<Job> {
    const now = isoNow(this.clock);
    const abandoned: TemplateCopy[] = [];
    for (const copy of copies) {
      // Template storage ends for a copy that had landed (4.1's TEMPLATE.DELETE per zone); ISOs have no such usage type here.
      if (copy.state === 'DOWNLOADED' && template.format !== 'ISO') await this.usage.template(tx, 'TEMPLATE.DELETE', template, copy.zoneId, copy.sizeBytes);
      abandoned.push(copy.state === 'ABANDONED' ? copy : await tx.repo('templateCopies').update({ ...copy, state: 'ABANDONED', updatedAt: now }));
    }
    const copyIds = abandoned.map((c) => c.id);
    return this.jobs.submit(
      caller,
      { command: template.format === 'ISO' ? 'deleteIso' : 'deleteTemplate', instanceType: template.format === 'ISO' ? 'Iso' : 'Template', instanceId: template.id },
      async () => this.removeImages(template, copyIds, removeTemplate),
      tx,
    );
  }

  private async maxSize(): Promise<number> {
    return (await this.config.number('max.template.iso.size')) * 1024 ** 3;
  }

  private async recordCopy(tx: Transaction, caller: CallContext, template: Template, store: ImageStore, operation: CopyOperation, start: Starter): Promise<TemplateCopy> {
    const copyId = this.random.uuid();
    const iso = template.format === 'ISO';
    const job = await this.jobs.submit(
      caller,
      { command: operation === 'createTemplateFromDisk' ? 'createTemplate' : operation === 'downloadTemplate' ? (iso ? 'registerIso' : 'registerTemplate') : iso ? 'copyIso' : 'copyTemplate', instanceType: iso ? 'Iso' : 'Template', instanceId: template.id },
      async (progress) => this.drive(caller, copyId, operation, start, progress),
      tx,
    );
    const now = isoNow(this.clock);
    return tx.repo('templateCopies').insert({
      id: copyId,
      templateId: template.id,
      zoneId: store.zoneId ?? '',
      imageStoreId: store.id,
      state: 'NOT_DOWNLOADED',
      percent: 0,
      sizeBytes: 0,
      physicalSizeBytes: 0,
      installPath: installPathOf(template.accountId, template.id),
      jobId: job.id,
      createdAt: now,
      updatedAt: now,
    });
  }

  /** Reads what the loop needs and records `DOWNLOAD_IN_PROGRESS`; undefined when the copy was abandoned. */
  private async begin(copyId: string): Promise<DriveContext | undefined> {
    return this.store.transaction(async (tx) => {
      const copy = await tx.repo('templateCopies').get(copyId);
      if (copy === undefined || copy.state === 'ABANDONED') return undefined;
      const template = await tx.repo('templates').get(copy.templateId);
      const store = await tx.repo('imageStores').get(copy.imageStoreId);
      if (template === undefined || template.state !== 'Active' || store === undefined) return undefined;
      assertTransition(DOWNLOAD_TRANSITIONS, 'Template copy', copy.state, 'DOWNLOAD_IN_PROGRESS');
      const started = await tx.repo('templateCopies').update({ ...copy, state: 'DOWNLOAD_IN_PROGRESS', errorText: undefined, updatedAt: isoNow(this.clock) });
      return {
        copy: started,
        template,
        store,
        callTimeoutMs: (await this.config.number('wait', {}, tx)) * 1000,
        overallMs: (await this.config.number('secstorage.cmd.execution.time.max', {}, tx)) * 60_000,
        maxSizeBytes: (await this.config.number('max.template.iso.size', {}, tx)) * 1024 ** 3,
      };
    });
  }

  private async drive(
    caller: CallContext,
    copyId: string,
    operation: CopyOperation,
    start: Starter,
    progress: (percent: number) => Promise<void>,
  ): Promise<CopyOutcome | undefined> {
    const context = await this.begin(copyId);
    if (context === undefined) return undefined;
    const { template, store } = context;
    const verb = operation === 'downloadTemplate' ? 'download' : operation === 'copyTemplate' ? 'copy' : 'create';
    const what = `${verb} ${template.format === 'ISO' ? 'ISO' : 'template'} ${template.name} to ${store.url}`;
    const spec: TemplateImageSpec = { store: imageStoreSpec(store), templateId: template.id, installPath: context.copy.installPath, format: template.format };
    try {
      const driver = templateDriver(this.storage, operation, operation === 'downloadTemplate' ? 'url' : operation === 'copyTemplate' ? 'destzoneid' : 'id');
      const ask = (call: () => Promise<TemplateDownloadStatus>) => callDriver({ operation: what, timeoutMs: context.callTimeoutMs, param: 'url' }, call);
      let status = await ask(() => start(driver, spec, template));
      let waited = 0;
      while (status.state === 'DOWNLOAD_IN_PROGRESS') {
        if (!(await this.recordProgress(copyId, status))) return undefined;
        await progress(status.percent);
        if (waited >= context.overallMs) {
          throw resourceUnavailable(`Unable to ${what}: not finished after ${context.overallMs / 60_000} minutes (secstorage.cmd.execution.time.max)`, { param: 'url' });
        }
        const pause = Math.max(1, status.retryAfterMs ?? 1000);
        await sleep(pause);
        waited += pause;
        if (driver.templateStatus === undefined) throw resourceUnavailable('The secondary storage driver reports no download status', { param: 'url' });
        const poll = driver.templateStatus.bind(driver);
        status = await ask(() => poll(spec));
      }
      if (status.state === 'DOWNLOAD_ERROR') {
        throw resourceUnavailable(`Unable to ${what}: ${status.error ?? 'the device reported an error'}`, { param: 'url' });
      }
      if ((status.sizeBytes ?? 0) > context.maxSizeBytes) {
        throw resourceUnavailable(`Unable to ${what}: ${status.sizeBytes} bytes exceed max.template.iso.size`, { param: 'url' });
      }
      return await this.finish(caller, copyId, status);
    } catch (error) {
      const failure = toCloudError(error);
      await this.fail(caller, copyId, failure.message);
      throw failure;
    }
  }

  /** Records progress; false when the copy was abandoned meanwhile (stop driving it). */
  private async recordProgress(copyId: string, status: TemplateDownloadStatus): Promise<boolean> {
    return this.store.transaction(async (tx) => {
      const copy = await tx.repo('templateCopies').get(copyId);
      if (copy === undefined || copy.state !== 'DOWNLOAD_IN_PROGRESS') return false;
      const percent = Math.max(0, Math.min(100, Math.round(status.percent)));
      if (percent !== copy.percent) await tx.repo('templateCopies').update({ ...copy, percent, updatedAt: isoNow(this.clock) });
      return true;
    });
  }

  private async finish(caller: CallContext, copyId: string, status: TemplateDownloadStatus): Promise<CopyOutcome | undefined> {
    return this.store.transaction(async (tx) => {
      const copy = await tx.repo('templateCopies').get(copyId);
      if (copy === undefined || copy.state !== 'DOWNLOAD_IN_PROGRESS') return undefined;
      const done = await tx.repo('templateCopies').update({
        ...copy,
        state: 'DOWNLOADED',
        percent: 100,
        sizeBytes: status.sizeBytes ?? 0,
        physicalSizeBytes: status.physicalSizeBytes ?? status.sizeBytes ?? 0,
        installPath: status.installPath ?? copy.installPath,
        errorText: undefined,
        updatedAt: isoNow(this.clock),
      });
      const template = await tx.repo('templates').get(copy.templateId);
      // Template storage starts in this zone (4.1's TEMPLATE.CREATE usage event, with the size).
      if (template !== undefined && template.format !== 'ISO') await this.usage.template(tx, 'TEMPLATE.CREATE', template, done.zoneId, done.sizeBytes);
      await this.events.record(tx, caller, {
        type: template?.format === 'ISO' ? 'ISO.CREATE' : 'TEMPLATE.CREATE',
        description: `Downloaded ${template?.name ?? copy.templateId} to zone ${copy.zoneId}`,
        resourceType: template?.format === 'ISO' ? 'Iso' : 'Template',
        resourceId: copy.templateId,
        ...(template === undefined ? {} : { accountId: template.accountId, domainId: template.domainId }),
      });
      return { copyId, zoneId: done.zoneId, state: done.state, sizeBytes: done.sizeBytes };
    });
  }

  private async fail(caller: CallContext, copyId: string, message: string): Promise<void> {
    await this.store.transaction(async (tx) => {
      const copy = await tx.repo('templateCopies').get(copyId);
      if (copy === undefined || copy.state === 'ABANDONED' || copy.state === 'DOWNLOADED') return;
      await tx.repo('templateCopies').update({ ...copy, state: 'DOWNLOAD_ERROR', errorText: message, updatedAt: isoNow(this.clock) });
      const template = await tx.repo('templates').get(copy.templateId);
      await this.events.record(tx, caller, {
        type: template?.format === 'ISO' ? 'ISO.CREATE' : 'TEMPLATE.CREATE',
        level: 'ERROR',
        description: message,
        resourceType: template?.format === 'ISO' ? 'Iso' : 'Template',
        resourceId: copy.templateId,
        ...(template === undefined ? {} : { accountId: template.accountId, domainId: template.domainId }),
      });
    });
  }

  /** The removal job: images off the stores (failures logged, never fatal), then the rows. */
  private async removeImages(template: Template, copyIds: readonly string[], removeTemplate: boolean): Promise<{ removedCopies: number; failedStores: string[] }> {
    const targets = await this.store.transaction(async (tx) => {
      const found: { copy: TemplateCopy; store: ImageStore | undefined }[] = [];
      for (const id of copyIds) {
        const copy = await tx.repo('templateCopies').get(id);
        if (copy !== undefined) found.push({ copy, store: await tx.repo('imageStores').get(copy.imageStoreId) });
      }
      return { found, timeoutMs: (await this.config.number('wait', {}, tx)) * 1000 };
    });
    const driver = this.storage.secondary;
    const failedStores: string[] = [];
    for (const { copy, store } of targets.found) {
      if (store === undefined || driver?.capabilities?.has('deleteTemplate') !== true || driver.deleteTemplate === undefined) continue;
      const remove = driver.deleteTemplate.bind(driver);
      try {
        await callDriver({ operation: `delete ${template.name} from ${store.url}`, timeoutMs: targets.timeoutMs, param: 'id' }, () =>
          remove({ store: imageStoreSpec(store), templateId: template.id, installPath: copy.installPath, format: template.format }),
        );
      } catch (error) {
        failedStores.push(store.url);
        this.logger.warn('Deleting a template image from secondary storage failed', { templateId: template.id, store: store.url, error: toCloudError(error).message });
      }
    }
    await this.store.transaction(async (tx) => {
      for (const { copy } of targets.found) await tx.repo('templateCopies').delete(copy.id);
      if (removeTemplate) {
        const current = await tx.repo('templates').get(template.id);
        if (current !== undefined && current.state === 'Deleting' && (await tx.repo('templateCopies').count({ templateId: template.id })) === 0) {
          await tx.repo('templates').delete(template.id);
        }
      }
    });
    return { removedCopies: targets.found.length, failedStores };
  }
}
