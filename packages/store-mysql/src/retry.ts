import { CloudError, CsErrorCode, ErrorCode } from '@cloudstack-sdk/core';
import { SqlErrno, sqlErrno, sqlMessage } from './sql-errors.js';

/** How often and how patiently a transaction that lost a deadlock or a lock wait is run again. */
export interface RetryPolicy {
  /** Runs in all, the first included (at least 1). */
  readonly attempts: number;
  /** The delay before the first rerun is drawn from 0..baseDelayMs; it doubles each time. */
  readonly baseDelayMs: number;
  /** Upper bound of a delay. */
  readonly maxDelayMs: number;
}

/** Five runs, with full jitter from 0..5 ms growing to at most 250 ms. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = { attempts: 5, baseDelayMs: 5, maxDelayMs: 250 };

/**
 * The delay before rerun number `attempt` (1 for the first rerun): "full jitter", a uniform
 * draw below an exponentially growing cap, so colliding transactions spread out instead of
 * colliding again in lock step.
 */
export function backoffDelay(attempt: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const cap = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.floor(random() * cap);
}

/** Waits `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * The error a statement that lost a deadlock or a lock wait raises inside the transaction
 * (530, cserrorcode 4300). The server has rolled the transaction (or the statement) back;
 * the store runs the whole transaction again unless its retries are spent.
 */
export function lockConflictError(cause: unknown, attempts?: number): CloudError {
  const kind = sqlErrno(cause) === SqlErrno.DEADLOCK ? 'a deadlock' : 'a lock wait timeout';
  const tail = attempts === undefined ? 'the transaction will be run again' : `gave up after ${attempts} attempts`;
  return new CloudError(ErrorCode.INTERNAL_ERROR, `The store lost ${kind} to a concurrent operation; ${tail}. Retry the operation`, {
    csErrorCode: CsErrorCode.CONCURRENT_OPERATION,
    details: { sqlErrno: sqlErrno(cause), sqlMessage: sqlMessage(cause), ...(attempts === undefined ? {} : { attempts }) },
    cause,
  });
}
