import type { DependencyContainer } from 'tsyringe';
import type { CallContext } from '../context/call-context.js';

/** A class the container builds (a service with `@injectable()` and `@inject` parameters). */
export type ServiceClass = new (...args: never[]) => object;

/**
 * One area of the cloud (infrastructure, accounts, ...) as `createCloud` wires it: the service
 * classes to register as singletons, work to do once the store is ready, and the caller-bound
 * services it adds to the facade.
 */
export interface AreaModule<F extends object> {
  /** The area's name, for logs. */
  readonly name: string;
  /** Classes registered as singletons in the cloud's container. */
  readonly services: readonly ServiceClass[];
  /** Runs once at start-up, after the store is initialised, in module order. */
  start?(container: DependencyContainer): Promise<void>;
  /** The area's services bound to `caller`. */
  facade(container: DependencyContainer, caller: CallContext): F;
}
