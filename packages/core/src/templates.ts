/** Public exports of the templates area, re-exported by the package index. */
export * from './model/template.js';
export * from './model/template-copy.js';
export * from './model/launch-permission.js';
export * from './model/os-type.js';
export * from './model/template-aggregates.js';
export * from './services/template-url.js';
export * from './services/template-inputs.js';
export * from './services/template-views.js';
export * from './services/template-downloads.js';
export * from './services/template-catalog.js';
export * from './services/templates.js';
export * from './services/isos.js';
export * from './services/template-permissions.js';
export * from './services/os-types.js';
export * from './services/templates-module.js';
