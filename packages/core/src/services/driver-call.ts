import { CloudError, resourceUnavailable } from '../errors.js';

/** How long to wait and what to name in the error when a driver call fails. */
export interface DriverCallOptions {
  /** What is being done, for messages (`connect host http://sim/h1`). */
  readonly operation: string;
  /** Milliseconds to wait before giving up. */
  readonly timeoutMs: number;
  /** The API parameter naming the device (`url`, `server`). */
  readonly param?: string;
}

/**
 * Calls a driver outside any store transaction and turns every failure into a clear
 * `CloudError`: a timeout or a thrown error becomes 534 (resource unavailable) naming the
 * operation and the parameter; a `CloudError` the driver raised passes through. A call that
 * times out is abandoned, not cancelled: drivers are idempotent, so a late success is harmless.
 */
export async function callDriver<T>(options: DriverCallOptions, call: () => Promise<T>): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(
        resourceUnavailable(`Timed out after ${options.timeoutMs} ms trying to ${options.operation}`, {
          param: options.param,
          details: { operation: options.operation, timeoutMs: options.timeoutMs },
        }),
      );
    }, options.timeoutMs);
  });
  try {
    return await Promise.race([Promise.resolve().then(call), timeout]);
  } catch (error) {
    if (error instanceof CloudError) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw resourceUnavailable(`Unable to ${options.operation}: ${reason}`, {
      param: options.param,
      cause: error,
      details: { operation: options.operation },
    });
  } finally {
    if (timer !== undefined) clearTimeout(timer);
  }
}
