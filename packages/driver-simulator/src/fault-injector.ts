/** The simulator operations a fault can be injected into. */
export const SIMULATOR_OPERATIONS = [
  'connectHost',
  'releaseHost',
  'createPool',
  'deletePool',
  'poolCapacity',
  'addStore',
  'removeStore',
  'storeCapacity',
  'downloadTemplate',
  'templateStatus',
  'deleteTemplate',
  'copyTemplate',
  'createTemplateFromDisk',
  'startVm',
  'stopVm',
  'rebootVm',
  'destroyVm',
  'listVmStates',
  'migrateVm',
  'attachVolume',
  'detachVolume',
  'resizeVmVolume',
  'createVolume',
  'deleteVolume',
  'resizeVolume',
  'snapshotVolume',
  'deleteSnapshot',
  'copyVolume',
  'applyRouterConfig',
  'plugNic',
  'unplugNic',
  'applySecurityGroupRules',
] as const;

/** One of {@link SIMULATOR_OPERATIONS}. */
export type SimulatorOperation = (typeof SIMULATOR_OPERATIONS)[number];

/** What an injected fault does: throw, never answer, or answer late. */
export type FaultMode = 'fail' | 'hang' | 'slow';

/** A fault to inject. */
export interface FaultSpec {
  /** The operation, or `*` for every operation. */
  readonly operation: SimulatorOperation | '*';
  /** `fail` throws, `hang` never settles, `slow` waits `delayMs` then proceeds. */
  readonly mode: FaultMode;
  /**
   * Only calls about this target: a host name or URL (`h1`, `http://sim/h1`), a pool id, a
   * store URL or id, (template calls) a template id or download URL, or (VM calls) the VM's
   * name or its host's name or URL. Every target when absent.
   */
  readonly target?: string;
  /** Delay of a `slow` fault in ms (100 by default). */
  readonly delayMs?: number;
  /** Message of a `fail` fault. */
  readonly message?: string;
  /** How many calls the fault applies to before it lifts itself; unlimited when absent. */
  readonly times?: number;
}

/** A fault in place; `clear()` lifts it. */
export interface InjectedFault {
  /** Calls the fault has applied to so far. */
  readonly hits: number;
  /** Lifts the fault. */
  clear(): void;
}

interface ActiveFault {
  readonly spec: FaultSpec;
  hits: number;
}

/** The error a `fail` fault throws. */
export class SimulatedFault extends Error {
  constructor(
    message: string,
    /** The operation that failed. */
    readonly operation: SimulatorOperation,
  ) {
    super(message);
    this.name = 'SimulatedFault';
  }
}

/**
 * Fault injection for tests: make any simulator call fail, hang or be slow, per operation and
 * per target. Faults apply in the order they were injected; the first that matches wins.
 */
export class FaultInjector {
  private readonly active: ActiveFault[] = [];

  /** Puts a fault in place. */
  inject(spec: FaultSpec): InjectedFault {
    const fault: ActiveFault = { spec, hits: 0 };
    this.active.push(fault);
    return {
      get hits() {
        return fault.hits;
      },
      clear: () => this.remove(fault),
    };
  }

  /** Makes `operation` throw (for `target` only, when given). */
  fail(operation: SimulatorOperation | '*', target?: string, message?: string): InjectedFault {
    return this.inject({ operation, mode: 'fail', ...(target === undefined ? {} : { target }), ...(message === undefined ? {} : { message }) });
  }

  /** Makes `operation` never answer (for `target` only, when given). */
  hang(operation: SimulatorOperation | '*', target?: string): InjectedFault {
    return this.inject({ operation, mode: 'hang', ...(target === undefined ? {} : { target }) });
  }

  /** Makes `operation` answer after `delayMs` (for `target` only, when given). */
  slow(operation: SimulatorOperation | '*', delayMs: number, target?: string): InjectedFault {
    return this.inject({ operation, mode: 'slow', delayMs, ...(target === undefined ? {} : { target }) });
  }

  /** Lifts every fault. */
  clear(): void {
    this.active.length = 0;
  }

  /**
   * Applies the first matching fault to a call about `targets` (several spellings of one
   * target): throws, waits, or never settles. Returns normally when no fault matches.
   */
  async apply(operation: SimulatorOperation, targets: readonly string[]): Promise<void> {
    const fault = this.active.find(
      (f) => (f.spec.operation === '*' || f.spec.operation === operation) && (f.spec.target === undefined || targets.includes(f.spec.target)),
    );
    if (fault === undefined) return;
    fault.hits += 1;
    if (fault.spec.times !== undefined && fault.hits >= fault.spec.times) this.remove(fault);
    switch (fault.spec.mode) {
      case 'fail':
        throw new SimulatedFault(fault.spec.message ?? `simulated failure of ${operation}`, operation);
      case 'hang':
        // Never settles: the caller's timeout is what ends the wait.
        return new Promise<void>(() => undefined);
      case 'slow':
        await new Promise<void>((resolve) => setTimeout(resolve, fault.spec.delayMs ?? 100));
        return;
    }
  }

  private remove(fault: ActiveFault): void {
    const index = this.active.indexOf(fault);
    if (index >= 0) this.active.splice(index, 1);
  }
}
