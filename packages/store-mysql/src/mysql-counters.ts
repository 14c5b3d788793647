import type { CounterAdjustment, CounterBounds, Counters } from '@cloudstack-sdk/core';
import type { SqlRunner } from './connection-pool.js';

const TABLE = '`counters`';

function within(value: number, bounds: CounterBounds): boolean {
  return !((bounds.max !== undefined && value > bounds.max) || (bounds.min !== undefined && value < bounds.min));
}

/** `LIKE` pattern for keys starting with `prefix`. */
function prefixPattern(prefix: string): string {
  return `${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * Counters in the `counters` table. A bounded adjustment is one conditional UPDATE
 * (`value = value + ? WHERE … AND value + ? <= max`), atomic under the row lock it takes, so
 * racing transactions — in one process or in several — never push a counter past its bound.
 * Values are DOUBLEs: exactly JavaScript numbers, added as JavaScript adds them.
 */
export class MysqlCounters implements Counters {
  constructor(private readonly sql: SqlRunner) {}

  async get(key: string): Promise<number> {
    const [row] = await this.sql.rows(`SELECT \`value\` FROM ${TABLE} WHERE \`name\` = ?`, [key]);
    return row === undefined ? 0 : Number(row.value);
  }

  async list(prefix: string): Promise<Map<string, number>> {
    const rows = await this.sql.rows(`SELECT \`name\`, \`value\` FROM ${TABLE} WHERE \`name\` LIKE ? ORDER BY \`name\``, [prefixPattern(prefix)]);
    return new Map(rows.map((row) => [String(row.name), Number(row.value)]));
  }

  async adjust(key: string, delta: number, bounds: CounterBounds = {}): Promise<CounterAdjustment> {
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
    for (let pass = 0; ; pass += 1) {
      const { affectedRows } = await this.sql.exec(update, params);
      if (affectedRows === 1) return { ok: true, value: await this.get(key) };
      if (pass > 0 || !within(delta, bounds)) return { ok: false, value: await this.get(key) };
      // The counter may not exist yet: create it at 0 (or lock it, if a racer just did) and try again.
      // ON DUPLICATE KEY takes the row's exclusive lock at once, so racing creators queue instead of deadlocking.
      await this.sql.exec(`INSERT INTO ${TABLE} (\`name\`, \`value\`) VALUES (?, 0) ON DUPLICATE KEY UPDATE \`value\` = \`value\``, [key]);
    }
  }

  async set(key: string, value: number): Promise<void> {
    await this.sql.exec(`INSERT INTO ${TABLE} (\`name\`, \`value\`) VALUES (?, ?) ON DUPLICATE KEY UPDATE \`value\` = VALUES(\`value\`)`, [key, value]);
  }

  async delete(key: string): Promise<void> {
    await this.sql.exec(`DELETE FROM ${TABLE} WHERE \`name\` = ?`, [key]);
  }
}
