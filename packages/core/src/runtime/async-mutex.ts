/**
 * A first-come, first-served lock for async code in one process. `run` waits for every earlier
 * holder to finish, then runs `fn` alone.
 */
export class AsyncMutex {
  private tail: Promise<void> = Promise.resolve();
  private waiting = 0;

  /** How many callers hold or wait for the lock. */
  get pending(): number {
    return this.waiting;
  }

  /** Runs `fn` once every earlier caller has finished, and returns its result. */
  async run<R>(fn: () => Promise<R>): Promise<R> {
    const previous = this.tail;
    let release!: () => void;
    this.tail = new Promise<void>((resolve) => {
      release = resolve;
    });
    this.waiting += 1;
    try {
      await previous;
      return await fn();
    } finally {
      this.waiting -= 1;
      release();
    }
  }
}
