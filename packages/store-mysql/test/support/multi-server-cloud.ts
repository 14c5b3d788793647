import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createCloud, JobRunner, Role, type CallContext, type Cloud } from '@cloudstack-sdk/core';
import { createSimulator } from '@cloudstack-sdk/driver-simulator';
import { MysqlStore } from '../../src/index.js';
import type { WorkerReport, WorkerTask } from './deploy-worker.js';
import { createTestDatabase, type TestDatabase } from './mariadb.js';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const WORKER = fileURLToPath(new URL('./deploy-worker.ts', import.meta.url));
/** Core and the simulator from source, with legacy decorators, as in vitest. */
export const WORKER_TSCONFIG = fileURLToPath(new URL('./worker.tsconfig.json', import.meta.url));
/** The sealing key every server of a shared test cloud uses. */
const SECRET_KEY = Buffer.alloc(32, 7).toString('base64');
const GIB = 1024 ** 3;

/** The set-up cloud and what it made. */
export interface SharedCloudParts {
  /** The set-up server's cloud (server `setup`). */
  readonly cloud: Cloud;
  /** The basic zone. */
  readonly zone: { readonly id: string };
  /** The downloaded template. */
  readonly template: { readonly id: string };
  /** The 500 MHz / 512 MB offering. */
  readonly offering: { readonly id: string };
  /** The two user accounts, and callers for them. */
  readonly accounts: { readonly [K in 'alice' | 'bob']: { readonly id: string; readonly caller: CallContext } };
  /** The simulated host names. */
  readonly hostNames: readonly string[];
}

/** A cloud set up on a fresh database, ready for worker processes to share. */
export interface SharedCloud {
  /** The database. */
  readonly db: TestDatabase;
  /** The set-up cloud and what it made. */
  readonly t: SharedCloudParts;
  /** The set-up cloud's store (for checks afterwards). */
  readonly store: MysqlStore;
  /** What every worker's task shares. */
  readonly base: Omit<WorkerTask, 'serverId' | 'mode' | 'loops' | 'caller'>;
  /** Closes the set-up cloud and drops the database. */
  close(): Promise<void>;
}

/**
 * A basic zone on MariaDB, set up by a server `setup` in this process: one pod with
 * `guestAddresses` direct guest addresses, a cluster of four simulated hosts (4 × 2000 MHz,
 * 8 GiB each), an NFS pool, secondary storage, a downloaded public template, a 500 MHz / 512 MB
 * offering, users alice and bob, a public range of `publicAddresses` addresses on VLAN 100,
 * and the given initial configuration (account limits).
 */
export async function sharedCloud(options: { guestAddresses: number; publicAddresses: number; config?: Readonly<Record<string, number>> }): Promise<SharedCloud> {
  const db = await createTestDatabase();
  const store = new MysqlStore({ url: db.url, connectionLimit: 4 });
  const sim = createSimulator();
  const cloud = await createCloud({
    store,
    serverId: 'setup',
    secrets: { activeKeyId: 'test', keys: { test: SECRET_KEY } },
    hypervisors: sim.hypervisors,
    storage: sim.storage,
    passwordHashing: { N: 1024, r: 8, p: 1 },
    ...(options.config === undefined ? {} : { config: options.config }),
  });
  const sys = cloud.system;
  const zone = await sys.zones.create({ name: 'basic', networkType: 'Basic', dns1: '8.8.8.8', internalDns1: '192.168.10.2' });
  const network = await sys.physicalNetworks.create({ zoneId: zone.id, name: 'physnet' });
  for (const trafficType of ['Guest', 'Management', 'Public'] as const) await sys.physicalNetworks.addTrafficType({ physicalNetworkId: network.id, trafficType, simulatorNetworkLabel: 'simbr0' });
  const pod = await sys.pods.create({ zoneId: zone.id, name: 'pod-1', gateway: '192.168.10.1', netmask: '255.255.255.0', startIp: '192.168.10.2', endIp: '192.168.10.20' });
  await sys.ipRanges.createVlanIpRange({ zoneId: zone.id, podId: pod.id, forVirtualNetwork: false, gateway: '192.168.10.1', netmask: '255.255.255.0', startIp: '192.168.10.100', endIp: `192.168.10.${99 + options.guestAddresses}` });
  await sys.ipRanges.createVlanIpRange({ zoneId: zone.id, vlan: 100, gateway: '198.51.100.1', netmask: '255.255.255.0', startIp: '198.51.100.10', endIp: `198.51.100.${9 + options.publicAddresses}` });
  const cluster = await sys.clusters.add({ zoneId: zone.id, podId: pod.id, clusterName: 'c1', hypervisor: 'Simulator' });
  const hostNames = ['h0', 'h1', 'h2', 'h3'];
  for (const name of hostNames) {
    sim.lab.defineHost(name, { cpuSockets: 1, cpuCores: 4, cpuSpeedMhz: 2000, memoryBytes: 8 * GIB });
    await sys.hosts.add({ clusterId: cluster.id, url: `http://sim/${name}`, username: 'root', password: 'password' });
  }
  await sys.primaryStorage.create({ zoneId: zone.id, podId: pod.id, clusterId: cluster.id, name: 'ps1', protocol: 'NFS', server: '192.168.10.5', path: '/export/primary' });
  await sys.secondaryStorage.addSecondaryStorage({ zoneId: zone.id, url: 'nfs://192.168.10.5/export/secondary' });
  await sys.zones.update({ id: zone.id, allocationState: 'Enabled' });
  const osTypeId = (await sys.osTypes.list({ description: 'CentOS 6.3 (64-bit)' }))[0]?.id ?? '';
  const url = 'http://images.example.com/centos.qcow2';
  sim.lab.publishImage(url, { content: 'centos image bytes', steps: 0 });
  const template = await sys.templates.register({ name: 'centos', displayText: 'CentOS', url, format: 'QCOW2', hypervisor: 'Simulator', osTypeId, isPublic: true, passwordEnabled: true });
  await cloud.container.resolve(JobRunner).drain();
  const offering = await sys.serviceOfferings.create({ name: 'small', displayText: 'Small', cpuNumber: 1, cpuSpeed: 500, memory: 512 });
  const user = async (name: 'alice' | 'bob') => {
    const created = await sys.accounts.create({ role: Role.User, username: name, password: `${name}-pw-1`, firstName: name, lastName: 'Tester', email: `${name}@example.com` });
    const caller: CallContext = { userId: created.user.id, accountId: created.account.id, domainId: created.account.domainId, role: created.account.role };
    return { id: created.account.id, caller };
  };
  const accounts = { alice: await user('alice'), bob: await user('bob') };
  return {
    db,
    t: { cloud, zone, template, offering, accounts, hostNames },
    store,
    base: { url: db.url, secretKey: SECRET_KEY, hostNames, zoneId: zone.id, templateId: template.id, serviceOfferingId: offering.id },
    async close() {
      await cloud.close();
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
  /** Starts the loops of a worker told to wait (`waitForGo`). */
  go(): void;
}

/** Starts a worker process (`node --import tsx`, aliases and decorators from `worker.tsconfig.json`). */
export function startWorker(task: WorkerTask): RunningWorker {
  const child = spawn(process.execPath, ['--import', 'tsx', WORKER, JSON.stringify(task)], {
    cwd: ROOT,
    env: { ...process.env, TSX_TSCONFIG_PATH: WORKER_TSCONFIG },
    stdio: ['pipe', 'pipe', 'pipe'],
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
    go() {
      child.stdin!.end('go\n');
    },
    waitFor(predicate) {
      const seen = reports.find(predicate);
      if (seen !== undefined) return Promise.resolve(seen);
      if (child.exitCode !== null || child.signalCode !== null) return Promise.reject(new Error(`worker ${task.serverId} already ended`));
      return new Promise((resolve, reject) => waiters.push({ predicate, resolve, reject }));
    },
  };
}

/** The caller context of one of the shared cloud's accounts. */
export function callerFor(t: SharedCloudParts, name: 'alice' | 'bob'): CallContext {
  return t.accounts[name].caller;
}
