/** One management server's heartbeat record, as a {@link ServerRegistry} keeps it. */
export interface ServerBeat {
  /** The server's id (`CloudOptions.serverId`). */
  readonly serverId: string;
  /** When it first beat (ISO-8601, the registry's clock). */
  readonly startedAt: string;
  /** When it last beat (ISO-8601, the registry's clock). */
  readonly lastHeartbeat: string;
  /** Milliseconds since its last beat, by the registry's clock. */
  readonly silentForMs: number;
  /** The survivor that claimed this server's work, once one has. */
  readonly takenOverBy?: string;
  /** The epoch of the server's current registration, in registries that fence ({@link ServerRegistry.register}). */
  readonly epoch?: number;
}

/**
 * Where the management servers sharing one store record that they are alive, and where a
 * survivor claims the work of one that went silent (guide 4.5.7: several management servers on
 * one database).
 *
 * Times are the registry's: the memory registry uses the `now` its callers pass (the cloud's
 * clock, one process); a database registry uses the database's clock and ignores `now`, so
 * servers with skewed clocks still agree on who went silent.
 *
 * {@link ServerRegistry.claimTakeover} is the one atomic step: however many survivors race for
 * a dead server, exactly one gets `true` — a compare-and-set on the dead server's record. A claim
 * by a survivor that itself went silent may be claimed again, so a takeover interrupted by a
 * second crash is not lost.
 */
export interface ServerRegistry {
  /** Records that `serverId` is alive at `now` (ms since the epoch), registering it on its first beat. */
  heartbeat(serverId: string, now: number): Promise<void>;
  /** Every registered server, longest silent first. */
  list(now: number): Promise<ServerBeat[]>;
  /** The servers silent for longer than `deadAfterMs`, longest silent first: candidates for takeover. */
  findStale(deadAfterMs: number, now: number): Promise<ServerBeat[]>;
  /**
   * Claims the work of `deadServerId` for `survivorId`: true for exactly one caller, and only
   * while the dead server is still silent for longer than `deadAfterMs` and nobody alive holds a
   * claim on it (a claim whose holder is itself silent that long, or gone, may be taken). A
   * server never claims itself.
   */
  claimTakeover(deadServerId: string, survivorId: string, deadAfterMs: number, now: number): Promise<boolean>;
  /** Removes a server's record (after a takeover finished, or a clean shutdown); false when there was none. */
  forget(serverId: string): Promise<boolean>;
  /**
   * Fencing, for registries shared by several processes (declared by implementing both this and
   * {@link ServerRegistry.renew}): registers a new incarnation of `serverId` and returns its
   * epoch, a number no registration got before. The record is written afresh (beating, untaken,
   * holding the epoch), so an older incarnation still running is fenced from then on. Refused
   * (a `CloudError`) while a live survivor is still taking the server over.
   *
   * A registry that fences also guards the store it belongs to: once a server registered there,
   * the store refuses its writes after a survivor claimed it, so a server taken for dead that
   * still runs cannot complete the work the survivor took over.
   */
  register?(serverId: string, deadAfterMs: number, now: number): Promise<number>;
  /**
   * Beats for incarnation `epoch` of `serverId` (instead of {@link ServerRegistry.heartbeat}):
   * true while its record still holds that epoch and nobody claimed it; false once a survivor
   * took it over, it was forgotten, or a newer incarnation registered — the server is fenced
   * and must stop acting as the owner of anything.
   */
  renew?(serverId: string, epoch: number, now: number): Promise<boolean>;
}
