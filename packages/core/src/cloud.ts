import 'reflect-metadata';
import { container as rootContainer, type DependencyContainer } from 'tsyringe';
import { ConfigReader } from './config/config-reader.js';
import type { ConfigDefinition } from './config/definition.js';
import { CONFIG_PARAMETERS } from './config/parameters.js';
import { SYSTEM, type CallContext } from './context/call-context.js';
import { systemClock, type Clock } from './contracts/clock.js';
import type { HypervisorDriver } from './contracts/hypervisor.js';
import type { NetworkElement } from './contracts/network-element.js';
import { cryptoRandom, type RandomSource } from './contracts/random.js';
import type { StorageDrivers } from './contracts/storage.js';
import type { Store } from './contracts/store.js';
import { invalidParameter } from './errors.js';
import { DEFAULT_SCRYPT, PasswordHasher, type ScryptParameters } from './security/password-hash.js';
import { SecretBox, type SecretKeyring } from './security/secret-box.js';
import { accountsModule, type AccountServices } from './services/accounts-module.js';
import type { AreaModule } from './services/area-module.js';
import { bindCaller, type BoundService } from './services/bind-caller.js';
import { EventRecorder } from './services/event-recorder.js';
import { infrastructureModule, type InfrastructureServices } from './services/infrastructure-module.js';
import { offeringsModule, type OfferingServices } from './services/offerings-module.js';
import { templatesModule, type TemplateServices } from './services/templates-module.js';
import { allocationModule, type AllocationServices } from './services/allocation-module.js';
import { vmsModule, type VmServices } from './services/vms-module.js';
import { volumesModule, type VolumeServices } from './services/volumes-module.js';
import { networksModule, type NetworkServices } from './services/networks-module.js';
import { addressesModule, type AddressServices } from './services/addresses-module.js';
import { loadBalancingModule, type LoadBalancingServices } from './services/load-balancing-module.js';
import { securityGroupsModule, type SecurityGroupServices } from './services/security-groups-module.js';
import { vpnModule, type VpnServices } from './services/vpn-module.js';
import { ConfigService } from './services/config.js';
import { EventService } from './services/events.js';
import { JobRunner } from './services/job-runner.js';
import { JobService } from './services/jobs.js';
import { MemoryStore } from './store/memory-store.js';
import { TOKENS, silentLogger, type Logger } from './tokens.js';

/** What a cloud is built from. Everything is optional but the secrets of a persistent store. */
export interface CloudOptions {
  /** Where state is kept; the memory store by default. */
  readonly store?: Store;
  /** Hypervisor drivers, one per hypervisor type. */
  readonly hypervisors?: readonly HypervisorDriver[];
  /** Network elements, one per provider name. */
  readonly networkElements?: readonly NetworkElement[];
  /** Primary- and secondary-storage drivers. */
  readonly storage?: StorageDrivers;
  /**
   * Initial global configuration values. They are written when the store has no value for the
   * parameter yet, so that an admin's later change survives a restart.
   */
  readonly config?: Readonly<Record<string, string | number | boolean>>;
  /**
   * The keys secrets are sealed with. Required unless the store is the memory store, for which a
   * key is generated for the life of the process (its secrets die with it anyway).
   */
  readonly secrets?: SecretKeyring;
  /** This management server's id; jobs and background work are owned by it. `ms-1` by default. */
  readonly serverId?: string;
  /** The clock; the machine's by default. */
  readonly clock?: Clock;
  /** Randomness; node's CSPRNG by default. */
  readonly random?: RandomSource;
  /** Where operational messages go; nowhere by default. */
  readonly logger?: Logger;
  /** scrypt work factors for user passwords; OWASP's minimum by default. */
  readonly passwordHashing?: ScryptParameters;
  /** Extra configuration parameters a product adds beside CloudStack's own. */
  readonly extraConfigParameters?: readonly ConfigDefinition[];
}

/** Core's own caller-bound services. */
export interface CoreServices {
  /** The global configuration registry. */
  readonly config: BoundService<ConfigService>;
  /** Events. */
  readonly events: BoundService<EventService>;
  /** Async jobs. */
  readonly jobs: BoundService<JobService>;
}

/** The services of a cloud, each bound to one caller. */
export interface CloudServices extends CoreServices, AccountServices, InfrastructureServices, OfferingServices, TemplateServices, AllocationServices, VmServices, VolumeServices, NetworkServices, AddressServices, LoadBalancingServices, SecurityGroupServices, VpnServices {}

/**
 * The areas wired into every cloud, in start-up order: accounts first (the ROOT domain and the
 * SYSTEM account must exist before anything is owned), then infrastructure, offerings,
 * templates, allocation, virtual machines, volumes and guest networks.
 */
const AREAS: readonly AreaModule<object>[] = [accountsModule, infrastructureModule, offeringsModule, templatesModule, allocationModule, vmsModule, volumesModule, networksModule, addressesModule, loadBalancingModule, securityGroupsModule, vpnModule];

/** A running cloud: services per caller, plus the pieces an embedding product may need. */
export interface Cloud {
  /** The services bound to `caller`; authorisation and tenant isolation follow from it. */
  as(caller: CallContext): CloudServices;
  /** The services bound to SYSTEM, for start-up work and background tasks. */
  readonly system: CloudServices;
  /** This management server's id. */
  readonly serverId: string;
  /** The store. */
  readonly store: Store;
  /** The dependency-injection container, for products that register their own services. */
  readonly container: DependencyContainer;
  /** Waits for running jobs, then closes the store. */
  close(): Promise<void>;
}

function definitionMap(extra: readonly ConfigDefinition[]): Map<string, ConfigDefinition> {
  const map = new Map<string, ConfigDefinition>();
  for (const definition of [...CONFIG_PARAMETERS, ...extra]) {
    if (map.has(definition.name)) throw invalidParameter('extraconfigparameters', `${definition.name} is defined twice`);
    map.set(definition.name, definition);
  }
  return map;
}

function keyedBy<T>(items: readonly T[], key: (item: T) => string, param: string): Map<string, T> {
  const map = new Map<string, T>();
  for (const item of items) {
    const name = key(item);
    if (map.has(name)) throw invalidParameter(param, `two drivers are registered for ${name}`);
    map.set(name, item);
  }
  return map;
}

function keyringFor(options: CloudOptions, random: RandomSource): SecretKeyring {
  if (options.secrets !== undefined) return options.secrets;
  if (options.store === undefined || options.store instanceof MemoryStore) {
    return { activeKeyId: 'ephemeral', keys: { ephemeral: random.bytes(32) } };
  }
  throw invalidParameter('secrets', 'a persistent store needs the keys its secrets are sealed with');
}

/**
 * Builds a cloud: wires a container with the store, drivers, clock, randomness and secret box,
 * prepares the store, writes initial configuration, and marks failed the jobs this server id
 * left unfinished in an earlier run.
 */
export async function createCloud(options: CloudOptions = {}): Promise<Cloud> {
  const random = options.random ?? cryptoRandom;
  const store = options.store ?? new MemoryStore();
  const serverId = options.serverId ?? 'ms-1';
  const container = rootContainer.createChildContainer();
  container.registerInstance(TOKENS.Store, store);
  container.registerInstance(TOKENS.Clock, options.clock ?? systemClock);
  container.registerInstance(TOKENS.Random, random);
  container.registerInstance(TOKENS.ServerId, serverId);
  container.registerInstance(TOKENS.Logger, options.logger ?? silentLogger);
  container.registerInstance(TOKENS.SecretBox, new SecretBox(keyringFor(options, random), random));
  container.registerInstance(TOKENS.PasswordHasher, new PasswordHasher(random, options.passwordHashing ?? DEFAULT_SCRYPT));
  container.registerInstance(TOKENS.ConfigDefinitions, definitionMap(options.extraConfigParameters ?? []));
  container.registerInstance(TOKENS.Hypervisors, keyedBy(options.hypervisors ?? [], (d) => d.hypervisorType, 'hypervisors'));
  container.registerInstance(TOKENS.NetworkElements, keyedBy(options.networkElements ?? [], (e) => e.provider, 'networkelements'));
  container.registerInstance(TOKENS.Storage, options.storage ?? { primary: [] });
  const classes = [EventRecorder, ConfigReader, ConfigService, EventService, JobRunner, JobService, ...AREAS.flatMap((a) => a.services)];
  for (const service of classes) container.registerSingleton(service as never);

  await store.init();
  await container.resolve(ConfigService).seed(options.config ?? {});
  for (const area of AREAS) await area.start?.(container);
  const runner = container.resolve(JobRunner);
  await runner.recoverInterrupted();

  const servicesFor = (caller: CallContext): CloudServices =>
    Object.freeze(
      Object.assign(
        {
          config: bindCaller(container.resolve(ConfigService), caller),
          events: bindCaller(container.resolve(EventService), caller),
          jobs: bindCaller(container.resolve(JobService), caller),
        },
        ...AREAS.map((area) => area.facade(container, caller)),
      ) as CloudServices,
    );

  return {
    as: servicesFor,
    system: servicesFor(SYSTEM),
    serverId,
    store,
    container,
    async close() {
      await runner.drain();
      await store.close();
    },
  };
}
