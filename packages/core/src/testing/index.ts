/**
 * `@cloudstack-sdk/core/testing`: the conformance suites that define what it means for a store
 * or a driver to work. Driver and store packages run them against their own endpoints.
 *
 * @packageDocumentation
 */
export { describeStore, type DescribeStoreOptions, type StoreUnderTest } from './describe-store.js';
export { describeHypervisorDriver, type DescribeHypervisorDriverOptions, type HostUnderTest, type HypervisorDriverUnderTest } from './describe-hypervisor-driver.js';
