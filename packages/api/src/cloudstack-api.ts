import {
  ACCOUNT_TYPE_OF_ROLE,
  CloudError,
  ConfigReader,
  CsErrorCode,
  ErrorCode,
  JobRunner,
  SYSTEM,
  TOKENS,
  internalError,
  isAdmin,
  type CallContext,
  type Clock,
  type Cloud,
} from '@cloudstack-sdk/core';
import type { ApiAuthenticator, LoginResult } from './auth/authenticator.js';
import { SessionStore } from './auth/session-store.js';
import { verifySignature } from './auth/signature.js';
import { timeZoneOffsetHours } from './auth/time-zone.js';
import { builtInCommands } from './commands/built-in.js';
import { NO_NETWORK_FACTS, type CapabilityFacts } from './commands/capabilities-command.js';
import type { CommandContext, CommandDeclaration } from './commands/command.js';
import { roleMayRun } from './commands/permission.js';
import { CommandRegistry } from './commands/registry.js';
import type { ApiRequest, ApiResponse } from './http/api-request.js';
import { decodeForm } from './params/form-decoding.js';
import { parseParams, rejectControlCharacters } from './params/parse-params.js';
import { RequestParams } from './params/request-params.js';
import type { ApiBody, ApiObject, ResponseFormat } from './response/api-value.js';
import { toJson } from './response/json-serializer.js';
import { toXml } from './response/xml-serializer.js';
import { formatCloudStackDate, parseTzDate } from './time/cloudstack-date.js';

/** One line of the request log: what ran, for whom, how it ended and how long it took. */
export interface RequestLogEntry {
  /** `api` for `/client/api`, `integration` for the unauthenticated port. */
  readonly transport: 'api' | 'integration';
  /** The command as sent, when there was one. */
  readonly command?: string;
  /** The calling user's id, once known. */
  readonly userId?: string;
  /** The HTTP status answered (the error code on failure). */
  readonly status: number;
  /** Milliseconds from receipt to reply. */
  readonly durationMs: number;
}

/** How a {@link CloudStackApi} is built. */
export interface CloudStackApiOptions {
  /** The cloud the commands act on. */
  readonly cloud: Cloud;
  /** Where users are found by API key and by credentials. */
  readonly authenticator: ApiAuthenticator;
  /** The endpoint path; `/client/api` by default. The session cookie's path is its parent (`/client`). */
  readonly path?: string;
  /** Idle seconds before a login session ends; 1800 (Tomcat's default, which 4.1 reports) by default. */
  readonly sessionTimeoutSeconds?: number;
  /** Commands added after the built-in ones; a declaration replaces a built-in one of the same name. */
  readonly commands?: readonly CommandDeclaration[];
  /** State facts `listCapabilities` reports; a cloud without networks by default. */
  readonly capabilityFacts?: CapabilityFacts;
  /** Called once per request, after the reply is built. */
  readonly onRequest?: (entry: RequestLogEntry) => void;
}

/** An error reply before or instead of running a command. */
interface Refusal {
  readonly status: number;
  readonly text: string;
  /** The top-level key: the command's response name, or `errorresponse`. */
  readonly rootKey: string;
  /** Present for ServerApiException paths, absent for plain servlet auth failures. */
  readonly csErrorCode?: number;
  /** Servlet errors also carry the text in an `X-Description` header. */
  readonly servlet?: boolean;
}

const UNKNOWN_COMMAND = 'The given command does not exist or it is not available for user';
const BAD_CREDENTIALS = 'unable to verify user credentials and/or request signature';
const INTERNAL_ERROR_FOR_USERS = 'Internal error executing command, please contact your system administrator';
const DOMAIN_ID = /^(?:\d+|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i;

function headerSafe(text: string): string {
  return text.replace(/[^\x20-\x7e]/g, ' ').slice(0, 512);
}

function responseFormatOf(value: string | undefined): ResponseFormat {
  return value !== undefined && value.toLowerCase() === 'json' ? 'json' : 'xml';
}

function cookieValues(header: string | undefined, name: string): string[] {
  if (header === undefined) return [];
  const values: string[] = [];
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq !== -1 && part.slice(0, eq).trim() === name) values.push(part.slice(eq + 1).trim());
  }
  return values;
}

/**
 * The CloudStack 4.1 native API over a cloud, independent of any HTTP server:
 * {@link CloudStackApi.handle} turns one request into one reply (auth, parameters, command,
 * JSON or XML), and {@link CloudStackApi.handleIntegration} serves the unauthenticated
 * integration port. Mount it with `createApiServer` or any framework.
 */
export class CloudStackApi {
  /** The commands served. */
  readonly registry: CommandRegistry;
  /** The live login sessions. */
  readonly sessions: SessionStore;
  /** The endpoint path. */
  readonly path: string;
  private readonly cloud: Cloud;
  private readonly authenticator: ApiAuthenticator;
  private readonly config: ConfigReader;
  private readonly runner: JobRunner;
  private readonly clock: Clock;
  private readonly cookiePath: string;
  private readonly sessionTimeoutSeconds: number;
  private readonly onRequest: ((entry: RequestLogEntry) => void) | undefined;

  constructor(options: CloudStackApiOptions) {
    this.cloud = options.cloud;
    this.authenticator = options.authenticator;
    this.path = (options.path ?? '/client/api').replace(/\/+$/, '');
    this.cookiePath = this.path.slice(0, this.path.lastIndexOf('/')) || '/';
    this.sessionTimeoutSeconds = options.sessionTimeoutSeconds ?? 1800;
    this.onRequest = options.onRequest;
    this.registry = new CommandRegistry([...builtInCommands(options.capabilityFacts ?? NO_NETWORK_FACTS), ...(options.commands ?? [])]);
    this.config = options.cloud.container.resolve(ConfigReader);
    this.runner = options.cloud.container.resolve(JobRunner);
    this.clock = options.cloud.container.resolve(TOKENS.Clock);
    this.sessions = new SessionStore(this.clock, options.cloud.container.resolve(TOKENS.Random));
  }

  /**
   * Answers one request to the API endpoint, in 4.1's order (reference §1): `login`/`logout`;
   * then a live session (`JSESSIONID` + `sessionkey`); otherwise an API-key signature. Then
   * the command's role check, parameters and execution. Never throws: every failure is a reply.
   */
  async handle(request: ApiRequest): Promise<ApiResponse> {
    const started = this.clock.now();
    const log: { command?: string; userId?: string } = {};
    const response = await this.dispatch(request, log).catch((error: unknown) =>
      this.errorReply('xml', { status: ErrorCode.INTERNAL_ERROR, text: internalError('request failed', error).message, rootKey: 'errorresponse' }),
    );
    this.onRequest?.({ transport: 'api', ...log, status: response.status, durationMs: this.clock.now() - started });
    return response;
  }

  /**
   * Answers one request to the integration port (reference §1.4): query string only, no
   * authentication, every command run as SYSTEM; JSON only for exactly `response=json`; errors
   * carry their text as the HTTP reason phrase.
   */
  async handleIntegration(request: ApiRequest): Promise<ApiResponse> {
    const started = this.clock.now();
    let commandName: string | undefined;
    let response: ApiResponse;
    try {
      const params = new RequestParams(decodeForm(request.query));
      const format: ResponseFormat = params.get('response') === 'json' ? 'json' : 'xml';
      commandName = params.get('command');
      const command = commandName === undefined ? undefined : this.registry.get(commandName);
      response =
        command === undefined
          ? await this.errorReply(format, { status: ErrorCode.UNSUPPORTED_ACTION, text: UNKNOWN_COMMAND, rootKey: 'errorresponse', csErrorCode: CsErrorCode.SERVER_API }, 'integration')
          : await this.run(command, params, { ...SYSTEM, origin: `integration:${command.name}` }, format, 'integration');
    } catch (error) {
      const refusal = { status: ErrorCode.PARAM_ERROR, text: toMessage(error), rootKey: 'errorresponse', csErrorCode: CsErrorCode.SERVER_API };
      response = await this.errorReply('xml', refusal, 'integration');
    }
    this.onRequest?.({
      transport: 'integration',
      ...(commandName === undefined ? {} : { command: commandName }),
      userId: SYSTEM.userId,
      status: response.status,
      durationMs: this.clock.now() - started,
    });
    return response;
  }

  /** The configured integration port (`integration.api.port`), or undefined when it is off. */
  async integrationPort(): Promise<number | undefined> {
    const value = await this.config.get('integration.api.port');
    return typeof value === 'number' ? value : undefined;
  }

  private async dispatch(request: ApiRequest, log: { command?: string; userId?: string }): Promise<ApiResponse> {
    if (request.path.replace(/\/+$/, '') !== this.path && !request.path.startsWith(`${this.path}/`)) {
      return { status: 404, headers: { 'content-type': 'text/plain; charset=UTF-8' }, body: 'Not Found' };
    }
    let params: RequestParams;
    try {
      params = this.requestParams(request);
    } catch (error) {
      return this.errorReply(responseFormatOf(new RequestParams(decodeFormLenient(request.query)).get('response')), {
        status: ErrorCode.PARAM_ERROR,
        text: toMessage(error),
        rootKey: 'errorresponse',
        csErrorCode: CsErrorCode.SERVER_API,
      });
    }
    const format = responseFormatOf(params.get('response'));
    const commandName = params.get('command');
    if (commandName !== undefined) log.command = commandName;
    const sessionIds = cookieValues(request.headers.cookie, 'JSESSIONID');
    if (commandName?.toLowerCase() === 'login') return this.login(params, format, sessionIds, log);
    if (commandName?.toLowerCase() === 'logout') {
      for (const id of sessionIds) this.sessions.invalidate(id);
      return this.reply(format, { responseName: 'logoutresponse', content: { description: 'success' } });
    }

    const command = commandName === undefined ? undefined : this.registry.get(commandName);
    const rootKey = command?.responseName ?? 'errorresponse';
    const session = sessionIds.map((id) => this.sessions.live(id)).find((s) => s !== undefined);
    let caller: CallContext;
    if (session !== undefined) {
      if (!this.sessions.keyMatches(session, params.get('sessionkey')?.replace(/ /g, '+'))) {
        this.sessions.invalidate(session.id);
        return this.errorReply(format, { status: 401, text: 'unable to verify user credentials', rootKey, servlet: true });
      }
      log.userId = session.caller.userId;
      if (commandName === undefined) return this.errorReply(format, { status: 400, text: 'no command specified', rootKey, servlet: true });
      if (command === undefined || !roleMayRun(session.caller.role, command.permission)) return this.unknownCommand(format);
      caller = session.caller;
    } else {
      if (commandName === undefined) return this.errorReply(format, { status: 401, text: BAD_CREDENTIALS, rootKey, servlet: true });
      if (command === undefined) return this.unknownCommand(format);
      const apiKey = params.get('apikey');
      const signature = params.get('signature');
      if (apiKey === undefined || signature === undefined) return this.errorReply(format, { status: 401, text: BAD_CREDENTIALS, rootKey, servlet: true });
      if (params.get('signatureversion') === '3') {
        const expires = params.get('expires');
        const at = expires === undefined ? undefined : parseTzDate(expires);
        if (at === undefined || at < this.clock.now()) {
          return this.errorReply(format, { status: 401, text: BAD_CREDENTIALS, rootKey, servlet: true });
        }
      }
      const owner = await this.authenticator.findByApiKey(apiKey).catch((error: unknown) => {
        if (error instanceof CloudError) return undefined;
        throw error;
      });
      if (owner === undefined) return this.errorReply(format, { status: 401, text: BAD_CREDENTIALS, rootKey, servlet: true });
      // The request log names the key's owner; as in 4.1 (reference §1.1), the role is checked
      // before the signature.
      log.userId = owner.caller.userId;
      if (!roleMayRun(owner.caller.role, command.permission)) return this.unknownCommand(format);
      if (!verifySignature(params.entries(), signature, owner.secretKey)) {
        return this.errorReply(format, { status: 401, text: BAD_CREDENTIALS, rootKey, servlet: true });
      }
      caller = owner.caller;
    }
    return this.run(command, params, { ...caller, origin: `api:${command.name}` }, format);
  }

  private requestParams(request: ApiRequest): RequestParams {
    const query = decodeForm(request.query);
    const type = request.headers['content-type']?.toLowerCase();
    const formBody = request.method.toUpperCase() === 'POST' && request.body !== undefined && request.body !== '' && (type === undefined || type.startsWith('application/x-www-form-urlencoded'));
    return new RequestParams(query, formBody ? decodeForm(request.body ?? '') : []);
  }

  private async login(params: RequestParams, format: ResponseFormat, sessionIds: readonly string[], log: { userId?: string }): Promise<ApiResponse> {
    const username = params.get('username') ?? '';
    const password = params.get('password') ?? '';
    const domainId = params.get('domainid');
    let domainPath = params.get('domain');
    if (domainId !== undefined && !DOMAIN_ID.test(domainId.trim())) {
      return this.errorReply(format, { status: 401, text: 'Invalid domain id entered, please enter a valid one', rootKey: 'errorresponse', servlet: true });
    }
    if (domainPath !== undefined) {
      if (!domainPath.startsWith('/')) domainPath = `/${domainPath}`;
      if (!domainPath.endsWith('/')) domainPath = `${domainPath}/`;
    }
    let result: LoginResult | undefined;
    try {
      result =
        username === '' || password === ''
          ? undefined
          : await this.authenticator.login({
              username,
              password,
              ...(domainId !== undefined ? { domainId: domainId.trim() } : { domainPath: domainPath ?? '/' }),
            });
    } catch (error) {
      if (!(error instanceof CloudError)) throw error;
      return this.errorReply(format, { status: error.code, text: error.message, rootKey: 'errorresponse', servlet: true });
    }
    if (result === undefined) {
      return this.errorReply(format, {
        status: ErrorCode.ACCOUNT_ERROR,
        text: `Failed to authenticate user ${username} in domain ${domainId ?? domainPath ?? '/'}; please provide valid credentials`,
        rootKey: 'errorresponse',
        servlet: true,
      });
    }
    for (const id of sessionIds) this.sessions.invalidate(id);
    const session = this.sessions.create(result.caller, this.sessionTimeoutSeconds);
    log.userId = result.caller.userId;
    const offset = result.timeZone === undefined ? undefined : timeZoneOffsetHours(result.timeZone, this.clock.now());
    const content: ApiObject = {
      timeout: String(session.timeoutSeconds),
      userid: result.caller.userId,
      domainid: result.caller.domainId,
      username: result.username,
      firstname: result.firstName,
      lastname: result.lastName,
      account: result.accountName,
      type: String(ACCOUNT_TYPE_OF_ROLE[result.caller.role]),
      registered: String(result.registered),
      sessionkey: session.sessionKey,
      timezone: result.timeZone,
      timezoneoffset: offset,
    };
    return this.reply(format, { responseName: 'loginresponse', content }, 200, { 'set-cookie': [`JSESSIONID=${session.id}; Path=${this.cookiePath}; HttpOnly`] }, 'ISO-8859-1');
  }

  private context(caller: CallContext): CommandContext {
    return {
      caller,
      cloud: this.cloud,
      services: this.cloud.as(caller),
      config: this.config,
      formatDate: formatCloudStackDate,
      commands: () => this.registry.all(),
    };
  }

  /** Parses a command's parameters and runs it as its kind says; every failure becomes an error reply. */
  private async run(
    command: CommandDeclaration,
    params: RequestParams,
    caller: CallContext,
    format: ResponseFormat,
    transport: RequestLogEntry['transport'] = 'api',
  ): Promise<ApiResponse> {
    try {
      rejectControlCharacters(params);
      const parsed = parseParams(command.params, params, command.responseName.replace(/response$/i, ''));
      const context = this.context(caller);
      const responseName = command.responseName;
      switch (command.kind) {
        case 'list': {
          const outcome = await command.execute(context, parsed);
          return this.reply(format, { responseName, content: listContent(command.objectName, outcome.items, outcome.count) });
        }
        case 'sync': {
          const outcome = await command.execute(context, parsed);
          switch (outcome.type) {
            case 'success':
              return this.reply(format, { responseName, content: { success: 'true' } });
            case 'fields':
              return this.reply(format, { responseName, content: outcome.fields });
            case 'list':
              return this.reply(format, { responseName, content: listContent(objectNameOf(command), outcome.items, outcome.count) });
            case 'object':
              return this.reply(format, { responseName, content: { [objectNameOf(command)]: outcome.object } });
          }
          break;
        }
        case 'async':
        case 'async-create': {
          const plan = await command.start(context, parsed);
          if (command.kind === 'async-create' && plan.instanceId === undefined) throw internalError(`${command.name} planned a job without the new object's id`);
          const job = await this.runner.submit(
            caller,
            { command: command.name, ...(plan.instanceType === undefined ? {} : { instanceType: plan.instanceType }), ...(plan.instanceId === undefined ? {} : { instanceId: plan.instanceId }) },
            async (progress) => {
              const outcome = await plan.work(progress);
              return outcome.type === 'object' ? { [objectNameOf(command)]: outcome.object } : { success: true };
            },
          );
          // 4.1 quirk: the XML accept reply of an async-create command carries only <jobid>.
          const content = command.kind === 'async-create' && format === 'json' ? { id: plan.instanceId, jobid: job.id } : { jobid: job.id };
          return this.reply(format, { responseName, content });
        }
      }
      throw internalError('a command declaration has an unknown kind');
    } catch (error) {
      return this.errorReply(format, commandRefusal(command, error, caller), transport);
    }
  }

  private unknownCommand(format: ResponseFormat): Promise<ApiResponse> {
    return this.errorReply(format, { status: ErrorCode.UNSUPPORTED_ACTION, text: UNKNOWN_COMMAND, rootKey: 'errorresponse', csErrorCode: CsErrorCode.SERVER_API });
  }

  /** An error reply; on the integration port the error text is also the HTTP reason phrase. */
  private async errorReply(format: ResponseFormat, refusal: Refusal, transport: RequestLogEntry['transport'] = 'api'): Promise<ApiResponse> {
    const content: ApiObject = {
      errorcode: refusal.status,
      ...(refusal.csErrorCode === undefined ? {} : { cserrorcode: refusal.csErrorCode }),
      errortext: refusal.text,
    };
    const headers: Record<string, string> = refusal.servlet === true ? { 'x-description': headerSafe(refusal.text) } : {};
    const response = await this.reply(format, { responseName: refusal.rootKey, content }, refusal.status, headers);
    return transport === 'integration' ? { ...response, statusText: headerSafe(refusal.text) } : response;
  }

  private async reply(
    format: ResponseFormat,
    body: ApiBody,
    status = 200,
    headers: Readonly<Record<string, string | readonly string[]>> = {},
    xmlEncoding: 'UTF-8' | 'ISO-8859-1' = 'UTF-8',
  ): Promise<ApiResponse> {
    if (format === 'json') {
      const type = (await this.config.string('json.content.type')) ?? 'text/javascript';
      return { status, headers: { 'content-type': `${type}; charset=UTF-8`, ...headers }, body: toJson(body) };
    }
    return { status, headers: { 'content-type': 'text/xml; charset=UTF-8', ...headers }, body: toXml(body, xmlEncoding) };
  }
}

/** A list reply's content: `{count, <item>: [...]}`, just `{count}` for an empty page past the end, `{}` when nothing matched. */
export function listContent(objectName: string, items: readonly ApiObject[], count: number): ApiObject {
  if (items.length > 0) return { count, [objectName]: items };
  if (count > 0) return { count };
  return {};
}

function objectNameOf(command: CommandDeclaration): string {
  if (command.objectName === undefined) throw internalError(`${command.name} answers an object but declares no object name`);
  return command.objectName;
}

function toMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function decodeFormLenient(query: string): ReturnType<typeof decodeForm> {
  try {
    return decodeForm(query);
  } catch {
    return [];
  }
}

/**
 * The error reply of a command that failed: a CloudError keeps its code and text (432 under
 * `errorresponse`, anything else under the command's response name); anything else is a 530
 * whose text only admins see.
 */
function commandRefusal(command: CommandDeclaration, error: unknown, caller: CallContext): Refusal {
  if (!(error instanceof CloudError)) {
    const text = isAdmin(caller) ? toMessage(error) : INTERNAL_ERROR_FOR_USERS;
    return { status: ErrorCode.INTERNAL_ERROR, text, rootKey: command.responseName, csErrorCode: CsErrorCode.CLOUD_RUNTIME };
  }
  const rootKey = error.code === ErrorCode.UNSUPPORTED_ACTION ? 'errorresponse' : command.responseName;
  return { status: error.code, text: error.message, rootKey, csErrorCode: error.csErrorCode };
}
