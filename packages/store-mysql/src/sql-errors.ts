/** MySQL error numbers the store reacts to. */
export const SqlErrno = {
  /** Duplicate entry for a unique key. */
  DUPLICATE_KEY: 1062,
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

/** The column a data-too-long error names. */
export function tooLongColumn(error: unknown): string | undefined {
  return /for column '([^']+)'/.exec(sqlMessage(error))?.[1];
}

/** Whether an error is a deadlock or lock-wait timeout: the transaction can be run again. */
export function isLockConflict(error: unknown): boolean {
  const errno = sqlErrno(error);
  return errno === SqlErrno.DEADLOCK || errno === SqlErrno.LOCK_WAIT_TIMEOUT;
}
