/** Where a configuration value may be set; reading resolves the narrowest scope that sets it. */
export type ConfigScope = 'global' | 'zone' | 'cluster' | 'storagepool' | 'account';

/** Every scope, narrowest first, the order in which a read looks for a value. */
export const CONFIG_SCOPES_NARROWEST_FIRST: readonly ConfigScope[] = ['account', 'storagepool', 'cluster', 'zone', 'global'];

/**
 * How a value is checked and parsed. Values are kept as strings (as CloudStack's
 * `configuration` table does) and parsed on read.
 */
export type ConfigType =
  | 'string'
  | 'integer'
  | 'float'
  | 'boolean'
  /** One CIDR such as `192.168.10.0/24`. */
  | 'cidr'
  /** Comma-separated CIDRs (for example `secstorage.allowed.internal.sites`). */
  | 'cidr-list'
  /** `a.b.c.d-e.f.g.h`, an IPv4 range. */
  | 'ip-range'
  /** An http(s) URL. */
  | 'url'
  /** A TCP port, 1..65535. */
  | 'port'
  /** An IPv4 address or a host name. */
  | 'host';

/** The TypeScript type a {@link ConfigType} parses to. */
export type ConfigValueOf<T extends ConfigType> = T extends 'integer' | 'float' | 'port'
  ? number
  : T extends 'boolean'
    ? boolean
    : T extends 'cidr-list'
      ? readonly string[]
      : string;

/** One global configuration parameter: its name, type, default, meaning and where it may be set. */
export interface ConfigDefinition {
  /** The parameter name as the guide and `listConfigurations` spell it. */
  readonly name: string;
  /** CloudStack's category (Advanced, Network, Storage, Usage, Alert, Hidden, ...). */
  readonly category: string;
  /** How values are checked and parsed. */
  readonly type: ConfigType;
  /** The default as a string, or undefined when the parameter is unset until an admin sets it. */
  readonly default: string | undefined;
  /** What the parameter does, in the guide's words where it has some. */
  readonly description: string;
  /** Scopes at which it may be set; always includes `global`. */
  readonly scopes: readonly ConfigScope[];
  /** Smallest allowed value, for numbers. */
  readonly min?: number;
  /** Largest allowed value, for numbers. */
  readonly max?: number;
  /** The only allowed values, for enumerated strings. */
  readonly allowed?: readonly string[];
  /** True when a change takes effect only after the management server restarts. */
  readonly restartRequired?: boolean;
}
