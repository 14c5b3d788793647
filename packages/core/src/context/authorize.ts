import { permissionDenied } from '../errors.js';
import { isAdmin, isRootAdmin, type CallContext } from './call-context.js';

/** Refuses (531) anyone but a root admin; `action` says what was attempted, for the message. */
export function requireRootAdmin(caller: CallContext, action: string): void {
  if (!isRootAdmin(caller)) throw permissionDenied(`Only a root admin may ${action}`);
}

/** Refuses (531) a plain user; `action` says what was attempted, for the message. */
export function requireAdmin(caller: CallContext, action: string): void {
  if (!isAdmin(caller)) throw permissionDenied(`Only an admin may ${action}`);
}
