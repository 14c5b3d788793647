import { ConfigReader, NetworkImplementer, VmRemoval, isCloudError, type Cloud } from '@cloudstack-sdk/core';
import type { ServerLog } from './log.js';

/** Periodic work a management server does as SYSTEM; `stop` ends it. */
export interface BackgroundTasks {
  /** Stops the timers and waits for a sweep in progress. */
  stop(): Promise<void>;
}

/**
 * Starts the periodic sweeps CloudStack's management server runs: the expunge sweep every
 * `expunge.interval` seconds (it expunges VMs destroyed more than `expunge.delay` ago), VM
 * reconciliation of every Up host every `ping.interval` seconds, and the recurring-snapshot
 * sweep every `snapshot.poll.interval` seconds, and the network garbage collector every
 * `network.gc.interval` seconds (it shuts down isolated networks idle for `network.gc.wait`). Each sweep runs alone; a failure is logged and
 * the next one runs as planned.
 */
export async function startBackgroundTasks(cloud: Cloud, log: ServerLog): Promise<BackgroundTasks> {
  const config = cloud.container.resolve(ConfigReader);
  const removal = cloud.container.resolve(VmRemoval);
  const running = new Set<Promise<void>>();
  const timers: NodeJS.Timeout[] = [];

  const every = (seconds: number, name: string, sweep: () => Promise<Record<string, unknown>>) => {
    let busy = false;
    const timer = setInterval(() => {
      if (busy) return;
      busy = true;
      const run = sweep()
        .then((fields) => log.info(`${name} sweep`, fields))
        .catch((error: unknown) => log.error(`${name} sweep failed`, { error: isCloudError(error) ? error.message : String(error) }))
        .finally(() => {
          busy = false;
          running.delete(run);
        });
      running.add(run);
    }, seconds * 1000);
    timer.unref();
    timers.push(timer);
  };

  every(await config.number('expunge.interval'), 'expunge', async () => ({ expunged: await removal.expungeDue() }));
  every(await config.number('ping.interval'), 'reconcile', async () => {
    const hosts = await cloud.system.hosts.list({ state: 'Up' });
    let stopped = 0;
    let unknown = 0;
    for (const host of hosts) {
      const outcome = await cloud.system.vmReconciler.reconcile({ hostId: host.id });
      stopped += outcome.stopped.length;
      unknown += outcome.unknown.length;
    }
    return { hosts: hosts.length, stopped, unknown };
  });

  every(await config.number('snapshot.poll.interval'), 'snapshot', async () => {
    const result = await cloud.system.snapshotPolicies.runDueSnapshots();
    return { taken: result.taken.length, deleted: result.deleted.length, failed: result.failures.length };
  });

  const networks = cloud.container.resolve(NetworkImplementer);
  every(await config.number('network.gc.interval'), 'network-gc', async () => ({ shutDown: await networks.collectGarbage() }));

  return {
    async stop() {
      for (const timer of timers) clearInterval(timer);
      await Promise.allSettled(Array.from(running));
    },
  };
}
