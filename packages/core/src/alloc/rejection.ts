import { insufficientCapacity, type CloudError } from '../errors.js';

/** Why a candidate (zone, pod, cluster, host or pool) could not take a VM. */
export type RejectionKind =
  | 'allocationState'
  | 'hostState'
  | 'hypervisor'
  | 'hostTag'
  | 'haTag'
  | 'cpuCapability'
  | 'cpu'
  | 'memory'
  | 'storage'
  | 'storageTag'
  | 'localStorage'
  | 'noPool'
  | 'avoided';

/** One refusal of one candidate, with a sentence for the 533 message. */
export interface Rejection {
  /** What was short or wrong. */
  readonly kind: RejectionKind;
  /** A sentence naming the candidate and the shortfall. */
  readonly detail: string;
}

/** How each kind is named in a 533 (`Insufficient <name>`). */
const KIND_NAMES: Readonly<Record<RejectionKind, string>> = {
  allocationState: 'capacity (disabled)',
  hostState: 'capacity (hosts not Up and Enabled)',
  hypervisor: 'capacity (hypervisor)',
  hostTag: 'host tags',
  haTag: 'capacity (HA hosts)',
  cpuCapability: 'CPU',
  cpu: 'CPU',
  memory: 'memory',
  storage: 'storage',
  storageTag: 'storage tags',
  localStorage: 'storage (local)',
  noPool: 'storage',
  avoided: 'capacity (avoided)',
};

/** The rejections of one planning pass, counted by kind with the first detail of each. */
export class RejectionLog {
  private readonly byKind = new Map<RejectionKind, { count: number; first: string }>();

  /** Records a rejection. */
  add(rejection: Rejection): void {
    const entry = this.byKind.get(rejection.kind);
    if (entry === undefined) this.byKind.set(rejection.kind, { count: 1, first: rejection.detail });
    else entry.count += 1;
  }

  /** Whether nothing was rejected. */
  get empty(): boolean {
    return this.byKind.size === 0;
  }

  /** The kinds seen. */
  kinds(): RejectionKind[] {
    return [...this.byKind.keys()];
  }

  /**
   * The 533 for a failed deployment: named after the single shortfall when there was one
   * (`Insufficient CPU: ...`), otherwise every shortfall with a count and an example.
   */
  toError(subject: string, hostTag: string | undefined): CloudError {
    const kinds = this.kinds();
    if (kinds.length === 0) return insufficientCapacity('capacity', `${subject}: there is no host to consider`, { kinds });
    if (kinds.length === 1 && kinds[0] === 'hostTag' && hostTag !== undefined) {
      return insufficientCapacity('host tags', `${subject}: no host with tag ${hostTag}`, { kinds, hostTag });
    }
    const names = new Set(kinds.map((k) => KIND_NAMES[k]));
    const parts = [...this.byKind.entries()].map(([kind, e]) => `${KIND_NAMES[kind]} on ${e.count} candidate(s), e.g. ${e.first}`);
    const name = names.size === 1 ? [...names][0] ?? 'capacity' : 'capacity';
    const summary = [...names].join(', ');
    return insufficientCapacity(name, `${subject}: short of ${summary} — ${parts.join('; ')}`, {
      kinds,
      ...(hostTag === undefined ? {} : { hostTag }),
    });
  }
}
