import { inject, injectable } from 'tsyringe';
import { z } from 'zod';
import { ConfigReader } from '../config/config-reader.js';
import { requireRootAdmin } from '../context/authorize.js';
import type { CallContext } from '../context/call-context.js';
import { isoNow, type Clock } from '../contracts/clock.js';
import type { RandomSource } from '../contracts/random.js';
import type { ImageStoreSpec, SecondaryStorageDriver, StorageCapacity, StorageDrivers } from '../contracts/storage.js';
import type { Store, Transaction } from '../contracts/store.js';
import { invalidParameter, notAllowed, notFound, resourceUnavailable, toCloudError } from '../errors.js';
import type { ImageStore } from '../model/image-store.js';
import type { SecretBox } from '../security/secret-box.js';
import { TOKENS, type Logger } from '../tokens.js';
import { callDriver } from './driver-call.js';
import { EventRecorder } from './event-recorder.js';
import { zoneOrFail } from './infrastructure-lookups.js';
import { validate } from './validate.js';

/** Input of {@link SecondaryStorageService.addSecondaryStorage}. */
export const AddSecondaryStorageInput = z.object({
  zoneId: z.string().min(1),
  /** `nfs://server/exported/path`. */
  url: z.string().regex(/^nfs:\/\/[^/\s]+\/\S*$/, 'must be nfs://server/path'),
});
/** Input of {@link SecondaryStorageService.addSecondaryStorage}. */
export type AddSecondaryStorageInput = z.input<typeof AddSecondaryStorageInput>;

/** Input of {@link SecondaryStorageService.addSwift}. */
export const AddSwiftInput = z.object({
  url: z.string().url(),
  account: z.string().min(1),
  username: z.string().min(1),
  /** Sealed before it is stored. */
  key: z.string().min(1),
});
/** Input of {@link SecondaryStorageService.addSwift}. */
export type AddSwiftInput = z.input<typeof AddSwiftInput>;

/** A store as callers see it: the Swift key stays sealed in the store. */
export type ImageStoreView = Omit<ImageStore, 'keySealed'>;

function storeView(store: ImageStore): ImageStoreView {
  const { keySealed: _sealed, ...view } = store;
  return view;
}

/**
 * Secondary storage (guide §2.7, §6.8): NFS per zone, and optionally Swift for the whole cloud.
 * With `swift.enable` on, Swift must be added before any zone's NFS store, since the NFS
 * stores stage data for it. Each store is checked and measured by the secondary-storage
 * driver, outside any transaction.
 */
@injectable()
export class SecondaryStorageService {
  constructor(
    @inject(TOKENS.Store) private readonly store: Store,
    @inject(TOKENS.Clock) private readonly clock: Clock,
    @inject(TOKENS.Random) private readonly random: RandomSource,
    @inject(TOKENS.Storage) private readonly storage: StorageDrivers,
    @inject(TOKENS.SecretBox) private readonly secrets: SecretBox,
    @inject(TOKENS.Logger) private readonly logger: Logger,
    @inject(ConfigReader) private readonly config: ConfigReader,
    @inject(EventRecorder) private readonly events: EventRecorder,
  ) {}

  /** Adds a zone's NFS secondary storage (root admin). */
  async addSecondaryStorage(caller: CallContext, input: AddSecondaryStorageInput): Promise<ImageStoreView> {
    requireRootAdmin(caller, 'add secondary storage');
    const spec = validate(AddSecondaryStorageInput, input);
    const driver = this.driverFor('NFS', 'url');
    return this.addStore(caller, driver, async (tx) => {
      const zone = await zoneOrFail(tx, spec.zoneId);
      if ((await this.config.flag('swift.enable', {}, tx)) && (await tx.repo('imageStores').count({ protocol: 'Swift' })) === 0) {
        throw invalidParameter('url', 'swift.enable is on: add the Swift store before any zone\'s NFS secondary storage');
      }
      return { name: spec.url, protocol: 'NFS', scope: 'Zone', zoneId: zone.id, url: spec.url };
    }, 'SECONDARY.STORAGE.ADD');
  }

  /** Adds the cloud-wide Swift store (root admin); needs `swift.enable`. */
  async addSwift(caller: CallContext, input: AddSwiftInput): Promise<ImageStoreView> {
    requireRootAdmin(caller, 'add Swift storage');
    const spec = validate(AddSwiftInput, input);
    const driver = this.driverFor('Swift', 'url');
    const keySealed = this.secrets.seal(spec.key);
    return this.addStore(caller, driver, async (tx) => {
      if (!(await this.config.flag('swift.enable', {}, tx))) throw notAllowed('Swift is not enabled: set swift.enable to true first', 'url');
      return { name: spec.url, protocol: 'Swift', scope: 'Region', url: spec.url, account: spec.account, username: spec.username, keySealed };
    }, 'SWIFT.ADD', spec.key);
  }

  /** Removes a store (root admin). */
  async delete(caller: CallContext, input: { id: string }): Promise<void> {
    requireRootAdmin(caller, 'delete secondary storage');
    const { id } = validate(z.object({ id: z.string().min(1) }), input);
    const removed = await this.store.transaction(async (tx) => {
      const store = await tx.repo('imageStores').get(id);
      if (store === undefined) throw notFound('secondary storage', 'id', id);
      await tx.repo('imageStores').delete(id, store.version);
      await this.events.record(tx, caller, { type: 'SECONDARY.STORAGE.DELETE', description: `Removed ${store.protocol} secondary storage ${store.url}`, resourceType: 'ImageStore', resourceId: id });
      return store;
    });
    try {
      await this.storage.secondary?.removeStore(this.specOf(removed));
    } catch (error) {
      this.logger.warn('Removing a secondary storage store on its device failed', { id, error: toCloudError(error).message });
    }
  }

  /** Stores, optionally of one zone or protocol (root admin). */
  async list(caller: CallContext, input: { zoneId?: string; protocol?: 'NFS' | 'Swift' } = {}): Promise<ImageStoreView[]> {
    requireRootAdmin(caller, 'list secondary storage');
    const q = validate(z.object({ zoneId: z.string().optional(), protocol: z.enum(['NFS', 'Swift']).optional() }), input);
    return this.store.transaction(async (tx) =>
      (await tx.repo('imageStores').find({
        where: { ...(q.zoneId === undefined ? {} : { zoneId: q.zoneId }), ...(q.protocol === undefined ? {} : { protocol: q.protocol }) },
      })).items.map(storeView),
    );
  }

  private driverFor(protocol: 'NFS' | 'Swift', param: string): SecondaryStorageDriver {
    const driver = this.storage.secondary;
    if (driver === undefined || !driver.protocols.has(protocol)) {
      throw resourceUnavailable(`No secondary storage driver handles ${protocol}`, { param });
    }
    return driver;
  }

  private specOf(store: ImageStore, key?: string): ImageStoreSpec {
    return {
      storeId: store.id,
      protocol: store.protocol,
      url: store.url,
      ...(store.account === undefined ? {} : { account: store.account }),
      ...(store.username === undefined ? {} : { username: store.username }),
      ...(key === undefined ? {} : { key }),
    };
  }

  /** Checks and records the store as `Creating`, asks the driver, then records `Up` or removes it. */
  private async addStore(
    caller: CallContext,
    driver: SecondaryStorageDriver,
    check: (tx: Transaction) => Promise<Omit<ImageStore, 'id' | 'version' | 'capacityBytes' | 'usedBytes' | 'state' | 'createdAt'>>,
    eventType: string,
    key?: string,
  ): Promise<ImageStoreView> {
    const { created, timeoutMs } = await this.store.transaction(async (tx) => {
      const fields = await check(tx);
      if ((await tx.repo('imageStores').findOne({ url: fields.url })) !== undefined) throw invalidParameter('url', `${fields.url} is already secondary storage`);
      const created = await tx.repo('imageStores').insert({ id: this.random.uuid(), ...fields, capacityBytes: 0, usedBytes: 0, state: 'Creating', createdAt: isoNow(this.clock) });
      return { created, timeoutMs: (await this.config.number('wait', {}, tx)) * 1000 };
    });
    let capacity: StorageCapacity;
    try {
      capacity = await callDriver({ operation: `add secondary storage ${created.url}`, timeoutMs, param: 'url' }, () => driver.addStore(this.specOf(created, key)));
    } catch (error) {
      await this.store.transaction(async (tx) => {
        await tx.repo('imageStores').delete(created.id);
        await this.events.record(tx, caller, { type: eventType, level: 'ERROR', description: `Failed to add ${created.protocol} secondary storage ${created.url}: ${toCloudError(error).message}`, resourceType: 'ImageStore', resourceId: created.id });
      });
      throw toCloudError(error);
    }
    return this.store.transaction(async (tx) => {
      const current = await tx.repo('imageStores').get(created.id);
      if (current === undefined) throw notFound('secondary storage', 'id', created.id);
      const up = await tx.repo('imageStores').update({ ...current, ...capacity, state: 'Up' });
      await this.events.record(tx, caller, { type: eventType, description: `Added ${up.protocol} secondary storage ${up.url}`, resourceType: 'ImageStore', resourceId: up.id });
      return storeView(up);
    });
  }
}
