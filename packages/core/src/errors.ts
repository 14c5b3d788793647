import type { ZodError } from 'zod';

/**
 * The HTTP-level error codes of CloudStack 4.1 (`ApiErrorCode`), which the API layer also uses as
 * the HTTP status of an error reply.
 */
export const ErrorCode = {
  /** Malformed `name[i].field` map syntax. */
  MALFORMED_PARAMETER: 430,
  /** Invalid, missing or out-of-range parameter, or an id that names nothing the caller can see. */
  PARAM_ERROR: 431,
  /** Unknown command, or a command the caller's role may not run. */
  UNSUPPORTED_ACTION: 432,
  /** Unexpected failure inside the cloud (and every failed async job's result code). */
  INTERNAL_ERROR: 530,
  /** Permission denied, or a failed login. */
  ACCOUNT_ERROR: 531,
  /** An account or domain resource limit would be exceeded. */
  ACCOUNT_RESOURCE_LIMIT: 532,
  /** Not enough CPU, memory, storage, addresses or VLANs to satisfy the request. */
  INSUFFICIENT_CAPACITY: 533,
  /** A resource (host, device, pool) that the request needs is unavailable. */
  RESOURCE_UNAVAILABLE: 534,
  /** Allocating a resource failed. */
  RESOURCE_ALLOCATION: 535,
  /** The resource is in use and cannot be changed or removed. */
  RESOURCE_IN_USE: 536,
  /** A network rule conflicts with an existing one. */
  NETWORK_RULE_CONFLICT: 537,
} as const;

/** One of the {@link ErrorCode} values. */
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/**
 * CloudStack's `cserrorcode`: which Java exception class the error corresponds to. Clients
 * rarely read it, but the API layer emits it beside `errorcode` as 4.1 does.
 */
export const CsErrorCode = {
  SERVER_API: 9999,
  CLOUD_RUNTIME: 4250,
  ACCOUNT_LIMIT: 4280,
  CONCURRENT_OPERATION: 4300,
  INSUFFICIENT_CAPACITY: 4325,
  INVALID_PARAMETER_VALUE: 4350,
  NETWORK_RULE_CONFLICT: 4360,
  PERMISSION_DENIED: 4365,
  RESOURCE_ALLOCATION: 4370,
  RESOURCE_IN_USE: 4375,
  RESOURCE_UNAVAILABLE: 4380,
  REQUEST_LIMIT: 4545,
} as const;

/** One of the {@link CsErrorCode} values. */
export type CsErrorCode = (typeof CsErrorCode)[keyof typeof CsErrorCode];

/** The `cserrorcode` that goes with each error code unless a helper says otherwise. */
const defaultCsErrorCode: Record<ErrorCode, CsErrorCode> = {
  430: CsErrorCode.SERVER_API,
  431: CsErrorCode.INVALID_PARAMETER_VALUE,
  432: CsErrorCode.SERVER_API,
  530: CsErrorCode.CLOUD_RUNTIME,
  531: CsErrorCode.PERMISSION_DENIED,
  532: CsErrorCode.ACCOUNT_LIMIT,
  533: CsErrorCode.INSUFFICIENT_CAPACITY,
  534: CsErrorCode.RESOURCE_UNAVAILABLE,
  535: CsErrorCode.RESOURCE_ALLOCATION,
  536: CsErrorCode.RESOURCE_IN_USE,
  537: CsErrorCode.NETWORK_RULE_CONFLICT,
};

/** Options of a {@link CloudError}. */
export interface CloudErrorOptions {
  /** The `cserrorcode`; defaults to the one that goes with the code. */
  csErrorCode?: CsErrorCode;
  /** The API parameter at fault, lower-case as the API spells it (`zoneid`, `netmask`). */
  param?: string;
  /** Structured facts for logs and tests (what was short, which rule conflicted, ...). */
  details?: Readonly<Record<string, unknown>>;
  /** The error that caused this one. */
  cause?: unknown;
}

/**
 * The one error type of the SDK. Every refusal and failure that reaches a caller is a
 * `CloudError` carrying the CloudStack error code, so the API layer can answer exactly as 4.1
 * does and a portal can branch on `code` without parsing text.
 */
export class CloudError extends Error {
  /** The CloudStack error code (and HTTP status of the API reply). */
  readonly code: ErrorCode;
  /** The CloudStack `cserrorcode`. */
  readonly csErrorCode: CsErrorCode;
  /** The parameter at fault, when one is. */
  readonly param: string | undefined;
  /** Structured facts about the error. */
  readonly details: Readonly<Record<string, unknown>> | undefined;

  constructor(code: ErrorCode, message: string, options: CloudErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'CloudError';
    this.code = code;
    this.csErrorCode = options.csErrorCode ?? defaultCsErrorCode[code];
    this.param = options.param;
    this.details = options.details;
  }

  /** A plain object for logs and job results. */
  toJSON(): { code: ErrorCode; csErrorCode: CsErrorCode; message: string; param?: string } {
    return {
      code: this.code,
      csErrorCode: this.csErrorCode,
      message: this.message,
      ...(this.param === undefined ? {} : { param: this.param }),
    };
  }
}

/** True when `value` is a {@link CloudError}, optionally with the given code. */
export function isCloudError(value: unknown, code?: ErrorCode): value is CloudError {
  return value instanceof CloudError && (code === undefined || value.code === code);
}

/** 431: a parameter has a value the cloud cannot accept. */
export function invalidParameter(param: string, reason: string, details?: Record<string, unknown>): CloudError {
  return new CloudError(ErrorCode.PARAM_ERROR, `Invalid parameter ${param}: ${reason}`, { param, details });
}

/**
 * 431 with CloudStack's own wording, for refusals whose 4.1 text clients match on (the paging
 * rules, for example): the text is used as it is, and the parameter still named.
 */
export function parameterRefused(param: string, text: string): CloudError {
  return new CloudError(ErrorCode.PARAM_ERROR, text, { param });
}

/** 431: a required parameter is missing. */
export function missingParameter(param: string): CloudError {
  return new CloudError(ErrorCode.PARAM_ERROR, `Missing required parameter ${param}`, { param });
}

/**
 * 431: an id names nothing the caller may see. Existence is never leaked: another tenant's
 * resource and a resource that does not exist give the same error.
 */
export function notFound(entity: string, param: string, id: string): CloudError {
  return new CloudError(
    ErrorCode.PARAM_ERROR,
    `Unable to find ${entity} with ${param}=${id}`,
    { param, details: { entity, id } },
  );
}

/** 531: the caller may not do this to this resource. */
export function permissionDenied(reason: string, param?: string): CloudError {
  return new CloudError(ErrorCode.ACCOUNT_ERROR, reason, { param });
}

/** 432: the operation is not allowed in the current state or for the caller's role. */
export function notAllowed(reason: string, param?: string): CloudError {
  return new CloudError(ErrorCode.UNSUPPORTED_ACTION, reason, { param, csErrorCode: CsErrorCode.SERVER_API });
}

/** 532: a resource limit of an account or domain would be exceeded. */
export function limitExceeded(resource: string, limit: number, owner: string): CloudError {
  return new CloudError(
    ErrorCode.ACCOUNT_RESOURCE_LIMIT,
    `Maximum number of resources of type '${resource}' for ${owner} has been exceeded (limit ${limit})`,
    { details: { resource, limit, owner } },
  );
}

/** 533: not enough of `resource` (CPU, memory, storage, public IPs, VLANs ...) to do this. */
export function insufficientCapacity(resource: string, reason: string, details?: Record<string, unknown>): CloudError {
  return new CloudError(ErrorCode.INSUFFICIENT_CAPACITY, `Insufficient ${resource}: ${reason}`, {
    details: { resource, ...details },
  });
}

/** 534: a resource the request needs (host, device, storage) is unavailable. */
export function resourceUnavailable(reason: string, options: Omit<CloudErrorOptions, 'csErrorCode'> = {}): CloudError {
  return new CloudError(ErrorCode.RESOURCE_UNAVAILABLE, reason, options);
}

/** 535: allocating a resource failed. */
export function allocationFailed(reason: string, options: Omit<CloudErrorOptions, 'csErrorCode'> = {}): CloudError {
  return new CloudError(ErrorCode.RESOURCE_ALLOCATION, reason, options);
}

/** 536: the resource is in use. */
export function resourceInUse(reason: string, param?: string): CloudError {
  return new CloudError(ErrorCode.RESOURCE_IN_USE, reason, { param });
}

/** 537: a network rule conflicts with an existing one. */
export function ruleConflict(reason: string, details?: Record<string, unknown>): CloudError {
  return new CloudError(ErrorCode.NETWORK_RULE_CONFLICT, reason, { details });
}

/**
 * 530 with `cserrorcode` 4300: someone else changed the resource first (a stale version, or a
 * lock that could not be had). The caller may read again and retry.
 */
export function concurrentModification(entity: string, id: string, details?: Record<string, unknown>): CloudError {
  return new CloudError(
    ErrorCode.INTERNAL_ERROR,
    `${entity} ${id} was changed by another operation; read it again and retry`,
    { csErrorCode: CsErrorCode.CONCURRENT_OPERATION, details: { entity, id, ...details } },
  );
}

/** 530: an unexpected failure, wrapping its cause. */
export function internalError(message: string, cause?: unknown): CloudError {
  return new CloudError(ErrorCode.INTERNAL_ERROR, message, { cause });
}

/**
 * 431 from a zod validation failure: names the first offending parameter (its path, joined
 * with dots, lower-cased as the API spells parameters) and zod's reason.
 */
export function fromZodError(error: ZodError): CloudError {
  const issue = error.issues[0];
  const path = issue === undefined ? '' : issue.path.map(String).join('.');
  const param = path === '' ? 'input' : path.toLowerCase();
  const missing = issue?.code === 'invalid_type' && /received undefined/.test(issue.message);
  if (missing) return missingParameter(param);
  return invalidParameter(param, issue?.message ?? 'invalid value', { issues: error.issues.length });
}

/**
 * Any thrown value as a {@link CloudError}: a `CloudError` passes through, anything else
 * becomes a 530 that keeps the original as its cause.
 */
export function toCloudError(error: unknown): CloudError {
  if (error instanceof CloudError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return internalError(message, error);
}
