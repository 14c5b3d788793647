/** Public exports of the volumes area, re-exported by the package index. */
export * from './model/volume-aggregates.js';
export * from './model/volume.js';
export * from './model/snapshot.js';
export * from './model/snapshot-policy.js';
export * from './model/usage-record.js';
export * from './services/volumes-module.js';
export * from './services/volumes.js';
export * from './services/volume-inputs.js';
export * from './services/volume-access.js';
export * from './services/volume-devices.js';
export * from './services/volume-placement.js';
export * from './services/volume-lifecycle.js';
export * from './services/volume-attachment.js';
export * from './services/volume-changes.js';
export * from './services/volume-account-cleanup.js';
export * from './services/usage-recorder.js';
