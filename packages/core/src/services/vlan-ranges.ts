import { invalidParameter } from '../errors.js';
import type { VlanRange } from '../model/physical-network.js';

/** The largest VLAN id an 802.1Q tag can carry that CloudStack uses (0 and 4095 are reserved). */
export const MAX_VLAN_ID = 4094;

/**
 * Parses CloudStack's VLAN range syntax (`500-599`, `500-599,700-710`, `42`) into ranges,
 * refusing (431 naming `param`) malformed ids, reversed ranges and ranges that overlap each
 * other.
 */
export function parseVlanRanges(text: string, param = 'vlan'): VlanRange[] {
  const ranges: VlanRange[] = [];
  for (const part of text.split(',').map((p) => p.trim()).filter((p) => p !== '')) {
    const match = /^(\d{1,4})(?:-(\d{1,4}))?$/.exec(part);
    if (match === null) throw invalidParameter(param, `${part} is not a VLAN id or a range start-end`);
    const start = Number(match[1]);
    const end = match[2] === undefined ? start : Number(match[2]);
    if (start < 1 || end > MAX_VLAN_ID) throw invalidParameter(param, `VLAN ids run from 1 to ${MAX_VLAN_ID}; ${part} is outside`);
    if (end < start) throw invalidParameter(param, `range ${part} ends before it starts`);
    ranges.push({ start, end });
  }
  const sorted = [...ranges].sort((a, b) => a.start - b.start);
  for (let i = 1; i < sorted.length; i += 1) {
    const previous = sorted[i - 1] as VlanRange;
    const current = sorted[i] as VlanRange;
    if (current.start <= previous.end) throw invalidParameter(param, `ranges ${formatVlanRange(previous)} and ${formatVlanRange(current)} overlap`);
  }
  return sorted;
}

/** `start-end` (or `id` for a one-id range). */
export function formatVlanRange(range: VlanRange): string {
  return range.start === range.end ? String(range.start) : `${range.start}-${range.end}`;
}

/** True when two VLAN ranges share an id. */
export function vlanRangesOverlap(a: VlanRange, b: VlanRange): boolean {
  return a.start <= b.end && b.start <= a.end;
}

/** Number of ids in the ranges. */
export function vlanCount(ranges: readonly VlanRange[]): number {
  return ranges.reduce((sum, r) => sum + r.end - r.start + 1, 0);
}

/** Every id of the ranges, as strings (the items of a guest VLAN claim pool). */
export function vlanIds(ranges: readonly VlanRange[]): string[] {
  const ids: string[] = [];
  for (const range of ranges) for (let id = range.start; id <= range.end; id += 1) ids.push(String(id));
  return ids;
}

/**
 * The most guest VLANs a zone may have for a `guest.vlan.bits` value, from the guide's table
 * (§12.9): 12 bits → 4094, 11 → 2048, 10 → 1024, 9 → 512.
 */
export function maxZoneVlans(guestVlanBits: number): number {
  return guestVlanBits >= 12 ? MAX_VLAN_ID : 2 ** guestVlanBits;
}
