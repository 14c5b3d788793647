import { CapacityKeys, usageCounterKey, type Store } from '@cloudstack-sdk/core';
import { adminConnection } from './mariadb.js';
import type mysql from 'mysql2/promise';

/** What the shared database holds once the workers are done, read for invariant checks. */
export interface CloudSnapshot {
  /** Pool items held more than once (pool, item, rows): must be empty. */
  readonly heldTwice: readonly { pool: string; item: string; rows: number }[];
  /** Held items per pool prefix (`publicip`, `guestip`, `mac`, `vlan`...). */
  readonly heldByKind: Readonly<Record<string, number>>;
  /**
   * Per host: its CPU and memory counters, the sums its VMs' and virtual routers' reservations
   * make, its VM counter and the VMs and routers on it, and its totals.
   */
  readonly hosts: readonly {
    id: string;
    cpuCounter: number;
    cpuReserved: number;
    cpuTotal: number;
    memoryCounter: number;
    memoryReserved: number;
    memoryTotal: number;
    vmCounter: number;
    vms: number;
  }[];
  /** VMs by state. */
  readonly vmStates: Readonly<Record<string, number>>;
  /** NIC addresses and MACs held by two NICs. */
  readonly nicDuplicates: readonly string[];
  /** Guest IP and MAC pool items whose holder is no existing NIC (or virtual router: `<routerId>:guest`). */
  readonly orphanClaims: readonly string[];
  /** What the virtual routers hold: pod guest addresses, MACs, and places on hosts. */
  readonly routers: { readonly guestIps: number; readonly macs: number; readonly onHosts: number };
  /** Per account: its `user_vm` count and its VM rows; its `volume` count and volume rows; its `public_ip` count. */
  readonly accounts: readonly { id: string; userVmCount: number; vmRows: number; volumeCount: number; volumeRows: number; publicIpCount: number }[];
}

/** Reads the invariants' inputs from the store and, for the raw pool rows, from the database. */
export async function snapshotCloud(store: Store, database: string, accountIds: readonly string[]): Promise<CloudSnapshot> {
  const admin = await adminConnection(database);
  let heldTwice: CloudSnapshot['heldTwice'];
  let heldRows: { pool: string; item: string; holder: string }[];
  try {
    const [twice] = await admin.query<mysql.RowDataPacket[]>('SELECT `pool`, `item`, COUNT(*) AS n FROM `claim_pool_items` GROUP BY `pool`, `item` HAVING COUNT(*) > 1');
    heldTwice = twice.map((r) => ({ pool: String(r.pool), item: String(r.item), rows: Number(r.n) }));
    const [held] = await admin.query<mysql.RowDataPacket[]>('SELECT `pool`, `item`, `holder` FROM `claim_pool_items` WHERE `holder` IS NOT NULL');
    heldRows = held.map((r) => ({ pool: String(r.pool), item: String(r.item), holder: String(r.holder) }));
  } finally {
    await admin.end();
  }
  return store.transaction(async (tx) => {
    const vms = (await tx.repo('vms').find()).items;
    const nics = (await tx.repo('nics').find()).items;
    const hostRows = (await tx.repo('hosts').find()).items;
    const volumes = (await tx.repo('volumes').find()).items;
    // A basic zone's pods get a virtual router with their first guests: it holds a pod address,
    // a MAC and host capacity as a VM does.
    const routers = (await tx.repo('routers').find()).items;
    const heldByKind: Record<string, number> = {};
    for (const row of heldRows) {
      const kind = row.pool.split(':')[0] ?? row.pool;
      heldByKind[kind] = (heldByKind[kind] ?? 0) + 1;
    }
    const vmStates: Record<string, number> = {};
    for (const vm of vms) vmStates[vm.state] = (vmStates[vm.state] ?? 0) + 1;
    const seen = new Set<string>();
    const nicDuplicates: string[] = [];
    for (const nic of nics) {
      for (const key of [nic.ipAddress === undefined ? undefined : `ip ${nic.ipPool}/${nic.ipAddress}`, `mac ${nic.zoneId}/${nic.macAddress}`]) {
        if (key === undefined) continue;
        if (seen.has(key)) nicDuplicates.push(key);
        seen.add(key);
      }
    }
    const nicIds = new Set([...nics.map((n) => n.id), ...routers.map((r) => `${r.id}:guest`)]);
    const orphanClaims = heldRows.filter((r) => (r.pool.startsWith('guestip:') || r.pool.startsWith('mac:')) && !nicIds.has(r.holder)).map((r) => `${r.pool}/${r.item} by ${r.holder}`);
    const hosts = [];
    for (const host of hostRows) {
      const onHost = [...vms, ...routers].filter((vm) => vm.hostId === host.id);
      hosts.push({
        id: host.id,
        cpuCounter: await tx.counters.get(CapacityKeys.hostCpuMhz(host.id)),
        cpuReserved: onHost.reduce((sum, vm) => sum + (vm.reservation?.amounts.cpuMhz ?? 0), 0),
        cpuTotal: host.cpuNumber * host.cpuSpeed,
        memoryCounter: await tx.counters.get(CapacityKeys.hostMemoryBytes(host.id)),
        memoryReserved: onHost.reduce((sum, vm) => sum + (vm.reservation?.amounts.memoryBytes ?? 0), 0),
        memoryTotal: host.memoryTotal,
        vmCounter: await tx.counters.get(CapacityKeys.hostVms(host.id)),
        vms: onHost.length,
      });
    }
    const accounts = [];
    for (const id of accountIds) {
      accounts.push({
        id,
        userVmCount: await tx.counters.get(usageCounterKey('account', id, 'user_vm')),
        vmRows: vms.filter((vm) => vm.accountId === id && vm.state !== 'Destroyed' && vm.state !== 'Expunging').length,
        volumeCount: await tx.counters.get(usageCounterKey('account', id, 'volume')),
        volumeRows: volumes.filter((volume) => volume.accountId === id).length,
        publicIpCount: await tx.counters.get(usageCounterKey('account', id, 'public_ip')),
      });
    }
    const routerHoldings = {
      guestIps: routers.filter((r) => r.guestIpPool !== undefined).length,
      macs: routers.length,
      onHosts: routers.filter((r) => r.hostId !== undefined).length,
    };
    return { heldTwice, heldByKind, hosts, vmStates, nicDuplicates, orphanClaims, routers: routerHoldings, accounts };
  });
}
