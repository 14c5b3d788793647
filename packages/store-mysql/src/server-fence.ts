import { CloudError, CsErrorCode, ErrorCode } from '@cloudstack-sdk/core';
import type { SqlRunner } from './connection-pool.js';
import { holdsEpoch } from './management-servers.js';

/** The incarnation a store writes for, once its server registered. */
export interface ServerIncarnation {
  /** The management server's id. */
  readonly serverId: string;
  /** The epoch its registration got. */
  readonly epoch: number;
}

/**
 * The split-brain guard of one store: once its management server registered (got an epoch),
 * every transaction that wrote checks, as its last statement before COMMIT and under a shared
 * lock on the server's heartbeat row, that the row still holds that epoch untaken. A server a
 * survivor declared dead and claimed (or forgot, or that a newer incarnation replaced) thus
 * cannot complete anything it was doing — job outcomes, VM outcomes, reconciliation — and the
 * claim and the check are ordered by the row lock, so whatever committed before the claim is
 * what the survivor takes over.
 *
 * A fenced store stays fenced: operations that began under the old epoch may still be running
 * in the process, so it never writes again; the server starts over with a new store (a new
 * registration, a new epoch).
 */
export class ServerFence {
  private held: ServerIncarnation | undefined;
  private refusal: CloudError | undefined;

  /** The incarnation the store writes for; undefined before registration. */
  get incarnation(): ServerIncarnation | undefined {
    return this.held;
  }

  /** The error writes are refused with, once fenced. */
  get fenced(): CloudError | undefined {
    return this.refusal;
  }

  /** Throws (530) once the store was fenced: it may not register again. */
  assertArmable(serverId: string): void {
    if (this.refusal === undefined) return;
    throw new CloudError(ErrorCode.INTERNAL_ERROR, `${this.refusal.message}; open a new store to register management server ${serverId} again`, {
      csErrorCode: CsErrorCode.CLOUD_RUNTIME,
      details: { ...this.refusal.details, requestedServerId: serverId },
    });
  }

  /** Arms the guard for a new registration; refused (530) once the store was fenced. */
  arm(incarnation: ServerIncarnation): void {
    this.assertArmable(incarnation.serverId);
    this.held = incarnation;
  }

  /** Fences the store (its server learned it was taken over); every later write is refused. */
  fence(reason: string): CloudError {
    const held = this.held;
    this.refusal ??= new CloudError(
      ErrorCode.INTERNAL_ERROR,
      `Management server ${held?.serverId ?? '(unregistered)'} (epoch ${held?.epoch ?? '-'}) may no longer change the cloud: ${reason}`,
      { csErrorCode: CsErrorCode.CLOUD_RUNTIME, details: { serverId: held?.serverId, epoch: held?.epoch } },
    );
    return this.refusal;
  }

  /** Throws the refusal once fenced (before a write is sent). */
  assertWritable(): void {
    if (this.refusal !== undefined) throw this.refusal;
  }

  /**
   * In a transaction that wrote, before its COMMIT: passes while the registration still holds
   * (or none was made); otherwise fences the store and throws, so the transaction rolls back.
   */
  async verify(sql: SqlRunner): Promise<void> {
    this.assertWritable();
    const held = this.held;
    if (held === undefined) return;
    if (await holdsEpoch(sql, held.serverId, held.epoch)) return;
    throw this.fence('another management server took over its work (or a newer start of it registered)');
  }
}
