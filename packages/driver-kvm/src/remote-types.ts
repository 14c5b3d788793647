/**
 * The shared structures of remote_protocol.x: object handles (domain, network, storage pool and
 * volume) and typed parameters, as XDR codecs.
 */
import { xdr, XdrError, type XdrCodec } from './xdr.js';

/** `REMOTE_STRING_MAX`: the longest string libvirt 9 accepts. */
export const REMOTE_STRING_MAX = 4_194_304;
/** `VIR_UUID_BUFLEN`: a UUID as 16 raw bytes. */
export const UUID_BYTES = 16;

/** `remote_nonnull_string`. */
export const nonnullString = xdr.string(REMOTE_STRING_MAX);
/** `remote_string`: a string that may be absent. */
export const optionalString = xdr.optional(nonnullString);

/** A UUID as raw bytes on the wire, as the canonical lower-case text form here. */
export const uuid: XdrCodec<string> = xdr.map(xdr.fixedOpaque(UUID_BYTES), uuidToString, uuidToBytes);

/** `550e8400-e29b-41d4-a716-446655440000` from 16 bytes. */
export function uuidToString(bytes: Buffer): string {
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** 16 bytes from a UUID with or without dashes. */
export function uuidToBytes(text: string): Buffer {
  const hex = text.replace(/-/g, '');
  if (!/^[0-9a-fA-F]{32}$/.test(hex)) throw new XdrError(`not a UUID: ${text}`);
  return Buffer.from(hex, 'hex');
}

/** A domain handle (`remote_nonnull_domain`); `id` is -1 while the domain is not running. */
export interface DomainRef {
  /** The domain name. */
  name: string;
  /** The domain UUID. */
  uuid: string;
  /** The hypervisor's id of a running domain, or -1. */
  id: number;
}

/** `remote_nonnull_domain`. */
export const domainRef: XdrCodec<DomainRef> = xdr.struct({ name: nonnullString, uuid, id: xdr.int });

/** A virtual network handle (`remote_nonnull_network`). */
export interface NetworkRef {
  /** The network name. */
  name: string;
  /** The network UUID. */
  uuid: string;
}

/** `remote_nonnull_network`. */
export const networkRef: XdrCodec<NetworkRef> = xdr.struct({ name: nonnullString, uuid });

/** A storage pool handle (`remote_nonnull_storage_pool`). */
export interface StoragePoolRef {
  /** The pool name. */
  name: string;
  /** The pool UUID. */
  uuid: string;
}

/** `remote_nonnull_storage_pool`. */
export const storagePoolRef: XdrCodec<StoragePoolRef> = xdr.struct({ name: nonnullString, uuid });

/** A storage volume handle (`remote_nonnull_storage_vol`). */
export interface StorageVolRef {
  /** The name of the pool holding the volume. */
  pool: string;
  /** The volume name. */
  name: string;
  /** The volume key (for file volumes, its path). */
  key: string;
}

/** `remote_nonnull_storage_vol`. */
export const storageVolRef: XdrCodec<StorageVolRef> = xdr.struct({ pool: nonnullString, name: nonnullString, key: nonnullString });

/** `virTypedParameterType`: the union discriminant of a typed parameter. */
export const TypedParamType = {
  /** `int`. */
  INT: 1,
  /** `unsigned int`. */
  UINT: 2,
  /** `long long`. */
  LLONG: 3,
  /** `unsigned long long`. */
  ULLONG: 4,
  /** `double`. */
  DOUBLE: 5,
  /** `boolean`. */
  BOOLEAN: 6,
  /** `string`. */
  STRING: 7,
} as const;

/** A named, typed value (`virTypedParameter`), as migration and statistics calls use them. */
export type TypedParam =
  | { field: string; type: 'int' | 'uint' | 'double'; value: number }
  | { field: string; type: 'llong' | 'ullong'; value: bigint }
  | { field: string; type: 'boolean'; value: boolean }
  | { field: string; type: 'string'; value: string };

/** `remote_typed_param`: a field name and a discriminated union of values. */
export const typedParam: XdrCodec<TypedParam> = {
  encode(w, param) {
    w.string(param.field, REMOTE_STRING_MAX);
    switch (param.type) {
      case 'int':
        w.int(TypedParamType.INT).int(param.value);
        return;
      case 'uint':
        w.int(TypedParamType.UINT).uint(param.value);
        return;
      case 'llong':
        w.int(TypedParamType.LLONG).hyper(param.value);
        return;
      case 'ullong':
        w.int(TypedParamType.ULLONG).uhyper(param.value);
        return;
      case 'double':
        w.int(TypedParamType.DOUBLE).double(param.value);
        return;
      case 'boolean':
        w.int(TypedParamType.BOOLEAN).bool(param.value);
        return;
      case 'string':
        w.int(TypedParamType.STRING).string(param.value, REMOTE_STRING_MAX);
        return;
    }
  },
  decode(r) {
    const field = r.string(REMOTE_STRING_MAX);
    const type = r.int();
    switch (type) {
      case TypedParamType.INT:
        return { field, type: 'int', value: r.int() };
      case TypedParamType.UINT:
        return { field, type: 'uint', value: r.uint() };
      case TypedParamType.LLONG:
        return { field, type: 'llong', value: r.hyper() };
      case TypedParamType.ULLONG:
        return { field, type: 'ullong', value: r.uhyper() };
      case TypedParamType.DOUBLE:
        return { field, type: 'double', value: r.double() };
      case TypedParamType.BOOLEAN:
        // libvirt sends the boolean as an int that may be any non-zero value.
        return { field, type: 'boolean', value: r.int() !== 0 };
      case TypedParamType.STRING:
        return { field, type: 'string', value: r.string(REMOTE_STRING_MAX) };
      default:
        throw new XdrError(`unknown typed parameter type ${type} for ${field}`);
    }
  },
};
