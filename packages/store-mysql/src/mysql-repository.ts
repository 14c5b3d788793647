import {
  CloudError,
  ErrorCode,
  comparatorFor,
  concurrentModification,
  internalError,
  invalidParameter,
  matchesFilter,
  resourceInUse,
  type Entity,
  type Filter,
  type NewEntity,
  type Page,
  type Query,
  type Repository,
} from '@cloudstack-sdk/core';
import type { SqlRow } from './connection-pool.js';
import { asStoreError, type MysqlTransaction } from './mysql-transaction.js';
import { filterToSql, type SqlCondition } from './query/filter-sql.js';
import { orderToSql } from './query/order-sql.js';
import { uniqueHashSql } from './schema/column-ddl.js';
import type { AggregateTable } from './schema/schema-catalog.js';
import { ID_KEY_NAME, quoteId, uniqueColumn } from './schema/table-layout.js';
import { SqlErrno, duplicateKeyName, foreignKeyName, isMissingReference, isStillReferenced, sqlErrno, tooLongColumn } from './sql-errors.js';

/** Reads a stored row: the JSON document (text on MariaDB, parsed on MySQL 8) with the column's version. */
function decode<T>(row: SqlRow): T {
  const data = row.data;
  const document = (typeof data === 'string' ? JSON.parse(data) : data) as Record<string, unknown>;
  return { ...document, version: Number(row.version) } as T;
}

function whereSql(condition: SqlCondition): string {
  return condition.sql === '' ? '' : ` WHERE ${condition.sql}`;
}

/**
 * An aggregate's repository on its table. Filters and sorts on typed columns run in SQL (and
 * so do counting and paging when the whole query can); the rest is fetched in insertion order
 * and finished in process with core's `matchesFilter` and `comparatorFor`, so every query means
 * exactly what it means in the memory store.
 */
export class MysqlRepository<T extends Entity> implements Repository<T> {
  private readonly from: string;

  constructor(
    private readonly tx: MysqlTransaction,
    private readonly table: AggregateTable,
  ) {
    this.from = quoteId(table.table);
  }

  async get(id: string): Promise<T | undefined> {
    const [row] = await this.tx.rows(`SELECT \`data\`, \`version\` FROM ${this.from} WHERE \`id\` = ?`, [id]);
    return row === undefined ? undefined : decode<T>(row);
  }

  async find(query: Query<T> = {}): Promise<Page<T>> {
    const condition = filterToSql(query.where, this.table.columns);
    const order = orderToSql(query.orderBy, this.table.columns);
    const offset = query.offset ?? 0;
    const { limit } = query;
    const plainWindow = Number.isInteger(offset) && offset >= 0 && (limit === undefined || (Number.isInteger(limit) && limit >= 0));
    if (condition.exact && order !== undefined && plainWindow) return this.findInSql(condition, order, offset, limit);
    return this.findInProcess(query, condition);
  }

  async findOne(where: Filter<T>): Promise<T | undefined> {
    const condition = filterToSql(where, this.table.columns);
    const order = orderToSql(undefined, this.table.columns);
    if (!condition.exact || order === undefined) return (await this.find({ where, limit: 1 })).items[0];
    // One row, no total: a page's count query would be a second round trip for nothing.
    const [row] = await this.tx.rows(`SELECT \`data\`, \`version\` FROM ${this.from}${whereSql(condition)} ${order} LIMIT 1`, condition.params);
    return row === undefined ? undefined : decode<T>(row);
  }

  async count(where?: Filter<T>): Promise<number> {
    const condition = filterToSql(where, this.table.columns);
    if (condition.exact) return this.countInSql(condition);
    return (await this.findInProcess(where === undefined ? { limit: 0 } : { where, limit: 0 }, condition)).total;
  }

  async insert(entity: NewEntity<T>): Promise<T> {
    this.tx.guard();
    const id = (entity as { id?: unknown }).id;
    if (typeof id !== 'string') throw internalError(`${this.table.aggregate}: an entity needs a string id`);
    const json = JSON.stringify({ ...entity, version: 1 });
    try {
      await this.tx.exec(`INSERT INTO ${this.from} (\`id\`, \`version\`, \`data\`) VALUES (?, 1, ?)`, [id, json]);
    } catch (error) {
      throw await this.writeError(error, id, json);
    }
    return decode<T>({ data: json, version: 1 });
  }

  async update(entity: T): Promise<T> {
    this.tx.guard();
    const next = entity.version + 1;
    const json = JSON.stringify({ ...entity, version: next });
    let matched: number;
    try {
      ({ affectedRows: matched } = await this.tx.exec(
        `UPDATE ${this.from} SET \`version\` = ?, \`data\` = ? WHERE \`id\` = ? AND \`version\` = ?`,
        [next, json, entity.id, entity.version],
      ));
    } catch (error) {
      throw await this.writeError(error, entity.id, json);
    }
    if (matched !== 1) {
      const [current] = await this.tx.rows(`SELECT \`version\` FROM ${this.from} WHERE \`id\` = ?`, [entity.id]);
      if (current === undefined) throw concurrentModification(this.table.aggregate, entity.id, { reason: 'removed' });
      throw concurrentModification(this.table.aggregate, entity.id, { expected: entity.version, actual: Number(current.version) });
    }
    return decode<T>({ data: json, version: next });
  }

  async delete(id: string, expectedVersion?: number): Promise<boolean> {
    this.tx.guard();
    const versioned = expectedVersion !== undefined;
    let affectedRows: number;
    try {
      ({ affectedRows } = await this.tx.exec(
        `DELETE FROM ${this.from} WHERE \`id\` = ?${versioned ? ' AND `version` = ?' : ''}`,
        versioned ? [id, expectedVersion] : [id],
      ));
    } catch (error) {
      if (isStillReferenced(error)) throw this.stillReferenced(error, id);
      throw asStoreError(error, `${this.table.aggregate}: deleting ${id} failed`);
    }
    if (affectedRows === 1) return true;
    if (!versioned) return false;
    const [current] = await this.tx.rows(`SELECT \`version\` FROM ${this.from} WHERE \`id\` = ?`, [id]);
    if (current === undefined) return false;
    throw concurrentModification(this.table.aggregate, id, { expected: expectedVersion, actual: Number(current.version) });
  }

  private async findInSql(condition: SqlCondition, order: string, offset: number, limit: number | undefined): Promise<Page<T>> {
    if (limit === 0) return { items: [], total: await this.countInSql(condition) };
    const window = limit === undefined ? (offset > 0 ? ` LIMIT 18446744073709551615 OFFSET ${offset}` : '') : ` LIMIT ${limit} OFFSET ${offset}`;
    const rows = await this.tx.rows(`SELECT \`data\`, \`version\` FROM ${this.from}${whereSql(condition)} ${order}${window}`, condition.params);
    const items = rows.map((row) => decode<T>(row));
    // A page that is not full (and not past the end) tells the total without a second query.
    const partial = items.length > 0 && (limit === undefined || items.length < limit);
    const total = partial || (offset === 0 && items.length === 0) ? offset + items.length : await this.countInSql(condition);
    return { items, total };
  }

  private async countInSql(condition: SqlCondition): Promise<number> {
    const [row] = await this.tx.rows(`SELECT COUNT(*) AS n FROM ${this.from}${whereSql(condition)}`, condition.params);
    return Number(row?.n ?? 0);
  }

  private async findInProcess(query: Query<T>, condition: SqlCondition): Promise<Page<T>> {
    const rows = await this.tx.rows(`SELECT \`data\`, \`version\` FROM ${this.from}${whereSql(condition)} ORDER BY \`seq\``, condition.params);
    const matches = rows.map((row) => decode<T>(row)).filter((row) => matchesFilter(row, query.where));
    if (query.orderBy !== undefined && query.orderBy.length > 0) matches.sort(comparatorFor(query.orderBy));
    const offset = query.offset ?? 0;
    const end = query.limit === undefined ? undefined : offset + query.limit;
    return { items: matches.slice(offset, end), total: matches.length };
  }

  /** Turns a failed insert or update into the error the memory store gives for the same fault. */
  private async writeError(error: unknown, id: string, json: string): Promise<Error> {
    const aggregate = this.table.aggregate;
    const errno = sqlErrno(error);
    if (errno === SqlErrno.DUPLICATE_KEY) {
      const key = duplicateKeyName(error);
      if (key === ID_KEY_NAME || key === 'PRIMARY') return internalError(`${aggregate}: a row with id ${id} already exists`, error);
      const fields = key === undefined ? undefined : this.table.uniqueKeys.get(key);
      if (fields !== undefined) return this.uniqueViolation(fields, json, error);
    }
    if (isMissingReference(error)) return this.missingReference(error, json);
    if (errno === SqlErrno.DATA_TOO_LONG) {
      const field = tooLongColumn(error)?.replace(/^f_/, '') ?? 'id';
      return invalidParameter(field.toLowerCase(), `is too long to be stored in ${aggregate} (255 characters at most)`);
    }
    return asStoreError(error, `${aggregate}: writing ${id} failed`);
  }

  /** 431 naming the field whose value names no existing entry (a foreign key refused the row). */
  private missingReference(cause: unknown, json: string): CloudError {
    const aggregate = this.table.aggregate;
    const name = foreignKeyName(cause);
    const key = name === undefined ? undefined : this.table.foreignKeys.get(name);
    if (key === undefined) return invalidParameter('id', `${aggregate}: the entry names another entry that does not exist`);
    const value = (JSON.parse(json) as Record<string, unknown>)[key.field];
    return new CloudError(ErrorCode.PARAM_ERROR, `${aggregate}: ${key.field} ${String(value)} names no entry of ${key.references}`, {
      param: key.field.toLowerCase(),
      details: { aggregate, field: key.field, references: key.references, value, constraint: key.constraint },
      cause,
    });
  }

  /** 536 naming what still refers to the entry (a foreign key refused the delete). */
  private stillReferenced(cause: unknown, id: string): CloudError {
    const aggregate = this.table.aggregate;
    const name = foreignKeyName(cause);
    const key = name === undefined ? undefined : this.table.referencedBy.get(name);
    const by = key === undefined ? 'other entries' : `entries of ${key.aggregate} (${key.field})`;
    const error = resourceInUse(`${aggregate} ${id} cannot be deleted: ${by} still refer to it; remove them first`, 'id');
    return new CloudError(error.code, error.message, {
      param: 'id',
      csErrorCode: error.csErrorCode,
      details: { aggregate, id, ...(key === undefined ? {} : { referencedBy: key.aggregate, field: key.field, constraint: key.constraint }) },
      cause,
    });
  }

  private async uniqueViolation(fields: readonly string[], json: string, cause: unknown): Promise<CloudError> {
    const record = JSON.parse(json) as Record<string, unknown>;
    const [holder] = await this.tx.rows(
      `SELECT t.\`id\` FROM ${this.from} t JOIN (SELECT CAST(? AS CHAR CHARACTER SET utf8mb4) AS d) n ` +
        `WHERE t.${quoteId(uniqueColumn(fields))} = ${uniqueHashSql(fields, 'n.`d`')}`,
      [json],
    );
    const field = fields[fields.length - 1] ?? 'id';
    const values = fields.map((f) => `${f}=${String(record[f])}`).join(', ');
    return new CloudError(ErrorCode.PARAM_ERROR, `${this.table.aggregate}: an entry with ${values} already exists`, {
      param: field.toLowerCase(),
      details: { aggregate: this.table.aggregate, fields, existingId: holder === undefined ? undefined : String(holder.id) },
      cause,
    });
  }
}
