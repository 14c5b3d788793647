/** Public exports of the allocation area (planner and allocators), re-exported by the package index. */
export * from './services/allocation-module.js';
