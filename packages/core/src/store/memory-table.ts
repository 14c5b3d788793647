import { copyPlain } from './copy-plain.js';
import type { Entity, Filter, Page, Query } from '../contracts/store.js';
import type { AggregateSpec } from '../model/aggregates.js';
import { CloudError, ErrorCode, concurrentModification } from '../errors.js';
import { comparatorFor, isFieldCondition, matchesFilter } from './filter-match.js';

/** An action that undoes one write; a transaction runs its undo actions in reverse on rollback. */
export type Undo = () => void;

interface StoredRow<T> {
  readonly seq: number;
  readonly row: T;
}

function indexKey(value: unknown): string {
  return typeof value === 'string' ? `s:${value}` : `j:${JSON.stringify(value ?? null)}`;
}

function uniqueKey(row: Record<string, unknown>, fields: readonly string[]): string | undefined {
  const parts: unknown[] = [];
  for (const field of fields) {
    const value = row[field];
    if (value === null || value === undefined) return undefined;
    // Unique keys compare strings case-insensitively, as MySQL's default collation does.
    parts.push(typeof value === 'string' ? value.toLowerCase() : value);
  }
  return JSON.stringify(parts);
}

/**
 * One aggregate's rows in memory, with hash indexes for the fields its spec indexes and maps
 * for its unique keys. Writes apply at once and return their undo action; isolation comes from
 * the store running one transaction at a time.
 */
export class MemoryTable<T extends Entity> {
  private readonly rows = new Map<string, StoredRow<T>>();
  private readonly indexes = new Map<string, Map<string, Set<string>>>();
  private readonly uniques: { fields: readonly string[]; keys: Map<string, string> }[];
  private nextSeq = 1;

  constructor(
    readonly name: string,
    spec: AggregateSpec<T>,
  ) {
    for (const field of spec.indexed ?? []) this.indexes.set(field, new Map());
    this.uniques = (spec.unique ?? []).map((fields) => ({ fields, keys: new Map<string, string>() }));
  }

  /** Number of rows. */
  get size(): number {
    return this.rows.size;
  }

  /** The stored row (not a copy: callers must clone before handing it out). */
  peek(id: string): T | undefined {
    return this.rows.get(id)?.row;
  }

  /** Every stored row, in insertion order (not copies). */
  all(): IterableIterator<T> {
    const iterator = this.rows.values();
    return (function* () {
      for (const stored of iterator) yield stored.row;
    })();
  }

  /** Rows matching a query, copied. */
  find(query: Query<T>): Page<T> {
    const matches = this.candidates(query.where).filter((row) => matchesFilter(row, query.where));
    if (query.orderBy !== undefined && query.orderBy.length > 0) matches.sort(comparatorFor(query.orderBy));
    const offset = query.offset ?? 0;
    const end = query.limit === undefined ? undefined : offset + query.limit;
    return { items: matches.slice(offset, end).map((row) => copyPlain(row)), total: matches.length };
  }

  /** Inserts a row that already carries its version. */
  insert(row: T): Undo {
    if (this.rows.has(row.id)) {
      throw new CloudError(ErrorCode.INTERNAL_ERROR, `${this.name}: a row with id ${row.id} already exists`);
    }
    this.checkUnique(row, undefined);
    this.place(row, this.nextSeq++);
    return () => this.unplace(row.id);
  }

  /** Replaces a row after checking the version the caller read. */
  update(row: T, nextVersion: number): { stored: T; undo: Undo } {
    const current = this.rows.get(row.id);
    if (current === undefined) throw concurrentModification(this.name, row.id, { reason: 'removed' });
    if (current.row.version !== row.version) {
      throw concurrentModification(this.name, row.id, { expected: row.version, actual: current.row.version });
    }
    this.checkUnique(row, row.id);
    const stored = { ...copyPlain(row), version: nextVersion } as T;
    this.replace(current.row, stored, current.seq);
    return { stored, undo: () => this.replace(stored, current.row, current.seq) };
  }

  /** Removes a row; undefined when there was none. */
  delete(id: string, expectedVersion: number | undefined): Undo | undefined {
    const current = this.rows.get(id);
    if (current === undefined) return undefined;
    if (expectedVersion !== undefined && current.row.version !== expectedVersion) {
      throw concurrentModification(this.name, id, { expected: expectedVersion, actual: current.row.version });
    }
    this.unplace(id);
    return () => this.place(current.row, current.seq);
  }

  /**
   * Swaps a row for its new version in place: the map entry keeps its position, so a scan
   * still returns rows in insertion order after updates (as the MySQL store's `seq` does).
   */
  private replace(previous: T, next: T, seq: number): void {
    this.unindex(previous);
    this.rows.set(next.id, { seq, row: next });
    this.index(next);
  }

  private place(row: T, seq: number): void {
    this.rows.set(row.id, { seq, row });
    this.index(row);
  }

  private index(row: T): void {
    const record = row as unknown as Record<string, unknown>;
    for (const [field, index] of this.indexes) {
      const key = indexKey(record[field]);
      let ids = index.get(key);
      if (ids === undefined) index.set(key, (ids = new Set()));
      ids.add(row.id);
    }
    for (const unique of this.uniques) {
      const key = uniqueKey(record, unique.fields);
      if (key !== undefined) unique.keys.set(key, row.id);
    }
  }

  private unplace(id: string): void {
    const current = this.rows.get(id);
    if (current === undefined) return;
    this.rows.delete(id);
    this.unindex(current.row);
  }

  private unindex(row: T): void {
    const id = row.id;
    const record = row as unknown as Record<string, unknown>;
    for (const [field, index] of this.indexes) {
      const key = indexKey(record[field]);
      const ids = index.get(key);
      ids?.delete(id);
      if (ids !== undefined && ids.size === 0) index.delete(key);
    }
    for (const unique of this.uniques) {
      const key = uniqueKey(record, unique.fields);
      if (key !== undefined && unique.keys.get(key) === id) unique.keys.delete(key);
    }
  }

  private checkUnique(row: T, selfId: string | undefined): void {
    const record = row as unknown as Record<string, unknown>;
    for (const unique of this.uniques) {
      const key = uniqueKey(record, unique.fields);
      if (key === undefined) continue;
      const holder = unique.keys.get(key);
      if (holder !== undefined && holder !== selfId) {
        const field = unique.fields[unique.fields.length - 1] ?? 'id';
        const values = unique.fields.map((f) => `${f}=${String(record[f])}`).join(', ');
        throw new CloudError(ErrorCode.PARAM_ERROR, `${this.name}: an entry with ${values} already exists`, {
          param: field.toLowerCase(),
          details: { aggregate: this.name, fields: unique.fields, existingId: holder },
        });
      }
    }
  }

  /**
   * The rows worth testing against a filter: through an index when the filter pins an indexed
   * field to one value (or a few), otherwise every row.
   */
  private candidates(filter: Filter<T> | undefined): T[] {
    if (filter !== undefined) {
      const record = filter as Record<string, unknown>;
      if (typeof record.id === 'string') {
        const hit = this.rows.get(record.id);
        return hit === undefined ? [] : [hit.row];
      }
      for (const [field, index] of this.indexes) {
        const expected = record[field];
        if (expected === undefined) continue;
        let values: readonly unknown[] | undefined;
        if (!isFieldCondition(expected)) values = [expected];
        else if ('eq' in expected) values = [expected.eq];
        else if (expected.in !== undefined) values = expected.in;
        if (values === undefined) continue;
        const hits: StoredRow<T>[] = [];
        for (const value of new Set(values)) {
          for (const id of index.get(indexKey(value)) ?? []) {
            const stored = this.rows.get(id);
            if (stored !== undefined) hits.push(stored);
          }
        }
        if (values.length > 1 || hits.length > 1) hits.sort((a, b) => a.seq - b.seq);
        return hits.map((stored) => stored.row);
      }
    }
    return Array.from(this.rows.values(), (stored) => stored.row);
  }
}
