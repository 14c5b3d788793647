import { inject, injectable } from 'tsyringe';
import { z } from 'zod';
import { ConfigReader, type ResolvedConfigValue } from '../config/config-reader.js';
import type { ConfigDefinition, ConfigScope } from '../config/definition.js';
import { parseConfigValue } from '../config/parse-value.js';
import type { CallContext } from '../context/call-context.js';
import { requireRootAdmin } from '../context/authorize.js';
import { isoNow, type Clock } from '../contracts/clock.js';
import type { Store, Transaction } from '../contracts/store.js';
import { invalidParameter } from '../errors.js';
import type { ConfigValue } from '../model/config-value.js';
import { TOKENS } from '../tokens.js';
import { EventRecorder } from './event-recorder.js';
import { validate } from './validate.js';

const ScopeSchema = z.enum(['global', 'zone', 'cluster', 'storagepool', 'account']);

/** Input of {@link ConfigService.update}. */
export const UpdateConfigInput = z.object({
  name: z.string().min(1),
  /** The new value; an empty string clears a parameter that has no default. */
  value: z.union([z.string(), z.number(), z.boolean()]).transform(String),
  /** `global` unless a narrower scope is named. */
  scope: ScopeSchema.default('global'),
  /** The zone, cluster, storage pool or account id for a narrower scope. */
  scopeId: z.string().min(1).optional(),
});

/** Input of {@link ConfigService.update}. */
export type UpdateConfigInput = z.input<typeof UpdateConfigInput>;

/** Filters of {@link ConfigService.list}. */
export const ListConfigInput = z.object({
  name: z.string().optional(),
  category: z.string().optional(),
  keyword: z.string().optional(),
  scope: ScopeSchema.optional(),
  scopeId: z.string().optional(),
});

/** Filters of {@link ConfigService.list}. */
export type ListConfigInput = z.input<typeof ListConfigInput>;

/** One parameter as `listConfigurations` shows it: definition plus effective value. */
export interface ConfigEntry {
  /** Parameter name. */
  readonly name: string;
  /** Category. */
  readonly category: string;
  /** What it does. */
  readonly description: string;
  /** Effective raw value, or undefined when unset. */
  readonly value: string | undefined;
  /** Where the effective value comes from. */
  readonly source: ConfigScope | 'default';
  /** Scopes it may be set at. */
  readonly scopes: readonly ConfigScope[];
  /** Whether a change needs a restart. */
  readonly restartRequired: boolean;
}

function entryOf(resolved: ResolvedConfigValue): ConfigEntry {
  const d = resolved.definition;
  return {
    name: d.name,
    category: d.category,
    description: d.description,
    value: resolved.raw,
    source: resolved.source,
    scopes: d.scopes,
    restartRequired: d.restartRequired ?? false,
  };
}

/**
 * The global configuration registry as admins see it: list parameters with their effective
 * values and update them (root admin only), each update validated against the parameter's type
 * and recorded as a `CONFIGURATION.VALUE.EDIT` event.
 */
@injectable()
export class ConfigService {
  constructor(
    @inject(TOKENS.Store) private readonly store: Store,
    @inject(TOKENS.Clock) private readonly clock: Clock,
    @inject(ConfigReader) private readonly reader: ConfigReader,
    @inject(EventRecorder) private readonly events: EventRecorder,
  ) {}

  /** Parameters with their effective value at the named scope (root admin only). */
  async list(caller: CallContext, input: ListConfigInput = {}): Promise<ConfigEntry[]> {
    requireRootAdmin(caller, 'list the global configuration');
    const query = validate(ListConfigInput, input);
    const keyword = query.keyword?.toLowerCase();
    const selected = this.reader.allDefinitions().filter(
      (d) =>
        (query.name === undefined || d.name === query.name) &&
        (query.category === undefined || d.category.toLowerCase() === query.category.toLowerCase()) &&
        (keyword === undefined || d.name.includes(keyword) || d.description.toLowerCase().includes(keyword)) &&
        (query.scope === undefined || d.scopes.includes(query.scope)),
    );
    const scopeIds = query.scope === undefined || query.scope === 'global' ? {} : scopeIdsOf(query.scope, query.scopeId);
    return this.store.transaction(async (tx) => {
      const entries: ConfigEntry[] = [];
      for (const d of selected) entries.push(entryOf(await this.reader.resolve(d.name, scopeIds, tx)));
      return entries;
    });
  }

  /** Sets a parameter at a scope after validating it; returns the new effective entry. */
  async update(caller: CallContext, input: UpdateConfigInput): Promise<ConfigEntry> {
    requireRootAdmin(caller, 'change the global configuration');
    const change = validate(UpdateConfigInput, input);
    const definition = this.reader.definition(change.name);
    const scopeId = this.checkScope(definition, change.scope, change.scopeId);
    return this.store.transaction(async (tx) => {
      await this.write(tx, definition, change.scope, scopeId, change.value);
      await this.events.record(tx, caller, {
        type: 'CONFIGURATION.VALUE.EDIT',
        description: `Value of ${definition.name} at ${change.scope} scope${change.scope === 'global' ? '' : ` ${scopeId}`} changed to ${change.value === '' ? '(unset)' : change.value}`,
        resourceType: 'Configuration',
        resourceId: definition.name,
      });
      return entryOf(await this.reader.resolve(definition.name, scopeIdsOf(change.scope, scopeId), tx));
    });
  }

  /**
   * Writes initial global values handed to `createCloud`, keeping any value already stored so
   * that an admin's change survives a restart. Every value is validated first; one bad value
   * refuses them all.
   */
  async seed(values: Readonly<Record<string, string | number | boolean>>): Promise<void> {
    const checked = Object.entries(values).map(([name, value]) => {
      const definition = this.reader.definition(name);
      const raw = String(value);
      const parsed = parseConfigValue(definition, raw);
      if (!parsed.ok) throw invalidParameter(name, parsed.reason);
      return { definition, raw };
    });
    await this.store.transaction(async (tx) => {
      for (const { definition, raw } of checked) {
        const existing = await tx.repo('configValues').get(`global:global:${definition.name}`);
        if (existing === undefined) await this.write(tx, definition, 'global', 'global', raw);
      }
    });
  }

  private checkScope(definition: ConfigDefinition, scope: ConfigScope, scopeId: string | undefined): string {
    if (!definition.scopes.includes(scope)) {
      throw invalidParameter('scope', `${definition.name} cannot be set at ${scope} scope (allowed: ${definition.scopes.join(', ')})`);
    }
    if (scope === 'global') {
      if (scopeId !== undefined) throw invalidParameter('scopeid', 'a global value takes no scope id');
      return 'global';
    }
    if (scopeId === undefined) throw invalidParameter('scopeid', `a ${scope} value needs the ${scope} id`);
    return scopeId;
  }

  private async write(tx: Transaction, definition: ConfigDefinition, scope: ConfigScope, scopeId: string, raw: string): Promise<void> {
    const id = `${scope}:${scopeId}:${definition.name}`;
    const repo = tx.repo('configValues');
    const existing = await repo.get(id);
    if (raw === '' && definition.default === undefined) {
      if (existing !== undefined) await repo.delete(id, existing.version);
      return;
    }
    const parsed = parseConfigValue(definition, raw);
    if (!parsed.ok) throw invalidParameter('value', `${definition.name} ${parsed.reason}`);
    const row: Omit<ConfigValue, 'version'> = { id, name: definition.name, scope, scopeId, value: raw.trim(), updatedAt: isoNow(this.clock) };
    if (existing === undefined) await repo.insert(row);
    else await repo.update({ ...row, version: existing.version });
  }
}

function scopeIdsOf(scope: ConfigScope, scopeId: string | undefined) {
  switch (scope) {
    case 'account':
      return { accountId: scopeId };
    case 'storagepool':
      return { storagePoolId: scopeId };
    case 'cluster':
      return { clusterId: scopeId };
    case 'zone':
      return { zoneId: scopeId };
    default:
      return {};
  }
}
