/** Public exports of the templates area, re-exported by the package index. */
export * from './model/template-aggregates.js';
export * from './services/templates-module.js';
