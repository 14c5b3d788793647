/**
 * Which host bridge a NIC plugs into, and how its VLAN is applied, as CloudStack 4.1's KVM agent
 * does it (`network.bridge.type` in `agent.properties`):
 *
 * - The bridge is the NIC's traffic label (the admin's KVM network label for the traffic type, e.g.
 *   `cloudbr0`), or the driver's default bridge for that traffic type when the zone has no label.
 * - `native` (Linux bridge, CloudStack's `BridgeVifDriver`): VLANs are done host-side. A tagged NIC
 *   goes on a per-VLAN bridge named `br<pif>-<vlan>`, where `<pif>` is the physical interface
 *   enslaved to the label bridge (`cloudbr0` over `eth0`, VLAN 100 → `breth0-100`); the host's
 *   network scripts create `eth0.100` and that bridge. When the driver is not told the physical
 *   interface, the label bridge's own name stands in (`brcloudbr0-100`). No `<vlan>` element is
 *   rendered: real QEMU refuses a VLAN tag on a Linux bridge.
 * - `openvswitch` (`OvsVifDriver`): the NIC stays on the label bridge with `<vlan><tag id=…/>` and
 *   `<virtualport type='openvswitch'/>`; Open vSwitch tags the port.
 *
 * Linux limits interface names to 15 characters; a longer per-VLAN name is refused (not truncated,
 * which could make two VLANs share a bridge).
 */
import type { VmNicSpec } from '@cloudstack-sdk/core';

/** `network.bridge.type`: Linux bridges (`native`) or Open vSwitch. */
export type BridgeType = 'native' | 'openvswitch';

/** How a KVM host's NICs are wired (the `agent.properties` part of it). */
export interface BridgeOptions {
  /** `network.bridge.type`; `native` by default. */
  readonly bridgeType?: BridgeType;
  /**
   * Bridges for traffic types with no label in the zone (`guest.network.device`,
   * `public.network.device`, `private.network.device`); `cloudbr0` for any type not listed.
   */
  readonly defaultBridges?: Readonly<Partial<Record<VmNicSpec['trafficType'], string>>>;
  /** Physical interface under each label bridge (`{ cloudbr0: 'eth0' }`), for per-VLAN bridge names. */
  readonly physicalInterfaces?: Readonly<Record<string, string>>;
}

/** Where one NIC is plugged. */
export interface NicPlacement {
  /** The host bridge. */
  readonly bridge: string;
  /** The 802.1Q tag Open vSwitch applies, when the NIC is tagged on an OVS bridge. */
  readonly vlanTag?: number;
  /** Whether the port is an Open vSwitch port (`<virtualport type='openvswitch'/>`). */
  readonly openvswitch: boolean;
}

/** The fallback bridge when neither a label nor a default is known. */
export const DEFAULT_BRIDGE = 'cloudbr0';

/** Linux's `IFNAMSIZ - 1`. */
const MAX_INTERFACE_NAME = 15;

/** The VLAN id of a NIC (`100`, `vlan://100`), or undefined when untagged. Rejects anything else. */
export function vlanIdOf(vlan: string): number | undefined {
  const text = vlan.trim().toLowerCase();
  if (text === '' || text === 'untagged' || text === 'vlan://untagged') return undefined;
  const match = /^(?:vlan:\/\/)?(\d{1,4})$/.exec(text);
  const id = match?.[1] === undefined ? Number.NaN : Number(match[1]);
  if (!Number.isInteger(id) || id < 1 || id > 4094) throw new RangeError(`not a VLAN id: ${vlan}`);
  return id;
}

/** CloudStack's per-VLAN Linux bridge name: `br<pif>-<vlan>` (see the module comment). */
export function vlanBridgeName(physicalInterface: string, vlanId: number): string {
  const name = `br${physicalInterface}-${vlanId}`;
  if (name.length > MAX_INTERFACE_NAME) throw new RangeError(`per-VLAN bridge name ${name} is longer than ${MAX_INTERFACE_NAME} characters`);
  return name;
}

/** The bridge and VLAN handling for `nic` under `options`. */
export function placeNic(nic: VmNicSpec, options: BridgeOptions = {}): NicPlacement {
  const label = nic.trafficLabel !== undefined && nic.trafficLabel.trim() !== '' ? nic.trafficLabel.trim() : undefined;
  const bridge = label ?? options.defaultBridges?.[nic.trafficType] ?? DEFAULT_BRIDGE;
  const vlanId = vlanIdOf(nic.vlan);
  if ((options.bridgeType ?? 'native') === 'openvswitch') {
    return vlanId === undefined ? { bridge, openvswitch: true } : { bridge, vlanTag: vlanId, openvswitch: true };
  }
  if (vlanId === undefined) return { bridge, openvswitch: false };
  return { bridge: vlanBridgeName(options.physicalInterfaces?.[bridge] ?? bridge, vlanId), openvswitch: false };
}
