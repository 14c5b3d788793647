/** Public exports of the virtual-machine area, re-exported by the package index. */
export * from './model/vm-aggregates.js';
export * from './services/vms-module.js';
