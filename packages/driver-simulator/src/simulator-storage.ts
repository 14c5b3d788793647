import type {
  CopyVolumeSpec,
  CreateVolumeSpec,
  DeleteSnapshotSpec,
  PrimaryVolumeCapability,
  PrimaryVolumeSpec,
  SnapshotAnswer,
  VolumeAnswer,
  VolumeSnapshotSpec,
  ImageStoreProtocol,
  ImageStoreSpec,
  PrimaryPoolSpec,
  PrimaryStorageDriver,
  SecondaryStorageCapability,
  SecondaryStorageDriver,
  StorageCapacity,
  StorageProtocol,
  TemplateCopySpec,
  TemplateDownloadSpec,
  TemplateDownloadStatus,
  TemplateFromDiskSpec,
  TemplateImageSpec,
} from '@cloudstack-sdk/core';
import { STORAGE_PROTOCOLS, poolUrl } from '@cloudstack-sdk/core';
import { digestOf, statusOf, type StoredImage } from './simulated-images.js';
import type { SimulatorLab } from './simulator-lab.js';

/** Errors the simulated storage raises. */
export class SimulatorStorageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SimulatorStorageError';
  }
}

/** A primary-storage driver over the lab: every protocol, pools with the capacity the lab gives them. */
export class SimulatorPrimaryStorage implements PrimaryStorageDriver {
  /** For logs. */
  readonly name = 'simulator';
  /** Every protocol CloudStack knows. */
  readonly protocols: ReadonlySet<StorageProtocol> = new Set(STORAGE_PROTOCOLS);

  /** Every volume and snapshot call. */
  readonly volumeCapabilities: ReadonlySet<PrimaryVolumeCapability> = new Set<PrimaryVolumeCapability>(['createVolume', 'deleteVolume', 'resizeVolume', 'snapshotVolume', 'deleteSnapshot', 'copyVolume']);

  /** Volumes on each pool: pool id → volume id → bytes. */
  private readonly volumes = new Map<string, Map<string, number>>();

  /** Snapshots kept: path → bytes. */
  private readonly snapshots = new Map<string, number>();

  constructor(private readonly lab: SimulatorLab) {}

  /** The volumes on a pool with their sizes, for tests. */
  volumesOn(poolId: string): Map<string, number> {
    return new Map(this.volumes.get(poolId) ?? []);
  }

  /** The snapshot paths kept, for tests. */
  snapshotPaths(): string[] {
    return [...this.snapshots.keys()];
  }

  async createVolume(spec: CreateVolumeSpec): Promise<VolumeAnswer> {
    await this.lab.faults.apply('createVolume', [spec.pool.poolId, spec.volumeId]);
    if (spec.fromSnapshotPath !== undefined && !this.snapshots.has(spec.fromSnapshotPath)) throw new SimulatorStorageError(`No snapshot at ${spec.fromSnapshotPath}`);
    this.poolVolumes(spec.pool.poolId).set(spec.volumeId, spec.sizeBytes);
    return { path: `${spec.pool.poolId}/${spec.volumeId}`, sizeBytes: spec.sizeBytes };
  }

  async deleteVolume(spec: PrimaryVolumeSpec): Promise<void> {
    await this.lab.faults.apply('deleteVolume', [spec.pool.poolId, spec.volumeId]);
    this.volumes.get(spec.pool.poolId)?.delete(spec.volumeId);
  }

  async resizeVolume(spec: PrimaryVolumeSpec & { readonly newSizeBytes: number }): Promise<VolumeAnswer> {
    await this.lab.faults.apply('resizeVolume', [spec.pool.poolId, spec.volumeId]);
    this.poolVolumes(spec.pool.poolId).set(spec.volumeId, spec.newSizeBytes);
    return { path: `${spec.pool.poolId}/${spec.volumeId}`, sizeBytes: spec.newSizeBytes };
  }

  async snapshotVolume(spec: VolumeSnapshotSpec): Promise<SnapshotAnswer> {
    await this.lab.faults.apply('snapshotVolume', [spec.volume.pool.poolId, spec.volume.volumeId, spec.snapshotId]);
    const path = `snapshots/${spec.volume.volumeId}/${spec.snapshotId}`;
    this.snapshots.set(path, spec.volume.sizeBytes);
    return { path, physicalSizeBytes: spec.volume.sizeBytes };
  }

  async deleteSnapshot(spec: DeleteSnapshotSpec): Promise<void> {
    await this.lab.faults.apply('deleteSnapshot', [spec.pool.poolId, spec.snapshotId]);
    this.snapshots.delete(spec.path);
  }

  async copyVolume(spec: CopyVolumeSpec): Promise<VolumeAnswer> {
    await this.lab.faults.apply('copyVolume', [spec.source.pool.poolId, spec.target.poolId, spec.source.volumeId]);
    this.poolVolumes(spec.target.poolId).set(spec.source.volumeId, spec.source.sizeBytes);
    return { path: `${spec.target.poolId}/${spec.source.volumeId}`, sizeBytes: spec.source.sizeBytes };
  }

  private poolVolumes(poolId: string): Map<string, number> {
    if (this.lab.pool(poolId) === undefined) throw new SimulatorStorageError(`Pool ${poolId} is not attached`);
    let volumes = this.volumes.get(poolId);
    if (volumes === undefined) {
      volumes = new Map();
      this.volumes.set(poolId, volumes);
    }
    return volumes;
  }

  async createPool(spec: PrimaryPoolSpec): Promise<StorageCapacity> {
    const url = poolUrl(spec.protocol, spec);
    await this.lab.faults.apply('createPool', [spec.poolId, url, ...(spec.server === undefined ? [] : [spec.server])]);
    for (const hostUrl of spec.hostUrls) {
      if (this.lab.hostAt(hostUrl) === undefined) throw new SimulatorStorageError(`Host ${hostUrl} cannot reach ${url}`);
    }
    const pool = this.lab.attachPool(spec.poolId, url);
    return { capacityBytes: pool.capacityBytes, usedBytes: pool.usedBytes };
  }

  async deletePool(spec: PrimaryPoolSpec): Promise<void> {
    await this.lab.faults.apply('deletePool', [spec.poolId]);
    this.lab.detachPool(spec.poolId);
  }

  async poolCapacity(spec: PrimaryPoolSpec): Promise<StorageCapacity> {
    await this.lab.faults.apply('poolCapacity', [spec.poolId]);
    const pool = this.lab.pool(spec.poolId);
    if (pool === undefined) throw new SimulatorStorageError(`Pool ${spec.poolId} is not attached`);
    return { capacityBytes: pool.capacityBytes, usedBytes: pool.usedBytes };
  }
}

/**
 * A secondary-storage driver over the lab: NFS and Swift stores with capacity, and templates
 * on them — downloaded from the images the lab publishes (404 for anything else), verified
 * against the registered MD5/SHA-1/SHA-256, checked against the size limit and the store's
 * free space, progressing one step per status poll, deleted and copied between stores.
 */
export class SimulatorSecondaryStorage implements SecondaryStorageDriver {
  /** For logs. */
  readonly name = 'simulator';
  /** NFS and Swift. */
  readonly protocols: ReadonlySet<ImageStoreProtocol> = new Set<ImageStoreProtocol>(['NFS', 'Swift']);
  /** Downloads, deletes and copies templates, and creates private ones from snapshots and volumes. */
  readonly capabilities: ReadonlySet<SecondaryStorageCapability> = new Set<SecondaryStorageCapability>(['downloadTemplate', 'deleteTemplate', 'copyTemplate', 'createTemplateFromDisk']);

  async downloadTemplate(spec: TemplateDownloadSpec): Promise<TemplateDownloadStatus> {
    await this.lab.faults.apply('downloadTemplate', [spec.templateId, spec.url, spec.store.storeId, spec.store.url]);
    const existing = this.existing(spec);
    if (existing !== undefined) return statusOf(existing, this.lab.downloadPollMs);
    const published = this.lab.publishedImage(spec.url);
    const image: StoredImage = {
      templateId: spec.templateId,
      installPath: spec.installPath,
      content: published?.content ?? new Uint8Array(),
      virtualSizeBytes: published?.virtualSizeBytes ?? published?.content.byteLength ?? 0,
      steps: published?.steps ?? 0,
      stepsLeft: published?.steps ?? 0,
      state: 'DOWNLOAD_IN_PROGRESS',
    };
    if (published === undefined) {
      image.state = 'DOWNLOAD_ERROR';
      image.error = `HTTP 404 Not Found fetching ${spec.url}`;
    } else if (image.virtualSizeBytes > spec.maxSizeBytes || image.content.byteLength > spec.maxSizeBytes) {
      image.state = 'DOWNLOAD_ERROR';
      image.error = `the image is ${Math.max(image.virtualSizeBytes, image.content.byteLength)} bytes, more than the ${spec.maxSizeBytes} bytes allowed`;
    }
    this.lab.putImage(spec.store.storeId, image);
    this.advance(spec.store.storeId, image, spec.checksum);
    return statusOf(image, this.lab.downloadPollMs);
  }

  async templateStatus(spec: TemplateImageSpec): Promise<TemplateDownloadStatus> {
    await this.lab.faults.apply('templateStatus', [spec.templateId, spec.store.storeId, spec.store.url]);
    const image = this.existing(spec);
    if (image === undefined) throw new SimulatorStorageError(`No image at ${spec.installPath} on ${spec.store.url}`);
    if (image.state === 'DOWNLOAD_IN_PROGRESS') image.stepsLeft = Math.max(0, image.stepsLeft - 1);
    this.advance(spec.store.storeId, image, this.pendingChecksums.get(image));
    return statusOf(image, this.lab.downloadPollMs);
  }

  async deleteTemplate(spec: TemplateImageSpec): Promise<void> {
    await this.lab.faults.apply('deleteTemplate', [spec.templateId, spec.store.storeId, spec.store.url]);
    this.lab.removeImage(spec.store.storeId, spec.installPath);
  }

  async copyTemplate(spec: TemplateCopySpec): Promise<TemplateDownloadStatus> {
    await this.lab.faults.apply('copyTemplate', [spec.templateId, spec.store.storeId, spec.store.url, spec.source.storeId, spec.source.url]);
    const existing = this.existing(spec);
    if (existing !== undefined) return statusOf(existing, this.lab.downloadPollMs);
    const source = this.lab.storedImage(spec.source.storeId, spec.sourceInstallPath);
    if (source === undefined || source.state !== 'DOWNLOADED') {
      throw new SimulatorStorageError(`No downloaded image at ${spec.sourceInstallPath} on ${spec.source.url}`);
    }
    const image: StoredImage = { ...source, installPath: spec.installPath, stepsLeft: 0, steps: 0, state: 'DOWNLOAD_IN_PROGRESS' };
    this.lab.putImage(spec.store.storeId, image);
    this.advance(spec.store.storeId, image, spec.checksum);
    return statusOf(image, this.lab.downloadPollMs);
  }

  /**
   * Writes a private template from a snapshot or volume of an attached pool (refused when the
   * pool is not attached); the image holds a descriptor of its source and reports the disk's
   * size as its virtual size. Idempotent like a download.
   */
  async createTemplateFromDisk(spec: TemplateFromDiskSpec): Promise<TemplateDownloadStatus> {
    const sourceId = spec.source.kind === 'snapshot' ? spec.source.snapshotId : spec.source.volumeId;
    await this.lab.faults.apply('createTemplateFromDisk', [spec.templateId, spec.store.storeId, spec.store.url, spec.source.pool.poolId, sourceId]);
    const existing = this.existing(spec);
    if (existing !== undefined) return statusOf(existing, this.lab.downloadPollMs);
    if (this.lab.pool(spec.source.pool.poolId) === undefined) throw new SimulatorStorageError(`Pool ${spec.source.pool.poolId} holding ${spec.source.kind} ${sourceId} is not attached`);
    const descriptor = `${spec.source.kind}:${spec.source.kind === 'snapshot' ? spec.source.path : spec.source.path ?? `${spec.source.pool.poolId}/${spec.source.volumeId}`}`;
    const image: StoredImage = {
      templateId: spec.templateId,
      installPath: spec.installPath,
      content: new TextEncoder().encode(descriptor),
      virtualSizeBytes: spec.sizeBytes,
      steps: 0,
      stepsLeft: 0,
      state: 'DOWNLOAD_IN_PROGRESS',
    };
    this.lab.putImage(spec.store.storeId, image);
    this.advance(spec.store.storeId, image, undefined);
    return statusOf(image, this.lab.downloadPollMs);
  }

  /** Checksums of downloads still in progress, verified when they finish. */
  private readonly pendingChecksums = new WeakMap<StoredImage, TemplateDownloadSpec['checksum']>();

  private existing(spec: TemplateImageSpec): StoredImage | undefined {
    if (this.lab.store(spec.store.storeId) === undefined) throw new SimulatorStorageError(`Store ${spec.store.url} is not added`);
    const image = this.lab.storedImage(spec.store.storeId, spec.installPath);
    // A failed attempt is retried from scratch, as a new DownloadCommand would be.
    if (image !== undefined && image.state === 'DOWNLOAD_ERROR') {
      this.lab.removeImage(spec.store.storeId, spec.installPath);
      return undefined;
    }
    return image;
  }

  /** Finishes a download whose steps are done: checksum, free space, then the bytes land. */
  private advance(storeId: string, image: StoredImage, checksum: TemplateDownloadSpec['checksum']): void {
    if (image.state !== 'DOWNLOAD_IN_PROGRESS') return;
    if (image.stepsLeft > 0) {
      this.pendingChecksums.set(image, checksum);
      return;
    }
    this.pendingChecksums.delete(image);
    if (checksum !== undefined) {
      const actual = digestOf(image.content, checksum.algorithm);
      if (actual !== checksum.value.toLowerCase()) {
        image.state = 'DOWNLOAD_ERROR';
        image.error = `checksum mismatch: expected ${checksum.algorithm} ${checksum.value}, got ${actual}`;
        return;
      }
    }
    const store = this.lab.store(storeId);
    if (store !== undefined && store.capacityBytes - store.usedBytes < image.content.byteLength) {
      image.state = 'DOWNLOAD_ERROR';
      image.error = `not enough space on the store for ${image.content.byteLength} bytes`;
      return;
    }
    if (store !== undefined) store.usedBytes += image.content.byteLength;
    image.state = 'DOWNLOADED';
  }

  constructor(private readonly lab: SimulatorLab) {}

  async addStore(spec: ImageStoreSpec): Promise<StorageCapacity> {
    await this.lab.faults.apply('addStore', [spec.storeId, spec.url]);
    if (spec.protocol === 'Swift' && (spec.key === undefined || spec.key === '')) throw new SimulatorStorageError('Swift refused: no key');
    const store = this.lab.attachStore(spec.storeId, spec.url);
    return { capacityBytes: store.capacityBytes, usedBytes: store.usedBytes };
  }

  async removeStore(spec: ImageStoreSpec): Promise<void> {
    await this.lab.faults.apply('removeStore', [spec.storeId, spec.url]);
    this.lab.detachStore(spec.storeId);
  }

  async storeCapacity(spec: ImageStoreSpec): Promise<StorageCapacity> {
    await this.lab.faults.apply('storeCapacity', [spec.storeId, spec.url]);
    const store = this.lab.store(spec.storeId);
    if (store === undefined) throw new SimulatorStorageError(`Store ${spec.url} is not added`);
    return { capacityBytes: store.capacityBytes, usedBytes: store.usedBytes };
  }
}
