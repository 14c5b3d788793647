/** Public exports of the offerings area, re-exported by the package index. */
export * from './model/service-offering.js';
export * from './model/disk-offering.js';
export * from './model/offering-aggregates.js';
export * from './services/offering-visibility.js';
export * from './services/offering-lifecycle.js';
export * from './services/service-offerings.js';
export * from './services/disk-offerings.js';
export * from './services/offerings-module.js';
