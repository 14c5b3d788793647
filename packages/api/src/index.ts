/**
 * `@cloudstack-sdk/api`: the Apache CloudStack 4.1 native HTTP API over `@cloudstack-sdk/core`.
 * Build a {@link CloudStackApi} over a cloud and an {@link ApiAuthenticator}, then serve it with
 * {@link createApiServer} or mount {@link CloudStackApi.handle} in any HTTP framework.
 *
 * @packageDocumentation
 */
export * from './cloudstack-api.js';
export * from './http/api-request.js';
export * from './http/node-adapter.js';
export * from './http/integration-server.js';
export * from './auth/authenticator.js';
export * from './auth/core-authenticator.js';
export * from './auth/canonical-forms.js';
export * from './auth/signature.js';
export * from './auth/session-store.js';
export * from './auth/time-zone.js';
export * from './commands/catalog-entry.js';
export * from './commands/catalog-4.1.js';
export * from './commands/catalog.js';
export * from './commands/command.js';
export * from './commands/registry.js';
export * from './commands/permission.js';
export * from './commands/list-params.js';
export * from './commands/built-in.js';
export * from './commands/capabilities-command.js';
export { listApis } from './commands/apis-command.js';
export { listConfigurations, updateConfiguration } from './commands/configuration-commands.js';
export { listEvents } from './commands/event-commands.js';
export { listAsyncJobs, queryAsyncJobResult } from './commands/job-commands.js';
export { INFRASTRUCTURE_COMMANDS } from './commands/infrastructure-commands.js';
export { ACCOUNT_COMMANDS } from './commands/account-area-commands.js';
export { OFFERING_COMMANDS } from './commands/offering-commands.js';
export * from './params/form-decoding.js';
export * from './params/request-params.js';
export * from './params/param-types.js';
export * from './params/parse-params.js';
export * from './response/api-value.js';
export * from './response/json-serializer.js';
export * from './response/xml-serializer.js';
export * from './response/job-view.js';
export * from './time/cloudstack-date.js';
export * from './coverage/coverage-table.js';
