import { invalidParameter, resourceInUse, type ClaimPools, type PoolClaim, type PoolStats } from '@cloudstack-sdk/core';
import type { SqlRunner } from './connection-pool.js';

const TABLE = '`claim_pool_items`';
/** The moment an item became free, in microseconds: released items queue behind the others. */
const NOW_US = 'FLOOR(UNIX_TIMESTAMP(NOW(6)) * 1000000)';
/** Rows per multi-row statement, well inside `max_allowed_packet`. */
const BATCH = 1000;

/** A free item's place in its pool's queue. */
interface FreeItem {
  readonly seq: number;
  readonly order: number;
  readonly item: string;
}

function checkName(param: string, value: string): void {
  // Checked up front: INSERT IGNORE would otherwise truncate an over-long item silently.
  if (value.length > 255) throw invalidParameter(param, `is longer than 255 characters: ${value.slice(0, 40)}…`);
}

function batches<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += BATCH) out.push(items.slice(i, i + BATCH));
  return out;
}

/**
 * Claim pools in the `claim_pool_items` table, one row per item. A claim takes the first free
 * item with `SELECT … FOR UPDATE SKIP LOCKED` and marks it held while holding its row lock, so
 * two transactions, in one process or in several, never get the same item; rows other claimers
 * are busy with are skipped rather than waited for. The (pool, free_order, seq) index makes the
 * first free item one index probe however full the pool is.
 */
export class MysqlPools implements ClaimPools {
  /** Per pool, the item this transaction claimed last: where the next search for a free item starts. */
  private readonly cursors = new Map<string, FreeItem>();

  constructor(private readonly sql: SqlRunner) {}

  async add(pool: string, items: readonly string[]): Promise<number> {
    checkName('pool', pool);
    items.forEach((item) => checkName('item', item));
    let added = 0;
    for (const batch of batches(items)) {
      const values = batch.map(() => `(?, ?, ${NOW_US})`).join(', ');
      const { affectedRows } = await this.sql.exec(
        `INSERT IGNORE INTO ${TABLE} (\`pool\`, \`item\`, \`free_order\`) VALUES ${values}`,
        batch.flatMap((item) => [pool, item]),
      );
      added += affectedRows;
    }
    return added;
  }

  async remove(pool: string, items?: readonly string[]): Promise<number> {
    const groups = items === undefined ? [undefined] : batches(items);
    // Lock every row first: nothing may be claimed between the check and the delete.
    for (const group of groups) {
      if (group !== undefined && group.length === 0) continue;
      const held = await this.sql.rows(
        `SELECT \`item\`, \`holder\` FROM ${TABLE} WHERE \`pool\` = ?${group === undefined ? '' : ` AND \`item\` IN (${group.map(() => '?').join(', ')})`} ORDER BY \`seq\` FOR UPDATE`,
        group === undefined ? [pool] : [pool, ...group],
      );
      const taken = held.find((row) => row.holder !== null);
      if (taken !== undefined) throw resourceInUse(`Item ${String(taken.item)} of ${pool} is held by ${String(taken.holder)}`);
    }
    let removed = 0;
    for (const group of groups) {
      if (group !== undefined && group.length === 0) continue;
      const { affectedRows } = await this.sql.exec(
        `DELETE FROM ${TABLE} WHERE \`pool\` = ?${group === undefined ? '' : ` AND \`item\` IN (${group.map(() => '?').join(', ')})`}`,
        group === undefined ? [pool] : [pool, ...group],
      );
      removed += affectedRows;
    }
    return removed;
  }

  async claim(pool: string, holder: string, options: { readonly preferred?: string; readonly onlyPreferred?: boolean } = {}): Promise<string | undefined> {
    checkName('holder', holder);
    if (options.preferred !== undefined) {
      // Waits for a concurrent claimer of the same item, then finds it held (or free again).
      const { affectedRows } = await this.sql.exec(
        `UPDATE ${TABLE} SET \`holder\` = ?, \`free_order\` = NULL WHERE \`pool\` = ? AND \`item\` = ? AND \`free_order\` IS NOT NULL`,
        [holder, pool, options.preferred],
      );
      if (affectedRows === 1) return options.preferred;
      if (options.onlyPreferred === true) return undefined;
    }
    const cursor = this.cursors.get(pool);
    const first = (cursor === undefined ? undefined : await this.firstFree(pool, cursor)) ?? (await this.firstFree(pool, undefined));
    if (first === undefined) return undefined;
    await this.sql.exec(`UPDATE ${TABLE} SET \`holder\` = ?, \`free_order\` = NULL WHERE \`seq\` = ?`, [holder, first.seq]);
    this.cursors.set(pool, first);
    return first.item;
  }

  /**
   * The first free item not locked by another transaction, after `cursor` when given. Items this
   * transaction claimed stay in the index as delete-marked entries until it commits; starting
   * after the last claim keeps a long run of claims in one transaction from rescanning them.
   * Without a hit after the cursor the caller scans from the start, so an item freed earlier in
   * the order (a concurrent claim that rolled back) is still found.
   */
  private async firstFree(pool: string, cursor: FreeItem | undefined): Promise<FreeItem | undefined> {
    const after = cursor === undefined ? '' : ' AND (`free_order` > ? OR (`free_order` = ? AND `seq` > ?))';
    const [row] = await this.sql.rows(
      `SELECT \`seq\`, \`item\`, \`free_order\` FROM ${TABLE} FORCE INDEX (\`ix_free\`) WHERE \`pool\` = ? AND \`free_order\` IS NOT NULL${after} ` +
        'ORDER BY `free_order`, `seq` LIMIT 1 FOR UPDATE SKIP LOCKED',
      cursor === undefined ? [pool] : [pool, cursor.order, cursor.order, cursor.seq],
    );
    return row === undefined ? undefined : { seq: Number(row.seq), order: Number(row.free_order), item: String(row.item) };
  }

  async release(pool: string, item: string, holder?: string): Promise<boolean> {
    const { affectedRows } = await this.sql.exec(
      `UPDATE ${TABLE} SET \`holder\` = NULL, \`free_order\` = ${NOW_US} WHERE \`pool\` = ? AND \`item\` = ? AND \`holder\` IS NOT NULL` +
        (holder === undefined ? '' : ' AND `holder` = ?'),
      holder === undefined ? [pool, item] : [pool, item, holder],
    );
    return affectedRows === 1;
  }

  async releaseAll(holder: string, pool?: string): Promise<number> {
    const { affectedRows } = await this.sql.exec(
      `UPDATE ${TABLE} SET \`holder\` = NULL, \`free_order\` = ${NOW_US} WHERE \`holder\` = ?${pool === undefined ? '' : ' AND `pool` = ?'} ORDER BY \`seq\``,
      pool === undefined ? [holder] : [holder, pool],
    );
    return affectedRows;
  }

  async holderOf(pool: string, item: string): Promise<string | null | undefined> {
    const [row] = await this.sql.rows(`SELECT \`holder\` FROM ${TABLE} WHERE \`pool\` = ? AND \`item\` = ?`, [pool, item]);
    if (row === undefined) return undefined;
    return row.holder === null ? null : String(row.holder);
  }

  async heldBy(holder: string, pool?: string): Promise<PoolClaim[]> {
    const rows = await this.sql.rows(
      `SELECT \`pool\`, \`item\` FROM ${TABLE} WHERE \`holder\` = ?${pool === undefined ? '' : ' AND `pool` = ?'} ORDER BY \`seq\``,
      pool === undefined ? [holder] : [holder, pool],
    );
    return rows.map((row) => ({ pool: String(row.pool), item: String(row.item), holder }));
  }

  async stats(pool: string): Promise<PoolStats> {
    const [row] = await this.sql.rows(`SELECT COUNT(*) AS total, COUNT(\`free_order\`) AS free FROM ${TABLE} WHERE \`pool\` = ?`, [pool]);
    return { total: Number(row?.total ?? 0), free: Number(row?.free ?? 0) };
  }
}
