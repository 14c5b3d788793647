import type { DependencyContainer } from 'tsyringe';
import { AccountCleanup } from './account-cleanup.js';
import type { AreaModule } from './area-module.js';
import { bindCaller, type BoundService } from './bind-caller.js';
import { VmAccess } from './vm-access.js';
import { VmAccountCleanup } from './vm-account-cleanup.js';
import { VmDeployment } from './vm-deployment.js';
import { VmDriver } from './vm-driver.js';
import { VmMigration } from './vm-migration.js';
import { HostMaintenance } from './host-maintenance.js';
import { VmHa } from './vm-ha.js';
import { VmChanges } from './vm-changes.js';
import { VmPower } from './vm-power.js';
import { VmReconciler } from './vm-reconciler.js';
import { VmRemoval } from './vm-removal.js';
import { VmReservations } from './vm-reservations.js';
import { VmService } from './vms.js';

export * from './vm-migration.js';
export * from './host-maintenance.js';
export * from './vm-ha.js';
export * from './vm-changes.js';

/** The caller-bound services of the virtual-machine area. */
export interface VmServices {
  /** User VMs. */
  readonly vms: BoundService<VmService>;
  /** Reconciliation of a host's VM states with the store (root admins). */
  readonly vmReconciler: BoundService<VmReconciler>;
  /** The HA manager: a host gone Down, its HA VMs restarted elsewhere (root admins). */
  readonly vmHa: BoundService<VmHa>;
}

/**
 * Virtual machines: deploy, power, destroy/recover/expunge. The server runs the expunge sweep
 * with `container.resolve(VmRemoval).expungeDue()` every `expunge.interval` seconds, and
 * reconciliation with `vmReconciler.reconcile({ hostId })` per host as SYSTEM; when a host
 * stops answering its pings, the server calls `vmReconciler.hostDown({ hostId })` (the HA
 * manager, {@link VmHa}) as SYSTEM.
 */
export const vmsModule: AreaModule<VmServices> = {
  name: 'vms',
  services: [VmAccess, VmReservations, VmDriver, VmPower, VmMigration, HostMaintenance, VmHa, VmChanges, VmDeployment, VmRemoval, VmService, VmAccountCleanup, VmReconciler],
  async start(container: DependencyContainer) {
    const cleanup = container.resolve(VmAccountCleanup);
    container.resolve(AccountCleanup).register('vms', (tx, account, caller) => cleanup.run(tx, account, caller));
  },
  facade: (container, caller) => ({
    vms: bindCaller(container.resolve(VmService), caller),
    vmReconciler: bindCaller(container.resolve(VmReconciler), caller),
    vmHa: bindCaller(container.resolve(VmHa), caller),
  }),
};
