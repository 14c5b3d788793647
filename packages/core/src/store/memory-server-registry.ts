import type { ServerBeat, ServerRegistry } from '../contracts/server-registry.js';

interface Row {
  startedAt: number;
  lastHeartbeat: number;
  takenOverBy?: string;
}

/**
 * The in-process {@link ServerRegistry}: several clouds of one process (on one memory store)
 * share an instance. Every method checks and writes without awaiting in between, so a claim is
 * atomic among the process's callers; times are the `now` the callers pass.
 */
export class MemoryServerRegistry implements ServerRegistry {
  private readonly rows = new Map<string, Row>();

  /** Records that `serverId` is alive at `now`. */
  async heartbeat(serverId: string, now: number): Promise<void> {
    const row = this.rows.get(serverId);
    if (row === undefined) this.rows.set(serverId, { startedAt: now, lastHeartbeat: now });
    else row.lastHeartbeat = Math.max(row.lastHeartbeat, now);
  }

  /** Every registered server, longest silent first. */
  async list(now: number): Promise<ServerBeat[]> {
    return [...this.rows.entries()]
      .sort(([aId, a], [bId, b]) => a.lastHeartbeat - b.lastHeartbeat || (aId < bId ? -1 : aId > bId ? 1 : 0))
      .map(([serverId, row]) => ({
        serverId,
        startedAt: new Date(row.startedAt).toISOString(),
        lastHeartbeat: new Date(row.lastHeartbeat).toISOString(),
        silentForMs: Math.max(0, now - row.lastHeartbeat),
        ...(row.takenOverBy === undefined ? {} : { takenOverBy: row.takenOverBy }),
      }));
  }

  /** The servers silent for longer than `deadAfterMs`. */
  async findStale(deadAfterMs: number, now: number): Promise<ServerBeat[]> {
    return (await this.list(now)).filter((beat) => beat.silentForMs > deadAfterMs);
  }

  /** Claims a dead server's work for `survivorId`: true for exactly one caller. */
  async claimTakeover(deadServerId: string, survivorId: string, deadAfterMs: number, now: number): Promise<boolean> {
    const row = this.rows.get(deadServerId);
    if (row === undefined || deadServerId === survivorId || now - row.lastHeartbeat <= deadAfterMs) return false;
    if (row.takenOverBy !== undefined) {
      const holder = this.rows.get(row.takenOverBy);
      if (holder !== undefined && now - holder.lastHeartbeat <= deadAfterMs) return false;
    }
    row.takenOverBy = survivorId;
    return true;
  }

  /** Removes a server's record. */
  async forget(serverId: string): Promise<boolean> {
    return this.rows.delete(serverId);
  }
}
