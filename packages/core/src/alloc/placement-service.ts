import { inject, injectable } from 'tsyringe';
import type { CallContext } from '../context/call-context.js';
import type { Store } from '../contracts/store.js';
import { requireInfrastructureReader } from '../services/infrastructure-lookups.js';
import { TOKENS } from '../tokens.js';
import type { DeploymentRequestInput } from './deployment-request.js';
import { DeploymentPlanner } from './deployment-planner.js';
import type { Placement } from './placement.js';

/**
 * "Where would this VM go?" for admins: runs the deployment planner on current state without
 * claiming anything. The answer is a snapshot; a deployment plans again and claims atomically.
 */
@injectable()
export class PlacementService {
  constructor(
    @inject(TOKENS.Store) private readonly store: Store,
    @inject(DeploymentPlanner) private readonly planner: DeploymentPlanner,
  ) {}

  /** The host and pool the planner would choose now (root and resource-domain admins); 533 when none. */
  async plan(caller: CallContext, input: DeploymentRequestInput): Promise<Placement> {
    requireInfrastructureReader(caller, 'ask the deployment planner');
    return this.store.transaction((tx) => this.planner.plan(tx, input));
  }
}
