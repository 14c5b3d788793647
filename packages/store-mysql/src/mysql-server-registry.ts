import type { ManagementServerBeat, ManagementServers } from './management-servers.js';
import type { ServerFence } from './server-fence.js';

/**
 * One server's record as core's `ServerBeat` has it (times as ISO-8601 strings). Declared here
 * structurally, so this registry satisfies core's `ServerRegistry` contract wherever it is passed.
 */
export interface ServerBeat {
  /** The server's id. */
  readonly serverId: string;
  /** When it first beat (ISO-8601, database clock). */
  readonly startedAt: string;
  /** When it last beat (ISO-8601, database clock). */
  readonly lastHeartbeat: string;
  /** Milliseconds since its last beat, by the database clock. */
  readonly silentForMs: number;
  /** The survivor that claimed this server's work, once one has. */
  readonly takenOverBy?: string;
  /** The epoch of its current registration, once it registered. */
  readonly epoch?: number;
}

function toServerBeat(beat: ManagementServerBeat): ServerBeat {
  return {
    serverId: beat.serverId,
    startedAt: beat.startedAt.toISOString(),
    lastHeartbeat: beat.lastHeartbeat.toISOString(),
    silentForMs: beat.silentForMs,
    ...(beat.takenOverBy === undefined ? {} : { takenOverBy: beat.takenOverBy }),
    ...(beat.epoch === undefined ? {} : { epoch: beat.epoch }),
  };
}

/**
 * Core's `ServerRegistry` on the `management_servers` table. Every time is the database's
 * (`UTC_TIMESTAMP(3)`): the `now` callers pass is ignored, so management servers whose clocks
 * disagree still agree on who went silent. A takeover claim locks the dead server's row and
 * marks it, so exactly one survivor wins however many race. Get one from
 * `MysqlStore.serverRegistry`.
 *
 * {@link register} and {@link renew} fence the store's own server: registering arms the store's
 * {@link ServerFence} with the new epoch, so from then on the store commits a write only while
 * the server still owns its work; a renewal that finds the server taken over fences the store.
 */
export class MysqlServerRegistry {
  /** A registry over the store's heartbeat rows, guarding the store's writes with `fence`. */
  constructor(
    private readonly servers: ManagementServers,
    private readonly fence: ServerFence,
  ) {}

  /** Records that `serverId` is alive (database clock; `now` is ignored). */
  async heartbeat(serverId: string, _now: number): Promise<void> {
    await this.servers.heartbeat(serverId);
  }

  /**
   * Registers a new incarnation of `serverId` (database clock; `now` is ignored) and returns its
   * epoch, which the store's writes are fenced with from now on. Refused (530) while a live
   * survivor is taking the server over, and on a store that was fenced already.
   */
  async register(serverId: string, deadAfterMs: number, _now: number): Promise<number> {
    this.fence.assertArmable(serverId);
    const epoch = await this.servers.register(serverId, deadAfterMs);
    this.fence.arm({ serverId, epoch });
    return epoch;
  }

  /**
   * Beats for incarnation `epoch` of `serverId`: false once it was taken over, forgotten or
   * replaced by a newer registration — and then the store, if it writes for that incarnation,
   * is fenced.
   */
  async renew(serverId: string, epoch: number, _now: number): Promise<boolean> {
    const held = this.fence.incarnation;
    const ours = held?.serverId === serverId && held.epoch === epoch;
    if (ours && this.fence.fenced !== undefined) return false;
    if (await this.servers.renew(serverId, epoch)) return true;
    if (ours) this.fence.fence('its heartbeat was taken over by another management server (or a newer start of it registered)');
    return false;
  }

  /** Every registered server, longest silent first. */
  async list(_now: number): Promise<ServerBeat[]> {
    return (await this.servers.list()).map(toServerBeat);
  }

  /** The servers silent for longer than `deadAfterMs`, by the database clock. */
  async findStale(deadAfterMs: number, _now: number): Promise<ServerBeat[]> {
    return (await this.servers.findStale(deadAfterMs)).map(toServerBeat);
  }

  /** Claims a dead server's work for `survivorId`: true for exactly one caller. */
  async claimTakeover(deadServerId: string, survivorId: string, deadAfterMs: number, _now: number): Promise<boolean> {
    return this.servers.claimTakeover(deadServerId, survivorId, deadAfterMs);
  }

  /** Removes a server's row. */
  async forget(serverId: string): Promise<boolean> {
    return this.servers.remove(serverId);
  }
}
