/** Public exports of the virtual-machine area, re-exported by the package index. */
export * from './model/vm-aggregates.js';
export * from './model/vm.js';
export * from './model/nic.js';
export * from './services/vms-module.js';
export * from './services/vms.js';
export * from './services/vm-inputs.js';
export * from './services/vm-view.js';
export * from './services/vm-access.js';
export * from './services/vm-reservations.js';
export * from './services/vm-driver.js';
export * from './services/vm-power.js';
export * from './services/vm-deployment.js';
export * from './services/vm-removal.js';
export * from './services/vm-account-cleanup.js';
export * from './services/vm-reconciler.js';
