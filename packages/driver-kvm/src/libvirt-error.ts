/**
 * libvirt's errors: the `remote_error` body of a failed reply, the {@link LibvirtError} it becomes,
 * and the one place where libvirt's error numbers are mapped to core's {@link CloudError} codes.
 */
import { CloudError, ErrorCode } from '@cloudstack-sdk/core';
import { domainRef, networkRef, optionalString, type DomainRef, type NetworkRef } from './remote-types.js';
import { xdr, type XdrCodec } from './xdr.js';

/** `virErrorNumber` (libvirt's virterror.h), by name. */
export const VirErrorCode = {
  VIR_ERR_OK: 0,
  VIR_ERR_INTERNAL_ERROR: 1,
  VIR_ERR_NO_MEMORY: 2,
  VIR_ERR_NO_SUPPORT: 3,
  VIR_ERR_UNKNOWN_HOST: 4,
  VIR_ERR_NO_CONNECT: 5,
  VIR_ERR_INVALID_CONN: 6,
  VIR_ERR_INVALID_DOMAIN: 7,
  VIR_ERR_INVALID_ARG: 8,
  VIR_ERR_OPERATION_FAILED: 9,
  VIR_ERR_GET_FAILED: 10,
  VIR_ERR_POST_FAILED: 11,
  VIR_ERR_HTTP_ERROR: 12,
  VIR_ERR_SEXPR_SERIAL: 13,
  VIR_ERR_NO_XEN: 14,
  VIR_ERR_XEN_CALL: 15,
  VIR_ERR_OS_TYPE: 16,
  VIR_ERR_NO_KERNEL: 17,
  VIR_ERR_NO_ROOT: 18,
  VIR_ERR_NO_SOURCE: 19,
  VIR_ERR_NO_TARGET: 20,
  VIR_ERR_NO_NAME: 21,
  VIR_ERR_NO_OS: 22,
  VIR_ERR_NO_DEVICE: 23,
  VIR_ERR_NO_XENSTORE: 24,
  VIR_ERR_DRIVER_FULL: 25,
  VIR_ERR_CALL_FAILED: 26,
  VIR_ERR_XML_ERROR: 27,
  VIR_ERR_DOM_EXIST: 28,
  VIR_ERR_OPERATION_DENIED: 29,
  VIR_ERR_OPEN_FAILED: 30,
  VIR_ERR_READ_FAILED: 31,
  VIR_ERR_PARSE_FAILED: 32,
  VIR_ERR_CONF_SYNTAX: 33,
  VIR_ERR_WRITE_FAILED: 34,
  VIR_ERR_XML_DETAIL: 35,
  VIR_ERR_INVALID_NETWORK: 36,
  VIR_ERR_NETWORK_EXIST: 37,
  VIR_ERR_SYSTEM_ERROR: 38,
  VIR_ERR_RPC: 39,
  VIR_ERR_GNUTLS_ERROR: 40,
  VIR_WAR_NO_NETWORK: 41,
  VIR_ERR_NO_DOMAIN: 42,
  VIR_ERR_NO_NETWORK: 43,
  VIR_ERR_INVALID_MAC: 44,
  VIR_ERR_AUTH_FAILED: 45,
  VIR_ERR_INVALID_STORAGE_POOL: 46,
  VIR_ERR_INVALID_STORAGE_VOL: 47,
  VIR_WAR_NO_STORAGE: 48,
  VIR_ERR_NO_STORAGE_POOL: 49,
  VIR_ERR_NO_STORAGE_VOL: 50,
  VIR_WAR_NO_NODE: 51,
  VIR_ERR_INVALID_NODE_DEVICE: 52,
  VIR_ERR_NO_NODE_DEVICE: 53,
  VIR_ERR_NO_SECURITY_MODEL: 54,
  VIR_ERR_OPERATION_INVALID: 55,
  VIR_WAR_NO_INTERFACE: 56,
  VIR_ERR_NO_INTERFACE: 57,
  VIR_ERR_INVALID_INTERFACE: 58,
  VIR_ERR_MULTIPLE_INTERFACES: 59,
  VIR_WAR_NO_NWFILTER: 60,
  VIR_ERR_INVALID_NWFILTER: 61,
  VIR_ERR_NO_NWFILTER: 62,
  VIR_ERR_BUILD_FIREWALL: 63,
  VIR_WAR_NO_SECRET: 64,
  VIR_ERR_INVALID_SECRET: 65,
  VIR_ERR_NO_SECRET: 66,
  VIR_ERR_CONFIG_UNSUPPORTED: 67,
  VIR_ERR_OPERATION_TIMEOUT: 68,
  VIR_ERR_MIGRATE_PERSIST_FAILED: 69,
  VIR_ERR_HOOK_SCRIPT_FAILED: 70,
  VIR_ERR_INVALID_DOMAIN_SNAPSHOT: 71,
  VIR_ERR_NO_DOMAIN_SNAPSHOT: 72,
  VIR_ERR_INVALID_STREAM: 73,
  VIR_ERR_ARGUMENT_UNSUPPORTED: 74,
  VIR_ERR_STORAGE_PROBE_FAILED: 75,
  VIR_ERR_STORAGE_POOL_BUILT: 76,
  VIR_ERR_SNAPSHOT_REVERT_RISKY: 77,
  VIR_ERR_OPERATION_ABORTED: 78,
  VIR_ERR_AUTH_CANCELLED: 79,
  VIR_ERR_NO_DOMAIN_METADATA: 80,
  VIR_ERR_MIGRATE_UNSAFE: 81,
  VIR_ERR_OVERFLOW: 82,
  VIR_ERR_BLOCK_COPY_ACTIVE: 83,
  VIR_ERR_OPERATION_UNSUPPORTED: 84,
  VIR_ERR_SSH: 85,
  VIR_ERR_AGENT_UNRESPONSIVE: 86,
  VIR_ERR_RESOURCE_BUSY: 87,
  VIR_ERR_ACCESS_DENIED: 88,
  VIR_ERR_DBUS_SERVICE: 89,
  VIR_ERR_STORAGE_VOL_EXIST: 90,
  VIR_ERR_CPU_INCOMPATIBLE: 91,
  VIR_ERR_XML_INVALID_SCHEMA: 92,
  VIR_ERR_MIGRATE_FINISH_OK: 93,
  VIR_ERR_AUTH_UNAVAILABLE: 94,
  VIR_ERR_NO_SERVER: 95,
  VIR_ERR_NO_CLIENT: 96,
  VIR_ERR_AGENT_UNSYNCED: 97,
  VIR_ERR_LIBSSH: 98,
  VIR_ERR_DEVICE_MISSING: 99,
  VIR_ERR_INVALID_NWFILTER_BINDING: 100,
  VIR_ERR_NO_NWFILTER_BINDING: 101,
  VIR_ERR_INVALID_DOMAIN_CHECKPOINT: 102,
  VIR_ERR_NO_DOMAIN_CHECKPOINT: 103,
  VIR_ERR_NO_DOMAIN_BACKUP: 104,
  VIR_ERR_INVALID_NETWORK_PORT: 105,
  VIR_ERR_NETWORK_PORT_EXIST: 106,
  VIR_ERR_NO_NETWORK_PORT: 107,
  VIR_ERR_NO_HOSTNAME: 108,
  VIR_ERR_CHECKPOINT_INCONSISTENT: 109,
  VIR_ERR_MULTIPLE_DOMAINS: 110,
} as const;

/** One of the {@link VirErrorCode} names. */
export type VirErrorName = keyof typeof VirErrorCode;

const NAME_BY_CODE = new Map<number, VirErrorName>(
  (Object.entries(VirErrorCode) as Array<[VirErrorName, number]>).map(([name, code]) => [code, name]),
);

/** The `VIR_ERR_*` name of a libvirt error number, or `VIR_ERR_<n>` for one this table predates. */
export function virErrorName(code: number): string {
  return NAME_BY_CODE.get(code) ?? `VIR_ERR_${code}`;
}

/** A `remote_error`: libvirt's `virError` as sent in a failed reply. */
export interface RemoteError {
  /** The `virErrorNumber`. */
  code: number;
  /** The `virErrorDomain`: which part of libvirt raised it (10 = QEMU, 12 = test driver, ...). */
  domain: number;
  /** The human-readable message. */
  message: string | null;
  /** `virErrorLevel`: 1 warning, 2 error. */
  level: number;
  /** The domain the error is about, when there is one. */
  dom: DomainRef | null;
  /** Extra string information. */
  str1: string | null;
  /** Extra string information. */
  str2: string | null;
  /** Extra string information. */
  str3: string | null;
  /** Extra number information. */
  int1: number;
  /** Extra number information. */
  int2: number;
  /** The network the error is about, when there is one. */
  net: NetworkRef | null;
}

/** `remote_error`. */
export const remoteError: XdrCodec<RemoteError> = xdr.struct({
  code: xdr.int,
  domain: xdr.int,
  message: optionalString,
  level: xdr.int,
  dom: xdr.optional(domainRef),
  str1: optionalString,
  str2: optionalString,
  str3: optionalString,
  int1: xdr.int,
  int2: xdr.int,
  net: xdr.optional(networkRef),
});

/** Where an error was raised: by libvirtd in a reply, or by this client (connect, timeout, loss). */
export type LibvirtErrorOrigin = 'daemon' | 'client';

/** Options of a {@link LibvirtError}. */
export interface LibvirtErrorOptions {
  /** Who raised it; defaults to `daemon`. */
  origin?: LibvirtErrorOrigin;
  /** The `virErrorDomain`; defaults to 0 (none). */
  domain?: number;
  /** The remote procedure that failed, when it was a call. */
  procedure?: number;
  /** The full `remote_error`, for a daemon error. */
  remote?: RemoteError;
  /** The underlying error (socket, SSH). */
  cause?: unknown;
}

/**
 * A libvirt failure with libvirt's own error number. Errors from this client use the numbers
 * libvirt's C client uses for the same situations (`VIR_ERR_NO_CONNECT` when a host cannot be
 * reached, `VIR_ERR_RPC` when the connection is lost, `VIR_ERR_OPERATION_TIMEOUT`,
 * `VIR_ERR_AUTH_FAILED`), so one mapping covers both.
 */
export class LibvirtError extends Error {
  /** The `virErrorNumber`. */
  readonly code: number;
  /** Its `VIR_ERR_*` name. */
  readonly codeName: string;
  /** The `virErrorDomain`. */
  readonly domain: number;
  /** Who raised it. */
  readonly origin: LibvirtErrorOrigin;
  /** The remote procedure that failed, when known. */
  readonly procedure: number | undefined;
  /** The full `remote_error` of a daemon error. */
  readonly remote: RemoteError | undefined;

  constructor(code: number, message: string, options: LibvirtErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'LibvirtError';
    this.code = code;
    this.codeName = virErrorName(code);
    this.domain = options.domain ?? 0;
    this.origin = options.origin ?? 'daemon';
    this.procedure = options.procedure;
    this.remote = options.remote;
  }

  /** The error libvirtd sent in reply to `procedure`. */
  static fromRemote(remote: RemoteError, procedure?: number): LibvirtError {
    return new LibvirtError(remote.code, remote.message ?? virErrorName(remote.code), {
      domain: remote.domain,
      procedure,
      remote,
    });
  }

  /** An error raised by this client rather than by libvirtd. */
  static client(code: number, message: string, cause?: unknown): LibvirtError {
    return new LibvirtError(code, message, { origin: 'client', cause });
  }
}

/** True when `value` is a {@link LibvirtError}, optionally with the given libvirt error number. */
export function isLibvirtError(value: unknown, code?: number): value is LibvirtError {
  return value instanceof LibvirtError && (code === undefined || value.code === code);
}

/**
 * The CloudStack error code for each libvirt error number the driver meets. Anything else is a
 * 530. A domain, pool or volume missing on the host is 534 rather than 431: the cloud's id was
 * valid, the host no longer holds the thing.
 */
const CLOUD_CODE_BY_LIBVIRT_CODE: ReadonlyMap<number, ErrorCode> = new Map<number, ErrorCode>([
  [VirErrorCode.VIR_ERR_NO_SUPPORT, ErrorCode.UNSUPPORTED_ACTION],
  [VirErrorCode.VIR_ERR_NO_CONNECT, ErrorCode.RESOURCE_UNAVAILABLE],
  [VirErrorCode.VIR_ERR_INVALID_ARG, ErrorCode.PARAM_ERROR],
  [VirErrorCode.VIR_ERR_OPERATION_FAILED, ErrorCode.INTERNAL_ERROR],
  [VirErrorCode.VIR_ERR_XML_ERROR, ErrorCode.PARAM_ERROR],
  [VirErrorCode.VIR_ERR_XML_DETAIL, ErrorCode.PARAM_ERROR],
  [VirErrorCode.VIR_ERR_SYSTEM_ERROR, ErrorCode.RESOURCE_UNAVAILABLE],
  [VirErrorCode.VIR_ERR_RPC, ErrorCode.RESOURCE_UNAVAILABLE],
  [VirErrorCode.VIR_ERR_NO_DOMAIN, ErrorCode.RESOURCE_UNAVAILABLE],
  [VirErrorCode.VIR_ERR_AUTH_FAILED, ErrorCode.ACCOUNT_ERROR],
  [VirErrorCode.VIR_ERR_NO_STORAGE_POOL, ErrorCode.RESOURCE_UNAVAILABLE],
  [VirErrorCode.VIR_ERR_NO_STORAGE_VOL, ErrorCode.RESOURCE_UNAVAILABLE],
  [VirErrorCode.VIR_ERR_OPERATION_INVALID, ErrorCode.RESOURCE_UNAVAILABLE],
  [VirErrorCode.VIR_ERR_CONFIG_UNSUPPORTED, ErrorCode.PARAM_ERROR],
  [VirErrorCode.VIR_ERR_OPERATION_TIMEOUT, ErrorCode.RESOURCE_UNAVAILABLE],
  [VirErrorCode.VIR_ERR_STORAGE_VOL_EXIST, ErrorCode.RESOURCE_IN_USE],
]);

/** The libvirt error numbers with a mapping of their own (the rest become 530). */
export const MAPPED_LIBVIRT_CODES: readonly number[] = [...CLOUD_CODE_BY_LIBVIRT_CODE.keys()];

/** The CloudStack error code a libvirt error number maps to. */
export function cloudCodeForLibvirtCode(code: number): ErrorCode {
  return CLOUD_CODE_BY_LIBVIRT_CODE.get(code) ?? ErrorCode.INTERNAL_ERROR;
}

/**
 * Any error from this package as core's {@link CloudError}: a {@link LibvirtError} keeps its
 * libvirt number and name in `details` (`libvirtCode`, `libvirtError`, `libvirtDomain`, `origin`);
 * a `CloudError` passes through; anything else is a 530.
 */
export function toCloudError(error: unknown, context?: string): CloudError {
  if (error instanceof CloudError) return error;
  const prefix = context === undefined ? '' : `${context}: `;
  if (error instanceof LibvirtError) {
    return new CloudError(cloudCodeForLibvirtCode(error.code), `${prefix}${error.message}`, {
      details: {
        libvirtCode: error.code,
        libvirtError: error.codeName,
        libvirtDomain: error.domain,
        origin: error.origin,
        ...(error.procedure === undefined ? {} : { procedure: error.procedure }),
      },
      cause: error,
    });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new CloudError(ErrorCode.INTERNAL_ERROR, `${prefix}${message}`, { cause: error });
}
