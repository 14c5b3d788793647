/** Public exports of the infrastructure area, re-exported by the package index. */
export * from './model/infrastructure-aggregates.js';
export * from './services/infrastructure-module.js';
