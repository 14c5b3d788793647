/** Public exports of the accounts area, re-exported by the package index. */
export * from './model/domain.js';
export * from './model/account-aggregates.js';
export * from './services/accounts-module.js';
