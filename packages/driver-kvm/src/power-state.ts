/** libvirt domain states as core's VM power states. */
import type { ReportedVm } from '@cloudstack-sdk/core';
import { DomainState } from './libvirt-constants.js';

/**
 * Core's power state for a libvirt `virDomainState`: running, blocked and shutting-down domains
 * are `Running`; paused and PM-suspended ones `Paused`; shut-off and crashed ones `Stopped`.
 */
export function powerStateOf(state: number): ReportedVm['powerState'] {
  switch (state) {
    case DomainState.RUNNING:
    case DomainState.BLOCKED:
    case DomainState.SHUTDOWN:
      return 'Running';
    case DomainState.PAUSED:
    case DomainState.PMSUSPENDED:
      return 'Paused';
    case DomainState.SHUTOFF:
    case DomainState.CRASHED:
      return 'Stopped';
    default:
      return 'Unknown';
  }
}
