import type { CallContext, Cloud, CloudServices, ConfigReader, ReportProgress } from '@cloudstack-sdk/core';
import type { ParamShape, ParamsOf } from '../params/param-types.js';
import type { ApiObject } from '../response/api-value.js';
import type { CommandKind } from './catalog-entry.js';

/** What a command runs with: the caller, the cloud and the caller's services. */
export interface CommandContext {
  /** Who is calling (its `origin` names the command). */
  readonly caller: CallContext;
  /** The cloud. */
  readonly cloud: Cloud;
  /** The cloud's services bound to the caller. */
  readonly services: CloudServices;
  /** Configuration values, for what a reply reports from configuration. */
  readonly config: ConfigReader;
  /** Formats a stored (ISO) time as 4.1's reply dates. */
  formatDate(time: string | number): string;
  /** Every declared command, for `listApis`. */
  readonly commands: () => readonly CommandDeclaration[];
}

/** A field of a command's reply object, for `listApis`. */
export interface ResponseFieldDoc {
  /** The field name as serialised. */
  readonly name: string;
  /** What it holds. */
  readonly description: string;
  /** Its type as `listApis` names it (`string`, `boolean`, `integer`, `long`, `date`, `list`, `map`, ...). */
  readonly type: string;
}

/**
 * What a sync command answers: one object under its object name, `"success":"true"`, a list
 * shape (4.1's sync commands that answer lists: `listApis`, `listHypervisors`), or fields
 * directly under the response name (`queryAsyncJobResult`, `login`).
 */
export type SyncOutcome =
  | { readonly type: 'object'; readonly object: ApiObject }
  | { readonly type: 'success' }
  | { readonly type: 'list'; readonly items: readonly ApiObject[]; readonly count: number }
  | { readonly type: 'fields'; readonly fields: ApiObject };

/** What a list command answers: the page and the total before paging (`count`). */
export interface ListOutcome {
  /** The rows of the page. */
  readonly items: readonly ApiObject[];
  /** The total number of matches before paging (or the page length for the few 4.1 lists that report that). */
  readonly count: number;
}

/** What an async command's job ends with: the object under the command's object name, or plain success. */
export type AsyncOutcome = { readonly type: 'object'; readonly object: ApiObject } | { readonly type: 'success' };

/**
 * An accepted async command: validated and authorised, with the job's subject and its work.
 * The work runs as a core job after the accept reply's job record commits.
 */
export interface AsyncPlan {
  /** The kind of resource the job acts on (`VirtualMachine`, `Volume`, ...). */
  readonly instanceType?: string;
  /** The resource's id; for async-create commands the new object's id, returned as `id`. */
  readonly instanceId?: string;
  /** The job's work. */
  work(progress: ReportProgress): Promise<AsyncOutcome>;
}

/** What every command declaration has. */
interface CommandBase<P extends ParamShape> {
  /** The command name, case-sensitive. */
  readonly name: string;
  /** What it does, for `listApis`. */
  readonly description: string;
  /** The version that added it, for `listApis`. */
  readonly since?: string;
  /** Roles allowed: 1 root admin, 2 resource-domain admin, 4 domain admin, 8 user. */
  readonly permission: number;
  /** The reply's top-level key. */
  readonly responseName: string;
  /** The key an answered object or list item sits under (`zone`, `virtualmachine`). */
  readonly objectName?: string;
  /** The declared parameters, by lower-case name. */
  readonly params: P;
  /** The fields of the reply object, for `listApis`. */
  readonly response?: readonly ResponseFieldDoc[];
  /** Related commands, for `listApis`. */
  readonly related?: readonly string[];
}

/** A synchronous command. */
export interface SyncCommand<P extends ParamShape = ParamShape> extends CommandBase<P> {
  /** Sync. */
  readonly kind: 'sync';
  /** Runs the command. */
  execute(context: CommandContext, params: ParamsOf<P>): Promise<SyncOutcome>;
}

/** A list command (4.1's `BaseListCmd`): a page of objects under the object name, and `count`. */
export interface ListCommand<P extends ParamShape = ParamShape> extends CommandBase<P> {
  /** List. */
  readonly kind: 'list';
  /** The list item key. */
  readonly objectName: string;
  /** Runs the command. */
  execute(context: CommandContext, params: ParamsOf<P>): Promise<ListOutcome>;
}

/** An async command: answers `{jobid}` (or `{id, jobid}` when async-create) and runs as a job. */
export interface AsyncCommand<P extends ParamShape = ParamShape> extends CommandBase<P> {
  /** Async, or async-create (then the plan names the new object's id). */
  readonly kind: 'async' | 'async-create';
  /** Validates and authorises, then returns the job's plan. */
  start(context: CommandContext, params: ParamsOf<P>): Promise<AsyncPlan>;
}

/** Any command declaration. */
export type CommandDeclaration = SyncCommand<ParamShape> | ListCommand<ParamShape> | AsyncCommand<ParamShape>;

/** A command's kind. */
export type { CommandKind };

/**
 * Declares a command with typed parameters. The declaration is returned as it is; the
 * function exists so that `execute`/`start` see the parameter types of `params`.
 */
export function defineCommand<P extends ParamShape>(declaration: SyncCommand<P>): CommandDeclaration;
export function defineCommand<P extends ParamShape>(declaration: ListCommand<P>): CommandDeclaration;
export function defineCommand<P extends ParamShape>(declaration: AsyncCommand<P>): CommandDeclaration;
export function defineCommand(declaration: CommandDeclaration): CommandDeclaration {
  return declaration;
}
