/**
 * A point-in-time copy of a disk a running domain has open, through libvirt's push-mode backup
 * (`virDomainBackupBegin`): QEMU itself copies the disk into a target while the guest keeps
 * running. A volume in use cannot be copied with `qemu-img` (QEMU holds its image locked), which
 * is why the KVM storage driver snapshots running volumes this way and stopped ones by a plain
 * volume copy.
 */
import { xmlElement } from './domain-xml.js';
import { BackupBeginFlags, DomainJobType, JobStatsFlags } from './libvirt-constants.js';
import { LibvirtError, VirErrorCode } from './libvirt-error.js';
import type { LibvirtProcedures } from './procedures.js';
import type { DomainRef } from './remote-types.js';
import type { KvmVolumeFormat } from './storage-pool-definition.js';

/** Where the copy goes: an existing file or block device (a pool volume created beforehand). */
export interface BackupTarget {
  /** The path on the host. */
  readonly path: string;
  /** `file` (dir and netfs pools) or `block` (logical pools). */
  readonly type: 'file' | 'block';
  /** The target's image format. */
  readonly format: KvmVolumeFormat;
}

/** How long and how often a backup is waited for. */
export interface LiveBackupOptions {
  /** How often the job is polled; 200 ms by default. */
  readonly pollIntervalMs?: number;
  /** How long the copy may take before the wait fails with `VIR_ERR_OPERATION_TIMEOUT`; 30 minutes by default. */
  readonly timeoutMs?: number;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** The target devices of every disk (and CD-ROM) in a domain XML, in order. */
export function diskTargetsOf(domainXml: string): string[] {
  const targets: string[] = [];
  for (const match of domainXml.matchAll(/<disk\b[\s\S]*?<\/disk>/g)) {
    const dev = /<target\b[^>]*\sdev=(?:'([^']*)'|"([^"]*)")/.exec(match[0]);
    const name = dev?.[1] ?? dev?.[2];
    if (name !== undefined) targets.push(name);
  }
  return targets;
}

/**
 * The backup XML that copies the disk at `targetDev` into `target` and no other disk: every
 * other disk of the domain is listed with `backup='no'`.
 */
export function renderDiskBackupXml(domainXml: string, targetDev: string, target: BackupTarget): string {
  const targets = diskTargetsOf(domainXml);
  if (!targets.includes(targetDev)) throw LibvirtError.client(VirErrorCode.VIR_ERR_INVALID_ARG, `the domain has no disk ${targetDev}`);
  const disks = targets.map((dev) =>
    dev === targetDev
      ? xmlElement('disk', { name: dev, backup: 'yes', type: target.type }, [
          xmlElement('target', target.type === 'file' ? { file: target.path } : { dev: target.path }),
          xmlElement('driver', { type: target.format }),
        ])
      : xmlElement('disk', { name: dev, backup: 'no' }),
  );
  return xmlElement('domainbackup', { mode: 'push' }, xmlElement('disks', {}, disks));
}

/** The text of a job's `errmsg` field, when it has one. */
function jobError(params: readonly { field: string; type: string; value: unknown }[]): string | undefined {
  const field = params.find((p) => p.field === 'errmsg' && p.type === 'string');
  return typeof field?.value === 'string' ? field.value : undefined;
}

/** Waits until the domain has no running job, then fails unless its last job completed. */
export async function waitForDomainJob(libvirt: LibvirtProcedures, dom: DomainRef, what: string, options: LiveBackupOptions = {}): Promise<void> {
  const timeoutMs = options.timeoutMs ?? 30 * 60_000;
  const started = Date.now();
  while ((await libvirt.domainGetJobStats(dom)).type !== DomainJobType.NONE) {
    if (Date.now() - started >= timeoutMs) throw LibvirtError.client(VirErrorCode.VIR_ERR_OPERATION_TIMEOUT, `${what} of domain ${dom.name} did not finish within ${timeoutMs} ms`);
    await sleep(options.pollIntervalMs ?? 200);
  }
  const completed = await libvirt.domainGetJobStats(dom, JobStatsFlags.COMPLETED);
  if (completed.type === DomainJobType.FAILED || completed.type === DomainJobType.CANCELLED) {
    const state = completed.type === DomainJobType.FAILED ? 'failed' : 'was cancelled';
    throw LibvirtError.client(VirErrorCode.VIR_ERR_OPERATION_FAILED, `${what} of domain ${dom.name} ${state}${jobError(completed.params) === undefined ? '' : `: ${jobError(completed.params)}`}`);
  }
}

/** Copies the disk at `targetDev` of the running domain into `target` (which exists) and waits for the copy. */
export async function backupRunningDisk(libvirt: LibvirtProcedures, dom: DomainRef, targetDev: string, target: BackupTarget, options: LiveBackupOptions = {}): Promise<void> {
  const xml = renderDiskBackupXml(await libvirt.domainGetXmlDesc(dom), targetDev, target);
  await libvirt.domainBackupBegin(dom, xml, BackupBeginFlags.REUSE_EXTERNAL);
  await waitForDomainJob(libvirt, dom, `the backup of disk ${targetDev}`, options);
}
