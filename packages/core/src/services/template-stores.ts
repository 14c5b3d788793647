import type { ImageStoreSpec, SecondaryStorageCapability, SecondaryStorageDriver, StorageDrivers } from '../contracts/storage.js';
import type { Transaction } from '../contracts/store.js';
import { resourceUnavailable } from '../errors.js';
import type { ImageStore } from '../model/image-store.js';

/** The contract spec of a zone's NFS store, as template operations name it (no credentials). */
export function imageStoreSpec(store: ImageStore): ImageStoreSpec {
  return { storeId: store.id, protocol: store.protocol, url: store.url };
}

/** The NFS stores of a zone that are up, in the order they were added. */
export async function zoneStores(tx: Transaction, zoneId: string): Promise<ImageStore[]> {
  return (await tx.repo('imageStores').find({ where: { zoneId, protocol: 'NFS', state: 'Up' } })).items;
}

/**
 * The secondary-storage driver when it declares `capability`; otherwise 534 naming `param`,
 * since core never calls what a driver has not declared.
 */
export function templateDriver(storage: StorageDrivers, capability: SecondaryStorageCapability, param: string): SecondaryStorageDriver {
  const driver = storage.secondary;
  if (driver === undefined || driver.capabilities?.has(capability) !== true) {
    throw resourceUnavailable(`The secondary storage driver cannot ${capability === 'downloadTemplate' ? 'download templates' : capability === 'copyTemplate' ? 'copy templates between zones' : 'delete templates'}`, { param });
  }
  return driver;
}

/** Where a template's image lives on a store, as 4.1 lays it out. */
export function installPathOf(accountId: string, templateId: string): string {
  return `template/tmpl/${accountId}/${templateId}`;
}
