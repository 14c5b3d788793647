import type { CloudEvent } from './event.js';
import type { ConfigValue } from './config-value.js';
import type { Job } from './job.js';
import { ACCOUNT_AGGREGATE_SPECS, type AccountAggregates } from './account-aggregates.js';
import { TEMPLATE_AGGREGATE_SPECS, type TemplateAggregates } from './template-aggregates.js';
import { VOLUME_AGGREGATE_SPECS, type VolumeAggregates } from './volume-aggregates.js';
import { VM_AGGREGATE_SPECS, type VmAggregates } from './vm-aggregates.js';
import { OFFERING_AGGREGATE_SPECS, type OfferingAggregates } from './offering-aggregates.js';
import { INFRASTRUCTURE_AGGREGATE_SPECS, type InfrastructureAggregates } from './infrastructure-aggregates.js';
import { NETWORK_AGGREGATE_SPECS, type NetworkAggregates } from './network-aggregates.js';
import { SECURITY_GROUP_AGGREGATE_SPECS, type SecurityGroupAggregates } from './security-group-aggregates.js';
import { VPN_AGGREGATE_SPECS, type VpnAggregates } from './vpn-aggregates.js';

/** The aggregates of core's own machinery: events, jobs, configuration. */
export interface CoreAggregates {
  /** Persisted events. */
  events: CloudEvent;
  /** Async jobs. */
  jobs: Job;
  /** Configuration values set at some scope. */
  configValues: ConfigValue;
}

/**
 * Every aggregate the store keeps, by repository name. A store implements one table (or map)
 * per entry. Each area keeps its own list (`<area>-aggregates.ts`) and its specs, merged here.
 */
export interface Aggregates extends CoreAggregates, AccountAggregates, InfrastructureAggregates, OfferingAggregates, TemplateAggregates, VmAggregates, VolumeAggregates, NetworkAggregates, SecurityGroupAggregates, VpnAggregates {}

/** The name of a repository. */
export type AggregateName = keyof Aggregates;

/** Fields a store indexes or keeps unique for one aggregate. */
export interface AggregateSpec<T> {
  /**
   * Groups of fields whose combined values are unique. A row with any of the fields null or
   * absent is not constrained (as SQL unique keys behave).
   */
  readonly unique?: readonly (readonly (keyof T & string)[])[];
  /** Fields looked up by equality often enough to index (owner ids, parents, state). */
  readonly indexed?: readonly (keyof T & string)[];
}

/** Index and uniqueness facts of every aggregate, read by every store implementation. */
export const AGGREGATE_SPECS: { readonly [K in AggregateName]: AggregateSpec<Aggregates[K]> } = {
  events: { indexed: ['accountId', 'domainId', 'type', 'resourceId'] },
  jobs: { indexed: ['accountId', 'status', 'ownerServerId', 'instanceId'] },
  configValues: { unique: [['scope', 'scopeId', 'name']], indexed: ['name'] },
  ...ACCOUNT_AGGREGATE_SPECS,
  ...INFRASTRUCTURE_AGGREGATE_SPECS,
  ...OFFERING_AGGREGATE_SPECS,
  ...TEMPLATE_AGGREGATE_SPECS,
  ...VM_AGGREGATE_SPECS,
  ...VOLUME_AGGREGATE_SPECS,
  ...NETWORK_AGGREGATE_SPECS,
  ...SECURITY_GROUP_AGGREGATE_SPECS,
  ...VPN_AGGREGATE_SPECS,
};

/** Every repository name, in declaration order. */
export const AGGREGATE_NAMES = Object.keys(AGGREGATE_SPECS) as AggregateName[];
