/**
 * Several management servers on one store: the server registry contract, its in-memory
 * implementation, the monitor that heartbeats and takes over dead servers, and VM recovery.
 * Re-exported from the package's index.
 *
 * @packageDocumentation
 */
// The monitor and VM recovery are tsyringe classes; the polyfill must load before them when this barrel is imported on its own.
import 'reflect-metadata';
export type { ServerBeat, ServerRegistry } from './contracts/server-registry.js';
export { MemoryServerRegistry } from './store/memory-server-registry.js';
export {
  HOST_RECONCILE_POOL,
  ManagementServerMonitor,
  type ManagementServerMonitorOptions,
  type MonitoredCloud,
  type TakeoverOutcome,
} from './services/server-takeover.js';
export { ServerLease, type FencedServer } from './services/server-lease.js';
export { TRANSITIONAL_VM_STATES, VmRecovery, type RecoveredVm } from './services/vm-recovery.js';
