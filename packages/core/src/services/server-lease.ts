import type { ServerRegistry } from '../contracts/server-registry.js';

/** A management server that learned it was taken over while it still ran. */
export interface FencedServer {
  /** The server. */
  readonly serverId: string;
  /** The epoch of the registration it lost. */
  readonly epoch: number;
  /** The survivor that claimed its work, when the registry still tells. */
  readonly takenOverBy?: string;
  /** When it found out (ISO-8601, the cloud's clock). */
  readonly at: string;
}

/**
 * One management server's place in a {@link ServerRegistry}, beat by beat. On a registry that
 * fences (`register` and `renew`), the first beat registers a new incarnation (an epoch) and
 * later beats renew it; a renewal the registry refuses means a survivor took the server over
 * while it still ran, and the lease ends for good. On a registry that does not fence, every
 * beat is a plain heartbeat and the lease never ends.
 */
export class ServerLease {
  private current: number | undefined;
  private lost: FencedServer | undefined;

  /** A lease for `serverId` on `registry`; a server silent for `deadAfterMs` is dead. */
  constructor(
    private readonly registry: ServerRegistry,
    private readonly serverId: string,
    private readonly deadAfterMs: number,
  ) {}

  /** Whether the registry fences (declares both `register` and `renew`). */
  get fencing(): boolean {
    return this.registry.register !== undefined && this.registry.renew !== undefined;
  }

  /** The epoch of this server's registration; undefined before the first beat, or on a registry that does not fence. */
  get epoch(): number | undefined {
    return this.current;
  }

  /** Set once the server was fenced. */
  get fenced(): FencedServer | undefined {
    return this.lost;
  }

  /**
   * Beats once: registers on the first beat, renews afterwards. False when the server is fenced
   * (now or before): it must stop acting as the owner of anything.
   */
  async beat(now: number, at: string): Promise<boolean> {
    if (this.lost !== undefined) return false;
    const { register, renew } = this.registry;
    if (register === undefined || renew === undefined) {
      await this.registry.heartbeat(this.serverId, now);
      return true;
    }
    if (this.current === undefined) {
      this.current = await register.call(this.registry, this.serverId, this.deadAfterMs, now);
      return true;
    }
    if (await renew.call(this.registry, this.serverId, this.current, now)) return true;
    const row = (await this.registry.list(now).catch(() => [])).find((beat) => beat.serverId === this.serverId);
    const takenOverBy = row?.epoch === this.current || row?.epoch === undefined ? row?.takenOverBy : undefined;
    this.lost = { serverId: this.serverId, epoch: this.current, ...(takenOverBy === undefined ? {} : { takenOverBy }), at };
    return false;
  }
}
