import type { DependencyContainer } from 'tsyringe';
import { isoNow, type Clock } from '../contracts/clock.js';
import type { ServerRegistry } from '../contracts/server-registry.js';
import type { Store, Transaction } from '../contracts/store.js';
import { invalidParameter } from '../errors.js';
import { TOKENS, type Logger } from '../tokens.js';
import { JobRunner } from './job-runner.js';
import { ServerLease, type FencedServer } from './server-lease.js';
import { VmRecovery, type RecoveredVm } from './vm-recovery.js';

/**
 * The claim pool recording which management server reconciles which hosts: one item per host
 * id, held by the reconciling server's id. Claims are atomic in the store, so two servers never
 * both own a host.
 */
export const HOST_RECONCILE_POOL = 'reconcile:hosts';

/** How often a {@link ManagementServerMonitor} beats and when it declares a server dead. */
export interface ManagementServerMonitorOptions {
  /** Milliseconds between heartbeats (and takeover checks); 10,000 by default. */
  readonly heartbeatMs?: number;
  /** A server silent for longer than this is dead; 3 × `heartbeatMs` by default, and never less than 2 × `heartbeatMs`. */
  readonly deadAfterMs?: number;
  /**
   * Called once if this server finds it was taken over while it still ran (a registry that
   * fences refused its heartbeat): the monitor has stopped, and the store refuses the server's
   * writes. A product typically exits here, as CloudStack's management server fences itself,
   * and starts again (a new cloud and store: a new registration).
   */
  readonly onFenced?: (fenced: FencedServer) => void;
}

/** What taking over one dead server did. */
export interface TakeoverOutcome {
  /** The dead server. */
  readonly deadServerId: string;
  /** The survivor (this server). */
  readonly survivorId: string;
  /** Ids of the dead server's pending jobs, now failed with an error naming both servers. */
  readonly failedJobIds: readonly string[];
  /** The VMs its jobs left in a transitional state, now released and settled. */
  readonly recoveredVms: readonly RecoveredVm[];
  /** The hosts it reconciled, released so live servers (this one first) claim them. */
  readonly releasedHosts: readonly string[];
  /** When the takeover finished (ISO-8601, the cloud's clock). */
  readonly at: string;
}

/** The parts of a cloud the monitor works with (a `Cloud` has them all). */
export interface MonitoredCloud {
  /** This server's id. */
  readonly serverId: string;
  /** The store the servers share. */
  readonly store: Store;
  /** The cloud's container (its job runner, VM area, clock and logger). */
  readonly container: DependencyContainer;
}

/**
 * Keeps one management server's place among several sharing a store (guide 4.5.7): it
 * heartbeats for this server; finds servers silent for longer than `deadAfterMs`; claims each
 * one's work through {@link ServerRegistry.claimTakeover} (exactly one survivor wins); and takes
 * it over — the dead server's pending jobs are failed with a clear error
 * ({@link JobRunner.failInterrupted}), the VMs those jobs left `Starting`, `Stopping` or
 * `Migrating` are released and settled ({@link VmRecovery}), and its hosts' reconciliation is
 * released to the live servers — then forgets the dead server.
 *
 * Host reconciliation ownership is a per-host claim in the store pool {@link HOST_RECONCILE_POOL}:
 * on every tick a server claims unowned hosts up to its fair share (hosts ÷ live servers,
 * rounded up); hosts stay with a live owner (no rebalancing away from it); a dead owner's hosts
 * go back to the pool at takeover and are claimed again at once. {@link ownedHosts} tells a
 * product which hosts to run `vmReconciler.reconcile` on.
 *
 * Split brain: on a registry that fences (the MySQL store's), the first beat registers a new
 * incarnation of this server (an epoch) and arms the store's guard, which refuses every write
 * of this server once a survivor claimed it. A server taken for dead that still runs (paused,
 * cut off for longer than `deadAfterMs`) therefore cannot complete its jobs, VM outcomes or
 * reconciliation after the takeover; its next beat finds it fenced ({@link fenced}), and the
 * monitor stops: no more beats, takeovers or host claims, {@link ownedHosts} empty, and
 * `onFenced` is called. It never registers again by itself — work it began under the old
 * epoch may still be running — so the product starts a new cloud to rejoin.
 *
 * A product constructs one per cloud after `createCloud` and calls {@link start}; {@link stop}
 * before `cloud.close()`.
 */
export class ManagementServerMonitor {
  private readonly heartbeatMs: number;
  private readonly deadAfterMs: number;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly lease: ServerLease;
  private readonly onFenced: ((fenced: FencedServer) => void) | undefined;
  private timer: ReturnType<typeof setInterval> | undefined;
  private ticking: Promise<TakeoverOutcome[]> | undefined;
  private told = false;

  /** A monitor for `cloud`'s server on `registry`; nothing happens before {@link start} or {@link tick}. */
  constructor(
    private readonly cloud: MonitoredCloud,
    private readonly registry: ServerRegistry,
    options: ManagementServerMonitorOptions = {},
  ) {
    this.heartbeatMs = options.heartbeatMs ?? 10_000;
    this.deadAfterMs = options.deadAfterMs ?? 3 * this.heartbeatMs;
    if (!(this.heartbeatMs > 0)) throw invalidParameter('heartbeatms', 'must be a positive number of milliseconds');
    if (!(this.deadAfterMs >= 2 * this.heartbeatMs)) {
      throw invalidParameter('deadafterms', `must be at least twice heartbeatMs (${2 * this.heartbeatMs} ms), or a live server that beats a little late is taken for dead`);
    }
    this.clock = cloud.container.resolve(TOKENS.Clock);
    this.logger = cloud.container.resolve(TOKENS.Logger);
    this.lease = new ServerLease(registry, cloud.serverId, this.deadAfterMs);
    this.onFenced = options.onFenced;
  }

  /** Set once this server found it was taken over while it still ran; the monitor has stopped. */
  get fenced(): FencedServer | undefined {
    return this.lease.fenced;
  }

  /** The epoch of this server's registration, on a registry that fences (after the first tick). */
  get epoch(): number | undefined {
    return this.lease.epoch;
  }

  /** Whether the periodic heartbeat runs. */
  get running(): boolean {
    return this.timer !== undefined;
  }

  /** Beats once and takes over any dead server now, then every `heartbeatMs`. Returns the first tick's takeovers. */
  async start(): Promise<TakeoverOutcome[]> {
    const first = await this.tick();
    if (this.timer === undefined && this.lease.fenced === undefined) {
      this.timer = setInterval(() => {
        this.tick().catch((error: unknown) => this.logger.error('management server monitor tick failed', { serverId: this.cloud.serverId, error: (error as Error).message }));
      }, this.heartbeatMs);
      this.timer.unref?.();
    }
    return first;
  }

  /** Stops beating (the server will be taken for dead after `deadAfterMs` unless it starts again) and waits for a running tick. */
  async stop(): Promise<void> {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    await this.ticking?.catch(() => undefined);
  }

  /**
   * One round: heartbeat, take over every dead server this server wins the claim for, then claim
   * unowned hosts for reconciliation. Concurrent calls share the running round.
   */
  async tick(): Promise<TakeoverOutcome[]> {
    this.ticking ??= this.round().finally(() => {
      this.ticking = undefined;
    });
    return this.ticking;
  }

  /**
   * Takes over `deadServerId` if this server wins the claim on it; undefined when it is not dead
   * or another server claimed it.
   */
  async takeOver(deadServerId: string): Promise<TakeoverOutcome | undefined> {
    if (this.lease.fenced !== undefined) return undefined;
    const survivorId = this.cloud.serverId;
    if (!(await this.registry.claimTakeover(deadServerId, survivorId, this.deadAfterMs, this.clock.now()))) return undefined;
    const failed = await this.cloud.container.resolve(JobRunner).failInterrupted(deadServerId, survivorId);
    const recoveredVms = await this.cloud.container.resolve(VmRecovery).recover(failed, deadServerId, survivorId);
    const releasedHosts = await this.cloud.store.transaction(async (tx) => {
      const held = await tx.pools.heldBy(deadServerId, HOST_RECONCILE_POOL);
      await tx.pools.releaseAll(deadServerId, HOST_RECONCILE_POOL);
      return held.map((claim) => claim.item);
    });
    await this.registry.forget(deadServerId);
    const outcome: TakeoverOutcome = { deadServerId, survivorId, failedJobIds: failed.map((job) => job.id), recoveredVms, releasedHosts, at: isoNow(this.clock) };
    this.logger.warn('took over a dead management server', { deadServerId, survivorId, jobs: failed.length, vms: recoveredVms.length, hosts: releasedHosts.length });
    return outcome;
  }

  /** The hosts this server reconciles (holds the claim on); none once it was fenced. */
  async ownedHosts(): Promise<string[]> {
    if (this.lease.fenced !== undefined) return [];
    return this.cloud.store.transaction(async (tx) => (await tx.pools.heldBy(this.cloud.serverId, HOST_RECONCILE_POOL)).map((claim) => claim.item).sort());
  }

  private async round(): Promise<TakeoverOutcome[]> {
    if (!(await this.lease.beat(this.clock.now(), isoNow(this.clock)))) {
      this.stopFenced();
      return [];
    }
    const outcomes: TakeoverOutcome[] = [];
    for (const stale of await this.registry.findStale(this.deadAfterMs, this.clock.now())) {
      if (stale.serverId === this.cloud.serverId) continue;
      const outcome = await this.takeOver(stale.serverId);
      if (outcome !== undefined) outcomes.push(outcome);
    }
    await this.claimHosts();
    return outcomes;
  }

  /** Stops for good once fenced: no more beats, takeovers or host claims; tells the product once. */
  private stopFenced(): void {
    const fenced = this.lease.fenced;
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    if (fenced === undefined || this.told) return;
    this.told = true;
    this.logger.error('this management server was taken over while it still ran; it stops acting as the owner of anything', { ...fenced });
    this.onFenced?.(fenced);
  }

  /** Claims unowned hosts up to this server's fair share, and lets go of hosts that no longer exist. */
  private async claimHosts(): Promise<void> {
    const now = this.clock.now();
    const live = (await this.registry.list(now)).filter((beat) => beat.silentForMs <= this.deadAfterMs).length;
    await this.cloud.store.transaction(async (tx) => {
      const hostIds = (await tx.repo('hosts').find()).items.map((host) => host.id);
      await tx.pools.add(HOST_RECONCILE_POOL, hostIds);
      await this.dropGoneHosts(tx, new Set(hostIds));
      const share = Math.ceil(hostIds.length / Math.max(1, live));
      let held = (await tx.pools.heldBy(this.cloud.serverId, HOST_RECONCILE_POOL)).length;
      while (held < share && (await tx.pools.claim(HOST_RECONCILE_POOL, this.cloud.serverId)) !== undefined) held += 1;
    });
  }

  private async dropGoneHosts(tx: Transaction, existing: ReadonlySet<string>): Promise<void> {
    for (const claim of await tx.pools.heldBy(this.cloud.serverId, HOST_RECONCILE_POOL)) {
      if (existing.has(claim.item)) continue;
      await tx.pools.release(HOST_RECONCILE_POOL, claim.item, this.cloud.serverId);
      await tx.pools.remove(HOST_RECONCILE_POOL, [claim.item]);
    }
  }
}
