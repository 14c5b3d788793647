/** Where core reads the time: injected so tests can move it and servers can share one. */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
}

/** The machine's clock. */
export const systemClock: Clock = { now: () => Date.now() };

/** A clock that moves only when told to, for tests of delays, expiry and intervals. */
export class ManualClock implements Clock {
  constructor(private current = Date.UTC(2013, 4, 28, 12, 0, 0)) {}

  /** The current time in milliseconds since the epoch. */
  now(): number {
    return this.current;
  }

  /** Moves the clock forward by `ms`. */
  advance(ms: number): void {
    this.current += ms;
  }

  /** Sets the clock to `ms` since the epoch. */
  set(ms: number): void {
    this.current = ms;
  }
}

/** The clock's time as an ISO-8601 string. */
export function isoNow(clock: Clock): string {
  return new Date(clock.now()).toISOString();
}
