import type { ManagementServerBeat, ManagementServers } from './management-servers.js';

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
}

function toServerBeat(beat: ManagementServerBeat): ServerBeat {
  return {
    serverId: beat.serverId,
    startedAt: beat.startedAt.toISOString(),
    lastHeartbeat: beat.lastHeartbeat.toISOString(),
    silentForMs: beat.silentForMs,
    ...(beat.takenOverBy === undefined ? {} : { takenOverBy: beat.takenOverBy }),
  };
}

/**
 * Core's `ServerRegistry` on the `management_servers` table. Every time is the database's
 * (`UTC_TIMESTAMP(3)`): the `now` callers pass is ignored, so management servers whose clocks
 * disagree still agree on who went silent. A takeover claim locks the dead server's row and
 * marks it, so exactly one survivor wins however many race. Get one from
 * `MysqlStore.serverRegistry`.
 */
export class MysqlServerRegistry {
  /** A registry over the store's heartbeat rows. */
  constructor(private readonly servers: ManagementServers) {}

  /** Records that `serverId` is alive (database clock; `now` is ignored). */
  async heartbeat(serverId: string, _now: number): Promise<void> {
    await this.servers.heartbeat(serverId);
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
