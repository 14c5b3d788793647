import { notAllowed } from '../errors.js';

/** Allowed moves of a state machine: for each state, the states it may move to. */
export type Transitions<S extends string> = { readonly [K in S]: readonly S[] };

/** True when `transitions` allows moving from `from` to `to` (staying put is always allowed). */
export function canTransition<S extends string>(transitions: Transitions<S>, from: S, to: S): boolean {
  return from === to || transitions[from].includes(to);
}

/**
 * Refuses (432) a move the state machine does not allow, saying what was in which state;
 * `param` names the API parameter that asked for the move, when one did.
 */
export function assertTransition<S extends string>(
  transitions: Transitions<S>,
  entity: string,
  from: S,
  to: S,
  param?: string,
): void {
  if (!canTransition(transitions, from, to)) {
    throw notAllowed(`${entity} cannot move from ${from} to ${to}`, param);
  }
}
