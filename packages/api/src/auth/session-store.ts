import type { CallContext, Clock, RandomSource } from '@cloudstack-sdk/core';
import { signaturesEqual } from './signature.js';

/** A live UI session (4.1's Tomcat session after `login`). */
export interface ApiSession {
  /** The `JSESSIONID` cookie value. */
  readonly id: string;
  /** The `sessionkey` every request of the session must carry. */
  readonly sessionKey: string;
  /** Who the session acts as. */
  readonly caller: CallContext;
  /** Idle seconds after which the session ends. */
  readonly timeoutSeconds: number;
}

interface Entry {
  readonly session: ApiSession;
  lastAccess: number;
}

function base64(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('base64');
}

/**
 * Sessions created by `login`, kept in this process and ended by `logout`, by a wrong
 * `sessionkey`, or after `timeoutSeconds` without a request (measured on the cloud's clock).
 */
export class SessionStore {
  private readonly sessions = new Map<string, Entry>();

  constructor(
    private readonly clock: Clock,
    private readonly random: RandomSource,
  ) {}

  /** Starts a session for `caller`: a 16-byte hex session id and a 20-byte base64 session key. */
  create(caller: CallContext, timeoutSeconds: number): ApiSession {
    this.sweep();
    const session: ApiSession = {
      id: Buffer.from(this.random.bytes(16)).toString('hex').toUpperCase(),
      sessionKey: base64(this.random.bytes(20)),
      caller,
      timeoutSeconds,
    };
    this.sessions.set(session.id, { session, lastAccess: this.clock.now() });
    return session;
  }

  /** The live session with this id (touching it), or undefined when there is none or it timed out. */
  live(id: string | undefined): ApiSession | undefined {
    if (id === undefined) return undefined;
    const entry = this.sessions.get(id);
    if (entry === undefined) return undefined;
    const now = this.clock.now();
    if (now - entry.lastAccess > entry.session.timeoutSeconds * 1000) {
      this.sessions.delete(id);
      return undefined;
    }
    entry.lastAccess = now;
    return entry.session;
  }

  /** True when `sessionKey` is the session's key (compared in constant time). */
  keyMatches(session: ApiSession, sessionKey: string | undefined): boolean {
    return sessionKey !== undefined && signaturesEqual(session.sessionKey, sessionKey);
  }

  /** Ends a session; true when there was one. */
  invalidate(id: string | undefined): boolean {
    return id !== undefined && this.sessions.delete(id);
  }

  /** How many sessions are live. */
  get size(): number {
    this.sweep();
    return this.sessions.size;
  }

  private sweep(): void {
    const now = this.clock.now();
    for (const [id, entry] of this.sessions) {
      if (now - entry.lastAccess > entry.session.timeoutSeconds * 1000) this.sessions.delete(id);
    }
  }
}
