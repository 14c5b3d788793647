/** MySQL error numbers the store reacts to. */
export const SqlErrno = {
  /** Duplicate entry for a unique key. */
  DUPLICATE_KEY: 1062,
  /** A row names a parent row that does not exist (foreign key). */
  NO_REFERENCED_ROW: 1452,
  /** A row is still named by rows of another table (foreign key). */
  ROW_IS_REFERENCED: 1451,
  /** The same as {@link SqlErrno.NO_REFERENCED_ROW}, from servers that do not name the constraint. */
  NO_REFERENCED_ROW_UNNAMED: 1216,
  /** The same as {@link SqlErrno.ROW_IS_REFERENCED}, from servers that do not name the constraint. */
  ROW_IS_REFERENCED_UNNAMED: 1217,
  /** Data too long for a column. */
  DATA_TOO_LONG: 1406,
  /** Lock wait timeout exceeded. */
  LOCK_WAIT_TIMEOUT: 1205,
  /** Deadlock found when trying to get lock. */
  DEADLOCK: 1213,
} as const;

/** The MySQL error number of an error (or of its cause), if it is a server error. */
export function sqlErrno(error: unknown): number | undefined {
  for (let current = error, depth = 0; current !== null && typeof current === 'object' && depth < 4; depth += 1) {
    const errno = (current as { errno?: unknown }).errno;
    if (typeof errno === 'number') return errno;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** The server's message of an error. */
export function sqlMessage(error: unknown): string {
  const message = (error as { sqlMessage?: unknown; message?: unknown } | null)?.sqlMessage ?? (error as { message?: unknown } | null)?.message;
  return typeof message === 'string' ? message : String(error);
}

/** The key a duplicate-key error names (`uq_path`), without the `table.` prefix MySQL 8 adds. */
export function duplicateKeyName(error: unknown): string | undefined {
  const match = /for key '([^']+)'/.exec(sqlMessage(error));
  if (match?.[1] === undefined) return undefined;
  const name = match[1];
  return name.slice(name.lastIndexOf('.') + 1);
}

/** The constraint a foreign-key error names (`fk_vms_zoneId`). */
export function foreignKeyName(error: unknown): string | undefined {
  return /CONSTRAINT `([^`]+)`/.exec(sqlMessage(error))?.[1];
}

/** The column a data-too-long error names. */
export function tooLongColumn(error: unknown): string | undefined {
  return /for column '([^']+)'/.exec(sqlMessage(error))?.[1];
}

/** Whether an error is a deadlock or lock-wait timeout: the transaction can be run again. */
export function isLockConflict(error: unknown): boolean {
  const errno = sqlErrno(error);
  return errno === SqlErrno.DEADLOCK || errno === SqlErrno.LOCK_WAIT_TIMEOUT;
}

/** Whether an insert or update was refused because a row it names does not exist. */
export function isMissingReference(error: unknown): boolean {
  const errno = sqlErrno(error);
  return errno === SqlErrno.NO_REFERENCED_ROW || errno === SqlErrno.NO_REFERENCED_ROW_UNNAMED;
}

/** Whether a delete was refused because rows of another table still name the row. */
export function isStillReferenced(error: unknown): boolean {
  const errno = sqlErrno(error);
  return errno === SqlErrno.ROW_IS_REFERENCED || errno === SqlErrno.ROW_IS_REFERENCED_UNNAMED;
}
