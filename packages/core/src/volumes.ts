/** Public exports of the volumes area, re-exported by the package index. */
export * from './model/volume-aggregates.js';
export * from './services/volumes-module.js';
