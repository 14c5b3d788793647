import { inject, injectable } from 'tsyringe';
import type { Store, Transaction } from '../contracts/store.js';
import { internalError, invalidParameter } from '../errors.js';
import { TOKENS } from '../tokens.js';
import type { ConfigDefinition, ConfigScope } from './definition.js';
import { parseConfigValue, type ParsedConfigValue } from './parse-value.js';

/** The scope ids a read may resolve against; the narrowest one that sets the value wins. */
export interface ConfigScopeIds {
  /** Account scope. */
  readonly accountId?: string;
  /** Storage-pool scope. */
  readonly storagePoolId?: string;
  /** Cluster scope. */
  readonly clusterId?: string;
  /** Zone scope. */
  readonly zoneId?: string;
}

const SCOPE_ID_FIELD: Readonly<Record<Exclude<ConfigScope, 'global'>, keyof ConfigScopeIds>> = {
  account: 'accountId',
  storagepool: 'storagePoolId',
  cluster: 'clusterId',
  zone: 'zoneId',
};

/** Where a resolved value came from. */
export interface ResolvedConfigValue {
  /** The parameter's definition. */
  readonly definition: ConfigDefinition;
  /** The raw string, or undefined when the parameter is unset. */
  readonly raw: string | undefined;
  /** The parsed value, or undefined when unset. */
  readonly value: ParsedConfigValue | undefined;
  /** The scope that set it, or `default`. */
  readonly source: ConfigScope | 'default';
}

/**
 * Reads configuration values for core's own use (no caller: services decide who may see what).
 * A read looks at the narrowest scope the caller names first (account, storage pool, cluster,
 * zone) and falls back to the global value, then the default.
 */
@injectable()
export class ConfigReader {
  constructor(
    @inject(TOKENS.Store) private readonly store: Store,
    @inject(TOKENS.ConfigDefinitions) private readonly definitions: ReadonlyMap<string, ConfigDefinition>,
  ) {}

  /** The definition of a parameter; 431 naming `name` when there is none. */
  definition(name: string): ConfigDefinition {
    const definition = this.definitions.get(name);
    if (definition === undefined) throw invalidParameter('name', `there is no configuration parameter named ${name}`);
    return definition;
  }

  /** Every definition, in catalogue order. */
  allDefinitions(): ConfigDefinition[] {
    return Array.from(this.definitions.values());
  }

  /** Resolves a value with its source, inside `tx` when given. */
  async resolve(name: string, scope: ConfigScopeIds = {}, tx?: Transaction): Promise<ResolvedConfigValue> {
    const definition = this.definition(name);
    const read = async (t: Transaction): Promise<ResolvedConfigValue> => {
      for (const candidate of definition.scopes) {
        if (candidate === 'global') continue;
        const scopeId = scope[SCOPE_ID_FIELD[candidate]];
        if (scopeId === undefined) continue;
        const row = await t.repo('configValues').get(`${candidate}:${scopeId}:${name}`);
        if (row !== undefined) return this.parsed(definition, row.value, candidate);
      }
      const global = await t.repo('configValues').get(`global:global:${name}`);
      if (global !== undefined) return this.parsed(definition, global.value, 'global');
      return this.parsed(definition, definition.default, 'default');
    };
    return tx === undefined ? this.store.transaction(read) : read(tx);
  }

  /** The parsed value (undefined when unset). */
  async get(name: string, scope: ConfigScopeIds = {}, tx?: Transaction): Promise<ParsedConfigValue | undefined> {
    return (await this.resolve(name, scope, tx)).value;
  }

  /** A number-typed value; 530 when the parameter is unset or not numeric. */
  async number(name: string, scope: ConfigScopeIds = {}, tx?: Transaction): Promise<number> {
    const value = await this.get(name, scope, tx);
    if (typeof value !== 'number') throw internalError(`Configuration ${name} is not set to a number`);
    return value;
  }

  /** A boolean-typed value; false when unset. */
  async flag(name: string, scope: ConfigScopeIds = {}, tx?: Transaction): Promise<boolean> {
    return (await this.get(name, scope, tx)) === true;
  }

  /** A string value, or undefined when unset. */
  async string(name: string, scope: ConfigScopeIds = {}, tx?: Transaction): Promise<string | undefined> {
    const value = await this.get(name, scope, tx);
    return value === undefined ? undefined : Array.isArray(value) ? value.join(',') : String(value);
  }

  private parsed(definition: ConfigDefinition, raw: string | undefined, source: ConfigScope | 'default'): ResolvedConfigValue {
    if (raw === undefined) return { definition, raw, value: undefined, source };
    const parsed = parseConfigValue(definition, raw);
    // A stored value was validated when it was written; a bad default is a catalogue bug.
    if (!parsed.ok) throw internalError(`Configuration ${definition.name}=${raw} is invalid: ${parsed.reason}`);
    return { definition, raw, value: parsed.value, source };
  }
}
