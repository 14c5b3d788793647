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
}

const TABLE = '`management_servers`';
const COLUMNS =
  '`server_id`, `started_at`, `last_heartbeat`, TIMESTAMPDIFF(MICROSECOND, `last_heartbeat`, UTC_TIMESTAMP(3)) DIV 1000 AS silent_ms';

function beat(row: Readonly<Record<string, unknown>>): ManagementServerBeat {
  return {
    serverId: String(row.server_id),
    startedAt: row.started_at as Date,
    lastHeartbeat: row.last_heartbeat as Date,
    silentForMs: Number(row.silent_ms),
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

  /** Removes a server's row (a clean shutdown, or after another server took over its work). */
  async remove(serverId: string): Promise<boolean> {
    return this.sql(async (sql) => (await sql.exec(`DELETE FROM ${TABLE} WHERE \`server_id\` = ?`, [serverId])).affectedRows === 1);
  }
}
