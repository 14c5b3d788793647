/**
 * Several management servers on one store: the server registry contract, its in-memory
 * implementation, the monitor that heartbeats and takes over dead servers, and VM recovery.
 * Re-exported from the package's index.
 *
 * @packageDocumentation
 */
export type { ServerBeat, ServerRegistry } from './contracts/server-registry.js';
export { MemoryServerRegistry } from './store/memory-server-registry.js';
export {
  HOST_RECONCILE_POOL,
  ManagementServerMonitor,
  type ManagementServerMonitorOptions,
  type MonitoredCloud,
  type TakeoverOutcome,
} from './services/server-takeover.js';
export { TRANSITIONAL_VM_STATES, VmRecovery, type RecoveredVm } from './services/vm-recovery.js';
