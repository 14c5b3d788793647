import { CloudError, CsErrorCode, ErrorCode } from '@cloudstack-sdk/core';
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
  /** The epoch of its current registration, once it registered (`register`). */
  readonly epoch?: number;
}

const TABLE = '`management_servers`';
const COLUMNS =
  '`server_id`, `started_at`, `last_heartbeat`, `taken_over_by`, `epoch`, TIMESTAMPDIFF(MICROSECOND, `last_heartbeat`, UTC_TIMESTAMP(3)) DIV 1000 AS silent_ms';

function beat(row: Readonly<Record<string, unknown>>): ManagementServerBeat {
  return {
    serverId: String(row.server_id),
    startedAt: row.started_at as Date,
    lastHeartbeat: row.last_heartbeat as Date,
    silentForMs: Number(row.silent_ms),
    ...(row.taken_over_by === null || row.taken_over_by === undefined ? {} : { takenOverBy: String(row.taken_over_by) }),
    ...(row.epoch === null || row.epoch === undefined ? {} : { epoch: Number(row.epoch) }),
  };
}

/**
 * Whether incarnation `epoch` of `serverId` still owns its work, read in the caller's
 * transaction with a shared lock on the server's row: a takeover claim (which locks the row for
 * update) waits until that transaction ends, and a transaction that checks after a claim
 * committed sees it. The fence of every write transaction of a registered server.
 */
export async function holdsEpoch(sql: SqlRunner, serverId: string, epoch: number): Promise<boolean> {
  const rows = await sql.rows(`SELECT 1 AS held FROM ${TABLE} WHERE \`server_id\` = ? AND \`epoch\` = ? AND \`taken_over_by\` IS NULL LOCK IN SHARE MODE`, [serverId, epoch]);
  return rows.length === 1;
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

  /**
   * Registers a new incarnation of `serverId` and returns its epoch: a number no registration
   * of any server got before (`management_server_epochs` is auto-increment). Its row is written
   * afresh — beating now, untaken, holding the new epoch — so an earlier incarnation still
   * running somewhere (a paused process, a second process started with the same id) is fenced
   * from then on. Refused (530) while a live survivor is taking this server over: the survivor
   * is failing the server's jobs and must finish first; a claim whose holder is silent for
   * longer than `silentForMs` (or gone) does not stand in the way.
   */
  async register(serverId: string, silentForMs: number): Promise<number> {
    const micros = Math.max(0, Math.round(silentForMs * 1000));
    return this.sql(async (sql) => {
      const [row] = await sql.rows(`SELECT \`taken_over_by\` FROM ${TABLE} WHERE \`server_id\` = ? FOR UPDATE`, [serverId]);
      const holder = row === undefined || row.taken_over_by === null ? undefined : String(row.taken_over_by);
      if (holder !== undefined) {
        const [claimer] = await sql.rows(`SELECT \`last_heartbeat\` < UTC_TIMESTAMP(3) - INTERVAL ? MICROSECOND AS dead FROM ${TABLE} WHERE \`server_id\` = ?`, [micros, holder]);
        if (claimer !== undefined && Number(claimer.dead) !== 1) {
          throw new CloudError(
            ErrorCode.INTERNAL_ERROR,
            `Management server ${serverId} cannot register: management server ${holder} is taking its work over; start it again once that has finished`,
            { csErrorCode: CsErrorCode.CLOUD_RUNTIME, details: { serverId, takenOverBy: holder } },
          );
        }
      }
      await sql.exec('INSERT INTO `management_server_epochs` (`server_id`, `registered_at`) VALUES (?, UTC_TIMESTAMP(3))', [serverId]);
      const [issued] = await sql.rows('SELECT LAST_INSERT_ID() AS epoch');
      const epoch = Number(issued?.epoch);
      await sql.exec(
        `INSERT INTO ${TABLE} (\`server_id\`, \`started_at\`, \`last_heartbeat\`, \`epoch\`) VALUES (?, UTC_TIMESTAMP(3), UTC_TIMESTAMP(3), ?) ` +
          'ON DUPLICATE KEY UPDATE `started_at` = UTC_TIMESTAMP(3), `last_heartbeat` = UTC_TIMESTAMP(3), `epoch` = VALUES(`epoch`), `taken_over_by` = NULL, `taken_over_at` = NULL',
        [serverId, epoch],
      );
      return epoch;
    });
  }

  /**
   * Beats for incarnation `epoch` of `serverId`: true while its row still holds that epoch and
   * nobody has claimed it; false once a survivor took it over (or forgot it, or a newer
   * incarnation registered) — the server is fenced and must stop acting as an owner.
   */
  async renew(serverId: string, epoch: number): Promise<boolean> {
    return this.sql(async (sql) => {
      const { affectedRows } = await sql.exec(
        `UPDATE ${TABLE} SET \`last_heartbeat\` = UTC_TIMESTAMP(3) WHERE \`server_id\` = ? AND \`epoch\` = ? AND \`taken_over_by\` IS NULL`,
        [serverId, epoch],
      );
      return affectedRows === 1;
    });
  }

  /** Removes a server's row (a clean shutdown, or after another server took over its work). */
  async remove(serverId: string): Promise<boolean> {
    return this.sql(async (sql) => (await sql.exec(`DELETE FROM ${TABLE} WHERE \`server_id\` = ?`, [serverId])).affectedRows === 1);
  }
}
