import type { SqlRunner } from './connection-pool.js';

/** A management server's heartbeat row. */
export interface ManagementServerBeat {
  /** The server's id. */
  readonly serverId: string;
  /** When it first beat (database clock, UTC). */
  readonly startedAt: Date;
  /** When it last beat (database clock, UTC). */
  readonly lastHeartbeat: Date;
  /** Milliseconds since its last beat, by the database clock. */
  readonly silentForMs: number;
  /** The survivor that claimed this server's work, once one has. */
  readonly takenOverBy?: string;
}

const TABLE = '`management_servers`';
const COLUMNS =
  '`server_id`, `started_at`, `last_heartbeat`, `taken_over_by`, TIMESTAMPDIFF(MICROSECOND, `last_heartbeat`, UTC_TIMESTAMP(3)) DIV 1000 AS silent_ms';

function beat(row: Readonly<Record<string, unknown>>): ManagementServerBeat {
  return {
    serverId: String(row.server_id),
    startedAt: row.started_at as Date,
    lastHeartbeat: row.last_heartbeat as Date,
    silentForMs: Number(row.silent_ms),
    ...(row.taken_over_by === null || row.taken_over_by === undefined ? {} : { takenOverBy: String(row.taken_over_by) }),
  };
}

/**
 * The heartbeat rows of the management servers sharing one database. Times come from the
 * database's clock, so servers whose clocks disagree still agree on who went silent.
 */
export class ManagementServers {
  constructor(private readonly sql: <R>(fn: (sql: SqlRunner) => Promise<R>) => Promise<R>) {}

  /** Records that `serverId` is alive now (registering it on its first beat). */
  async heartbeat(serverId: string): Promise<void> {
    await this.sql((sql) =>
      sql.exec(
        `INSERT INTO ${TABLE} (\`server_id\`, \`started_at\`, \`last_heartbeat\`) VALUES (?, UTC_TIMESTAMP(3), UTC_TIMESTAMP(3)) ` +
          'ON DUPLICATE KEY UPDATE `last_heartbeat` = UTC_TIMESTAMP(3)',
        [serverId],
      ),
    );
  }

  /** Every registered server, longest silent first. */
  async list(): Promise<ManagementServerBeat[]> {
    return this.sql(async (sql) => (await sql.rows(`SELECT ${COLUMNS} FROM ${TABLE} ORDER BY \`last_heartbeat\`, \`server_id\``)).map(beat));
  }

  /** The servers silent for longer than `silentForMs`, longest silent first: candidates for takeover. */
  async findStale(silentForMs: number): Promise<ManagementServerBeat[]> {
    return this.sql(async (sql) =>
      (
        await sql.rows(
          `SELECT ${COLUMNS} FROM ${TABLE} WHERE \`last_heartbeat\` < UTC_TIMESTAMP(3) - INTERVAL ? MICROSECOND ORDER BY \`last_heartbeat\`, \`server_id\``,
          [Math.max(0, Math.round(silentForMs * 1000))],
        )
      ).map(beat),
    );
  }

  /**
   * Claims `deadServerId`'s work for `survivorId`: true for exactly one caller. In one
   * transaction, the dead server's row is locked (`FOR UPDATE`, so racing survivors queue on it
   * and each reads the latest claim), checked — silent for longer than `silentForMs`, and not
   * claimed by a server that is itself alive — and marked `taken_over_by` the survivor.
   */
  async claimTakeover(deadServerId: string, survivorId: string, silentForMs: number): Promise<boolean> {
    if (deadServerId === survivorId) return false;
    const micros = Math.max(0, Math.round(silentForMs * 1000));
    return this.sql(async (sql) => {
      const [row] = await sql.rows(
        `SELECT \`taken_over_by\`, \`last_heartbeat\` < UTC_TIMESTAMP(3) - INTERVAL ? MICROSECOND AS dead FROM ${TABLE} WHERE \`server_id\` = ? FOR UPDATE`,
        [micros, deadServerId],
      );
      if (row === undefined || Number(row.dead) !== 1) return false;
      const holder = row.taken_over_by === null ? undefined : String(row.taken_over_by);
      if (holder !== undefined) {
        const [claimer] = await sql.rows(
          `SELECT \`last_heartbeat\` < UTC_TIMESTAMP(3) - INTERVAL ? MICROSECOND AS dead FROM ${TABLE} WHERE \`server_id\` = ?`,
          [micros, holder],
        );
        if (claimer !== undefined && Number(claimer.dead) !== 1) return false;
      }
      const { affectedRows } = await sql.exec(
        `UPDATE ${TABLE} SET \`taken_over_by\` = ?, \`taken_over_at\` = UTC_TIMESTAMP(3) WHERE \`server_id\` = ?`,
        [survivorId, deadServerId],
      );
      return affectedRows === 1;
    });
  }

  /** Removes a server's row (a clean shutdown, or after another server took over its work). */
  async remove(serverId: string): Promise<boolean> {
    return this.sql(async (sql) => (await sql.exec(`DELETE FROM ${TABLE} WHERE \`server_id\` = ?`, [serverId])).affectedRows === 1);
  }
}
