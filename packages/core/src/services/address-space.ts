import type { Transaction } from '../contracts/store.js';
import { invalidParameter } from '../errors.js';
import { formatIpv4, parseRange, rangesOverlap, type Ipv4Range } from '../net/ipv4.js';

/**
 * Refuses (431 naming `param`) an address range that overlaps any IP range (public, direct
 * guest, storage) or any pod's reserved system range anywhere in the cloud: addresses are
 * unique across the cloud, as the guide requires of reserved IPs and public ranges.
 */
export async function assertAddressesFree(tx: Transaction, range: Ipv4Range, param: string, exceptPodId?: string): Promise<void> {
  const clash = (what: string, start: string, end: string) =>
    invalidParameter(param, `${formatIpv4(range.start)}-${formatIpv4(range.end)} overlaps ${what} ${start}-${end}`);
  for (const other of (await tx.repo('vlanIpRanges').find()).items) {
    const theirs = parseRange(other.startIp, other.endIp);
    if (theirs !== undefined && rangesOverlap(range, theirs)) throw clash(`${other.purpose} IP range ${other.id}`, other.startIp, other.endIp);
  }
  for (const pod of (await tx.repo('pods').find()).items) {
    if (pod.id === exceptPodId) continue;
    const theirs = parseRange(pod.startIp, pod.endIp);
    if (theirs !== undefined && rangesOverlap(range, theirs)) throw clash(`the reserved system range of pod ${pod.name}`, pod.startIp, pod.endIp);
  }
}
