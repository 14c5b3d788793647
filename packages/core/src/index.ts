/**
 * `@cloudstack-sdk/core`: the domain model, services, allocators, driver contracts and the
 * memory store of cloudstack-sdk. Start with {@link createCloud}.
 *
 * @packageDocumentation
 */
import 'reflect-metadata';

export * from './errors.js';
export * from './context/call-context.js';
export * from './contracts/store.js';
export * from './contracts/clock.js';
export * from './contracts/random.js';
export * from './contracts/hypervisor.js';
export * from './contracts/network-element.js';
export * from './contracts/storage.js';
export * from './model/aggregates.js';
export * from './model/event.js';
export * from './model/job.js';
export * from './model/config-value.js';
export * from './config/definition.js';
export * from './config/parameters.js';
export * from './config/parse-value.js';
export * from './config/config-reader.js';
export * from './security/secret-box.js';
export * from './security/password-hash.js';
export * from './services/bind-caller.js';
export * from './services/validate.js';
export * from './services/paging.js';
export * from './services/event-recorder.js';
export * from './services/events.js';
export * from './services/config.js';
export * from './services/job-runner.js';
export * from './services/jobs.js';
export * from './store/memory-store.js';
export { matchesFilter, comparatorFor, isFieldCondition } from './store/filter-match.js';
export { AsyncMutex } from './runtime/async-mutex.js';
export { TOKENS, silentLogger, type Logger } from './tokens.js';
export * from './context/authorize.js';
export * from './services/area-module.js';
export * from './accounts.js';
export * from './infrastructure.js';
export * from './offerings.js';
export * from './templates.js';
export * from './allocation.js';
export * from './vms.js';
export * from './volumes.js';
export * from './networks.js';
export * from './servers.js';
export * from './cloud.js';
