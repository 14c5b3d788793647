import type { CounterAdjustment, CounterBounds, Counters } from '@cloudstack-sdk/core';
import type { SqlRunner } from './connection-pool.js';
import type { CounterDeferral } from './counter-policy.js';

const TABLE = '`counters`';

function within(value: number, bounds: CounterBounds): boolean {
  return !((bounds.max !== undefined && value > bounds.max) || (bounds.min !== undefined && value < bounds.min));
}

/** `LIKE` pattern for keys starting with `prefix`. */
function prefixPattern(prefix: string): string {
  return `${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * One bound an adjustment promised to keep: the committed value plus `offset` (the pending
 * delta once that adjustment was counted) stays at most `max` / at least `min`.
 */
interface PendingBound {
  readonly offset: number;
  readonly max?: number;
  readonly min?: number;
}

/** What a transaction added to one counter so far, and the bounds it promised along the way. */
interface Pending {
  delta: number;
  readonly bounds: PendingBound[];
}

/**
 * Thrown when a transaction's deferred counter adjustments no longer fit their bounds at commit:
 * another transaction used the room up after this one read the counter. The store rolls the
 * transaction back and runs it again with locking adjustments, so it then gets the refusal
 * (`ok: false`) the function handles.
 */
export class CounterRaceLost extends Error {
  constructor(readonly key: string) {
    super(`Counter ${key} no longer has room for this transaction's adjustments: another transaction took it first`);
    this.name = 'CounterRaceLost';
  }
}

/**
 * Counters in the `counters` table. Values are DOUBLEs: exactly JavaScript numbers, added as
 * JavaScript adds them. Racing transactions — in one process or in several — never push a
 * counter past a bound, in either mode:
 *
 * - **deferred** (accumulators, `MysqlStoreOptions.deferCounters`, in the store's first run of
 *   a transaction): `adjust` reads the committed value
 *   (no lock), decides against its bounds, and only records the delta; just before COMMIT,
 *   {@link flush} applies each counter's summed delta in one conditional UPDATE (keys in sorted
 *   order, so flushes never deadlock each other) that re-checks every bound against the value
 *   then. A counter's row is thus locked only for the last statements of a transaction, not
 *   from its first adjustment on: per-account limit and capacity counters that every
 *   deployment of an account touches stop serialising whole deployments. When the room is gone
 *   by then, {@link CounterRaceLost} makes the store rerun the transaction in locking mode.
 * - **locking** (every other counter, and every counter in a rerun after a lost race): `adjust`
 *   is one conditional UPDATE
 *   (`value = value + ? WHERE … AND value + ? <= max`), atomic under the row lock it takes and
 *   keeps until COMMIT.
 *
 * Reads add the transaction's own pending deltas, so a transaction sees its adjustments either
 * way.
 */
export class MysqlCounters implements Counters {
  private readonly pending = new Map<string, Pending>();

  constructor(
    private readonly sql: SqlRunner,
    private readonly deferred: CounterDeferral | undefined,
  ) {}

  async get(key: string): Promise<number> {
    return (await this.committed(key)) + (this.pending.get(key)?.delta ?? 0);
  }

  async list(prefix: string): Promise<Map<string, number>> {
    const rows = await this.sql.rows(`SELECT \`name\`, \`value\` FROM ${TABLE} WHERE \`name\` LIKE ? ORDER BY \`name\``, [prefixPattern(prefix)]);
    const values = new Map(rows.map((row) => [String(row.name), Number(row.value)]));
    for (const [key, pending] of this.pending) if (key.startsWith(prefix)) values.set(key, (values.get(key) ?? 0) + pending.delta);
    return new Map([...values.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  }

  async adjust(key: string, delta: number, bounds: CounterBounds = {}): Promise<CounterAdjustment> {
    if (this.deferred === undefined || !this.deferred(key)) return this.adjustNow(key, delta, bounds);
    const pending = this.pending.get(key) ?? { delta: 0, bounds: [] };
    const current = (await this.committed(key)) + pending.delta;
    const next = current + delta;
    if (!within(next, bounds)) return { ok: false, value: current };
    pending.delta += delta;
    if (bounds.max !== undefined || bounds.min !== undefined) pending.bounds.push({ offset: pending.delta, ...bounds });
    this.pending.set(key, pending);
    return { ok: true, value: next };
  }

  async set(key: string, value: number): Promise<void> {
    this.pending.delete(key);
    await this.sql.exec(`INSERT INTO ${TABLE} (\`name\`, \`value\`) VALUES (?, ?) ON DUPLICATE KEY UPDATE \`value\` = VALUES(\`value\`)`, [key, value]);
  }

  async delete(key: string): Promise<void> {
    this.pending.delete(key);
    await this.sql.exec(`DELETE FROM ${TABLE} WHERE \`name\` = ?`, [key]);
  }

  /**
   * Applies the deferred adjustments, one conditional UPDATE per counter in key order, each
   * checking every bound its adjustments promised against the value now; throws
   * {@link CounterRaceLost} when one no longer holds. The store calls it right before COMMIT.
   */
  async flush(): Promise<void> {
    const keys = [...this.pending.keys()].sort();
    for (const key of keys) {
      const pending = this.pending.get(key)!;
      const tests: string[] = [];
      const params: unknown[] = [pending.delta, key];
      for (const bound of pending.bounds) {
        if (bound.max !== undefined) {
          tests.push('`value` + ? <= ?');
          params.push(bound.offset, bound.max);
        }
        if (bound.min !== undefined) {
          tests.push('`value` + ? >= ?');
          params.push(bound.offset, bound.min);
        }
      }
      const update = `UPDATE ${TABLE} SET \`value\` = \`value\` + ? WHERE \`name\` = ?${tests.map((test) => ` AND ${test}`).join('')}`;
      if (!(await this.applyOrCreate(key, update, params))) throw new CounterRaceLost(key);
    }
    this.pending.clear();
  }

  private async committed(key: string): Promise<number> {
    const [row] = await this.sql.rows(`SELECT \`value\` FROM ${TABLE} WHERE \`name\` = ?`, [key]);
    return row === undefined ? 0 : Number(row.value);
  }

  private async adjustNow(key: string, delta: number, bounds: CounterBounds): Promise<CounterAdjustment> {
    const tests: string[] = [];
    const params: unknown[] = [delta, key];
    if (bounds.max !== undefined) {
      tests.push('`value` + ? <= ?');
      params.push(delta, bounds.max);
    }
    if (bounds.min !== undefined) {
      tests.push('`value` + ? >= ?');
      params.push(delta, bounds.min);
    }
    const update = `UPDATE ${TABLE} SET \`value\` = \`value\` + ? WHERE \`name\` = ?${tests.map((test) => ` AND ${test}`).join('')}`;
    const ok = within(delta, bounds) ? await this.applyOrCreate(key, update, params) : (await this.sql.exec(update, params)).affectedRows === 1;
    return { ok, value: await this.committed(key) };
  }

  /**
   * Runs a conditional UPDATE of one counter; when it matches nothing because the counter does
   * not exist yet, creates it at 0 (or locks it, if a racer just did) and runs it once more.
   * ON DUPLICATE KEY takes the row's exclusive lock at once, so racing creators queue instead of
   * deadlocking.
   */
  private async applyOrCreate(key: string, update: string, params: readonly unknown[]): Promise<boolean> {
    if ((await this.sql.exec(update, params)).affectedRows === 1) return true;
    await this.sql.exec(`INSERT INTO ${TABLE} (\`name\`, \`value\`) VALUES (?, 0) ON DUPLICATE KEY UPDATE \`value\` = \`value\``, [key]);
    return (await this.sql.exec(update, params)).affectedRows === 1;
  }
}
