/**
 * Which running domain of a host has a pool volume open, and as which disk: a volume in use by
 * QEMU is resized through the domain (`virDomainBlockResize`), as CloudStack's KVM agent does,
 * because `qemu-img` cannot change an image another process holds locked.
 */
import { DomainState } from './libvirt-constants.js';
import { isLibvirtError, VirErrorCode } from './libvirt-error.js';
import type { LibvirtProcedures } from './procedures.js';
import type { DomainRef } from './remote-types.js';

/** A running domain's disk backed by a given pool volume. */
export interface VolumeUser {
  /** The domain. */
  readonly domain: DomainRef;
  /** The disk's target device (`vdb`). */
  readonly targetDev: string;
}

function attribute(element: string, name: string): string | undefined {
  return new RegExp(`\\s${name}\\s*=\\s*(?:'([^']*)'|"([^"]*)")`).exec(element)?.slice(1).find((v) => v !== undefined);
}

function unescape(text: string): string {
  return text.replace(/&apos;/g, "'").replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/** The target device of the disk in `domainXml` whose source is volume `volume` of pool `pool`, if any. */
export function diskTargetOfVolume(domainXml: string, pool: string, volume: string): string | undefined {
  for (const match of domainXml.matchAll(/<disk\b[\s\S]*?<\/disk>/g)) {
    const disk = match[0];
    const source = /<source\b[^>]*>/.exec(disk)?.[0];
    if (source === undefined) continue;
    const sourcePool = attribute(source, 'pool');
    const sourceVolume = attribute(source, 'volume');
    if (sourcePool === undefined || sourceVolume === undefined || unescape(sourcePool) !== pool || unescape(sourceVolume) !== volume) continue;
    const target = /<target\b[^>]*>/.exec(disk)?.[0];
    const dev = target === undefined ? undefined : attribute(target, 'dev');
    if (dev !== undefined) return unescape(dev);
  }
  return undefined;
}

/** The running (or paused) domain of the host that has `volume` of `pool` as a disk, if any. */
export async function findVolumeUser(libvirt: LibvirtProcedures, pool: string, volume: string): Promise<VolumeUser | undefined> {
  for (const { domain, state } of await libvirt.connectListDomainsWithState()) {
    if (state === DomainState.SHUTOFF) continue;
    let xml: string;
    try {
      xml = await libvirt.domainGetXmlDesc(domain);
    } catch (error) {
      if (isLibvirtError(error, VirErrorCode.VIR_ERR_NO_DOMAIN)) continue; // gone since the listing
      throw error;
    }
    const targetDev = diskTargetOfVolume(xml, pool, volume);
    if (targetDev !== undefined) return { domain, targetDev };
  }
  return undefined;
}
