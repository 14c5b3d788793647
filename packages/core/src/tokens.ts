import type { InjectionToken } from 'tsyringe';
import type { Clock } from './contracts/clock.js';
import type { HypervisorDriver } from './contracts/hypervisor.js';
import type { NetworkElement } from './contracts/network-element.js';
import type { RandomSource } from './contracts/random.js';
import type { StorageDrivers } from './contracts/storage.js';
import type { Store } from './contracts/store.js';
import type { ConfigDefinition } from './config/definition.js';
import type { PasswordHasher } from './security/password-hash.js';
import type { SecretBox } from './security/secret-box.js';

/**
 * Injection tokens of the cloud's container. esbuild emits no decorator metadata, so every
 * injected constructor parameter names one of these with `@inject(TOKENS.X)`.
 */
export const TOKENS = {
  Store: Symbol('Store') as InjectionToken<Store>,
  Clock: Symbol('Clock') as InjectionToken<Clock>,
  Random: Symbol('Random') as InjectionToken<RandomSource>,
  SecretBox: Symbol('SecretBox') as InjectionToken<SecretBox>,
  PasswordHasher: Symbol('PasswordHasher') as InjectionToken<PasswordHasher>,
  ConfigDefinitions: Symbol('ConfigDefinitions') as InjectionToken<ReadonlyMap<string, ConfigDefinition>>,
  Hypervisors: Symbol('Hypervisors') as InjectionToken<ReadonlyMap<string, HypervisorDriver>>,
  NetworkElements: Symbol('NetworkElements') as InjectionToken<ReadonlyMap<string, NetworkElement>>,
  Storage: Symbol('Storage') as InjectionToken<StorageDrivers>,
  ServerId: Symbol('ServerId') as InjectionToken<string>,
  Logger: Symbol('Logger') as InjectionToken<Logger>,
} as const;

/** Where core writes what an operator should know; structured fields, no formatting. */
export interface Logger {
  /** Something worth an operator's attention. */
  warn(message: string, fields?: Readonly<Record<string, unknown>>): void;
  /** Routine facts. */
  info(message: string, fields?: Readonly<Record<string, unknown>>): void;
  /** Failures. */
  error(message: string, fields?: Readonly<Record<string, unknown>>): void;
}

/** A logger that drops everything, the default for an embedded cloud. */
export const silentLogger: Logger = { warn: () => undefined, info: () => undefined, error: () => undefined };
