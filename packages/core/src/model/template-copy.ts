import { z } from 'zod';
import type { Transitions } from './state-machine.js';

/** Where a template's copy on one store stands, with CloudStack's download-state names. */
export const DownloadState = z.enum(['NOT_DOWNLOADED', 'DOWNLOAD_IN_PROGRESS', 'DOWNLOADED', 'DOWNLOAD_ERROR', 'ABANDONED']);
/** One of the download states. */
export type DownloadState = z.infer<typeof DownloadState>;

/**
 * Allowed moves of a copy's download state: a download starts, finishes or fails; a failed
 * one may be retried; any copy may be abandoned (its template deleted, its store removed).
 */
export const DOWNLOAD_TRANSITIONS: Transitions<DownloadState> = {
  NOT_DOWNLOADED: ['DOWNLOAD_IN_PROGRESS', 'DOWNLOADED', 'DOWNLOAD_ERROR', 'ABANDONED'],
  DOWNLOAD_IN_PROGRESS: ['DOWNLOADED', 'DOWNLOAD_ERROR', 'ABANDONED'],
  DOWNLOADED: ['ABANDONED'],
  DOWNLOAD_ERROR: ['NOT_DOWNLOADED', 'DOWNLOAD_IN_PROGRESS', 'ABANDONED'],
  ABANDONED: [],
};

/**
 * One copy of a template or ISO on one zone's secondary storage (4.1's `template_host_ref`):
 * its download state and progress, size, install path, and the error that stopped it.
 */
export const TemplateCopySchema = z.object({
  id: z.string(),
  version: z.number().int().positive(),
  templateId: z.string(),
  zoneId: z.string(),
  imageStoreId: z.string(),
  state: DownloadState,
  /** 0..100. */
  percent: z.number().int().min(0).max(100),
  /** Virtual size in bytes, once known. */
  sizeBytes: z.number().int().min(0),
  /** Bytes on the store, once known. */
  physicalSizeBytes: z.number().int().min(0),
  installPath: z.string(),
  /** Why the download failed, for `DOWNLOAD_ERROR`. */
  errorText: z.string().optional(),
  /** The job that drives the download, while one does. */
  jobId: z.string().optional(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

/** A template's copy on one store. */
export type TemplateCopy = z.infer<typeof TemplateCopySchema>;
