import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { CallContext } from '@cloudstack-sdk/core';
import { testKeyring } from '../../../core/test/support/test-cloud.js';
import { vmCloud, type VmCloud } from '../../../core/test/vms/vm-fixtures.js';
import { MysqlStore } from '../../src/index.js';
import type { WorkerReport, WorkerTask } from './deploy-worker.js';
import { createTestDatabase, type TestDatabase } from './mariadb.js';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const WORKER = fileURLToPath(new URL('./deploy-worker.ts', import.meta.url));
/** Core and the simulator from source, with legacy decorators, as in vitest. */
export const WORKER_TSCONFIG = fileURLToPath(new URL('./worker.tsconfig.json', import.meta.url));

/** A cloud set up on a fresh database, ready for worker processes to share. */
export interface SharedCloud {
  /** The database. */
  readonly db: TestDatabase;
  /** The set-up cloud (server `setup`), on a store of its own. */
  readonly t: VmCloud;
  /** The store the set-up cloud uses (for checks afterwards). */
  readonly store: MysqlStore;
  /** What every worker's task shares. */
  readonly base: Omit<WorkerTask, 'serverId' | 'mode' | 'loops' | 'caller'>;
  /** Closes the set-up cloud and drops the database. */
  close(): Promise<void>;
}

/**
 * A basic zone on MariaDB, set up through core's VM fixture: one pod with `guestAddresses`
 * direct guest addresses, four simulated hosts (4 × 2000 MHz, 8 GiB each), a pool, a
 * downloaded template and a 500 MHz / 512 MB offering; plus a public range of `publicAddresses`
 * addresses on VLAN 100 and the given account limits.
 */
export async function sharedCloud(options: { guestAddresses: number; publicAddresses: number; config?: Readonly<Record<string, number>> }): Promise<SharedCloud> {
  const db = await createTestDatabase();
  const store = new MysqlStore({ url: db.url, connectionLimit: 4 });
  const t = await vmCloud({ store, serverId: 'setup', hosts: 4, guestAddresses: options.guestAddresses, ...(options.config === undefined ? {} : { config: options.config }) });
  const [network] = await t.cloud.system.physicalNetworks.list({ zoneId: t.zone.id });
  await t.cloud.system.physicalNetworks.addTrafficType({ physicalNetworkId: network!.id, trafficType: 'Public', simulatorNetworkLabel: 'simbr0' });
  await t.cloud.system.ipRanges.createVlanIpRange({
    zoneId: t.zone.id,
    vlan: 100,
    gateway: '198.51.100.1',
    netmask: '255.255.255.0',
    startIp: '198.51.100.10',
    endIp: `198.51.100.${9 + options.publicAddresses}`,
  });
  return {
    db,
    t,
    store,
    base: {
      url: db.url,
      secretKey: testKeyring().keys.test,
      hostNames: t.hosts.map((_, i) => `h${i}`),
      zoneId: t.zone.id,
      templateId: t.template.id,
      serviceOfferingId: t.offering.id,
    },
    async close() {
      await t.cloud.close();
      await db.drop();
    },
  };
}

/** A worker process and what it reported so far. */
export interface RunningWorker {
  /** Its task's server id. */
  readonly serverId: string;
  /** The child process. */
  readonly child: ChildProcess;
  /** Every report line so far. */
  readonly reports: WorkerReport[];
  /** What it wrote to stderr. */
  readonly stderr: string[];
  /** Resolves with the exit code (null) and signal when it ends. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Resolves once a report satisfies `predicate` (rejects if the worker ends first). */
  waitFor(predicate: (report: WorkerReport) => boolean): Promise<WorkerReport>;
}

/** Starts a worker process (`node --import tsx`, aliases and decorators from `worker.tsconfig.json`). */
export function startWorker(task: WorkerTask): RunningWorker {
  const child = spawn(process.execPath, ['--import', 'tsx', WORKER, JSON.stringify(task)], {
    cwd: ROOT,
    env: { ...process.env, TSX_TSCONFIG_PATH: WORKER_TSCONFIG },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const reports: WorkerReport[] = [];
  const stderr: string[] = [];
  const waiters: { predicate: (r: WorkerReport) => boolean; resolve: (r: WorkerReport) => void; reject: (e: Error) => void }[] = [];
  let buffered = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    buffered += chunk;
    let newline = buffered.indexOf('\n');
    while (newline >= 0) {
      const line = buffered.slice(0, newline).trim();
      buffered = buffered.slice(newline + 1);
      newline = buffered.indexOf('\n');
      if (!line.startsWith('{')) continue;
      const report = JSON.parse(line) as WorkerReport;
      reports.push(report);
      for (const waiter of [...waiters]) {
        if (!waiter.predicate(report)) continue;
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(report);
      }
    }
  });
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => stderr.push(chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('exit', (code, signal) => {
      for (const waiter of waiters.splice(0)) waiter.reject(new Error(`worker ${task.serverId} ended (${code ?? signal}) before the awaited report: ${stderr.join('').slice(-2000)}`));
      resolve({ code, signal });
    });
  });
  return {
    serverId: task.serverId,
    child,
    reports,
    stderr,
    exited,
    waitFor(predicate) {
      const seen = reports.find(predicate);
      if (seen !== undefined) return Promise.resolve(seen);
      if (child.exitCode !== null || child.signalCode !== null) return Promise.reject(new Error(`worker ${task.serverId} already ended`));
      return new Promise((resolve, reject) => waiters.push({ predicate, resolve, reject }));
    },
  };
}

/** The caller context of a fixture account. */
export function callerFor(t: VmCloud, name: 'alice' | 'bob'): CallContext {
  return t.as[name];
}
