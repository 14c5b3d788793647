import type { CallContext } from '../context/call-context.js';

/**
 * A service with the caller already supplied: every method whose first parameter is a
 * {@link CallContext} becomes a method without it; other members are not exposed.
 */
export type BoundService<S> = {
  readonly [K in keyof S as S[K] extends (caller: CallContext, ...args: never[]) => unknown ? K : never]: S[K] extends (
    caller: CallContext,
    ...args: infer A
  ) => infer R
    ? (...args: A) => R
    : never;
};

/**
 * Binds a service's methods to one caller. Methods are looked up on the service's prototype,
 * so only its declared methods are reachable through the bound object.
 */
export function bindCaller<S extends object>(service: S, caller: CallContext): BoundService<S> {
  const bound: Record<string, unknown> = {};
  const prototype = Object.getPrototypeOf(service) as Record<string, unknown>;
  for (const name of Object.getOwnPropertyNames(prototype)) {
    const member = prototype[name];
    if (name === 'constructor' || typeof member !== 'function') continue;
    bound[name] = (...args: unknown[]) => (member as (...a: unknown[]) => unknown).call(service, caller, ...args);
  }
  return Object.freeze(bound) as BoundService<S>;
}
