import { createHash } from 'node:crypto';
import type { ChecksumAlgorithm, TemplateDownloadStatus } from '@cloudstack-sdk/core';

/** An image the lab serves at a URL, as a web server would. */
export interface PublishedImage {
  /** The bytes served. */
  readonly content: Uint8Array;
  /** The virtual size the image reports (a QCOW2's disk size); the content's length by default. */
  readonly virtualSizeBytes?: number;
  /** Status polls a download of it takes after it starts (0, the default: done at once). */
  readonly steps?: number;
}

/** An image on a simulated store: where its download stands. */
export interface StoredImage {
  /** The template it belongs to. */
  readonly templateId: string;
  /** Where it is on the store. */
  readonly installPath: string;
  /** The bytes it will hold once downloaded. */
  readonly content: Uint8Array;
  /** Its virtual size. */
  readonly virtualSizeBytes: number;
  /** Status polls left before it is done. */
  stepsLeft: number;
  /** Polls it takes in all. */
  readonly steps: number;
  /** Where it stands. */
  state: TemplateDownloadStatus['state'];
  /** Why it failed. */
  error?: string;
}

const NODE_HASH: Readonly<Record<ChecksumAlgorithm, string>> = { MD5: 'md5', 'SHA-1': 'sha1', 'SHA-256': 'sha256' };

/** The hex digest of `content` with `algorithm`, as a download verifies it. */
export function digestOf(content: Uint8Array, algorithm: ChecksumAlgorithm): string {
  return createHash(NODE_HASH[algorithm]).update(content).digest('hex');
}

/** The status a stored image reports; `retryAfterMs` while it is in progress. */
export function statusOf(image: StoredImage, retryAfterMs: number): TemplateDownloadStatus {
  const done = image.state === 'DOWNLOADED';
  const percent = done ? 100 : image.steps === 0 ? 0 : Math.floor(((image.steps - image.stepsLeft) / image.steps) * 100);
  return {
    state: image.state,
    percent: image.state === 'DOWNLOAD_ERROR' ? 0 : percent,
    ...(done ? { sizeBytes: image.virtualSizeBytes, physicalSizeBytes: image.content.byteLength, installPath: image.installPath } : {}),
    ...(image.error === undefined ? {} : { error: image.error }),
    ...(image.state === 'DOWNLOAD_IN_PROGRESS' ? { retryAfterMs } : {}),
  };
}
