import { createCloud, type Cloud, type Logger } from '@cloudstack-sdk/core';
import { createSimulator } from '@cloudstack-sdk/driver-simulator';
import { MysqlStore } from '../../src/index.js';
import type { SharedCloud } from './multi-server-cloud.js';

/** A second management server in the test's own process, on a shared cloud's database. */
export interface InProcessServer {
  /** Its cloud. */
  readonly cloud: Cloud;
  /** Its store (a connection pool of its own). */
  readonly store: MysqlStore;
  /** Every error its logger was told (message and fields). */
  readonly errors: { message: string; fields?: Readonly<Record<string, unknown>> }[];
  /** Closes the cloud (and the store). */
  close(): Promise<void>;
}

/**
 * Opens the shared cloud's database as management server `serverId` in this process, with a
 * simulator of its own that knows the same hosts (as the worker processes do); starts take
 * `startDelayMs` when given.
 */
export async function inProcessServer(shared: SharedCloud, serverId: string, options: { startDelayMs?: number } = {}): Promise<InProcessServer> {
  const sim = createSimulator();
  for (const name of shared.t.hostNames) {
    sim.lab.defineHost(name, { cpuSockets: 1, cpuCores: 4, cpuSpeedMhz: 2000, memoryBytes: 8 * 1024 ** 3 });
    sim.lab.recoverHost(name);
  }
  if (options.startDelayMs !== undefined) sim.lab.faults.inject({ operation: 'startVm', mode: 'slow', delayMs: options.startDelayMs });
  const store = new MysqlStore({ url: shared.base.url, connectionLimit: 4 });
  const errors: InProcessServer['errors'] = [];
  const logger: Logger = { warn: () => undefined, info: () => undefined, error: (message, fields) => errors.push({ message, ...(fields === undefined ? {} : { fields }) }) };
  const cloud = await createCloud({
    store,
    serverId,
    secrets: { activeKeyId: 'test', keys: { test: shared.base.secretKey } },
    hypervisors: sim.hypervisors,
    storage: sim.storage,
    passwordHashing: { N: 1024, r: 8, p: 1 },
    logger,
  });
  return { cloud, store, errors, close: () => cloud.close() };
}
