/**
 * `@cloudstack-sdk/driver-simulator`: in-memory hypervisor and storage devices with fault
 * injection, so a cloud runs with no hardware. Start with {@link createSimulator}.
 *
 * @packageDocumentation
 */
export * from './fault-injector.js';
export * from './simulated-host.js';
export * from './simulator-lab.js';
export * from './simulator-hypervisor.js';
export * from './simulated-images.js';
export * from './simulator-storage.js';
export * from './create-simulator.js';
