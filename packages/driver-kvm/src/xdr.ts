/**
 * XDR (RFC 4506), the encoding of every libvirt RPC body: big-endian 4-byte units, opaque data and
 * strings padded to a multiple of 4, optional values as a 0/1 flag, variable arrays with a count.
 * Composite types are built from small {@link XdrCodec}s so each remote_protocol.x structure is
 * written once and both encoded and decoded from that one description.
 */

/** Raised when bytes do not decode as the XDR type expected (truncated, over a limit, bad padding). */
export class XdrError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'XdrError';
  }
}

const MAX_UINT = 0xffff_ffff;

function padding(length: number): number {
  return (4 - (length % 4)) % 4;
}

/** Appends XDR units to a growing buffer. */
export class XdrWriter {
  private buffer: Buffer;
  private length = 0;

  /** @param initialSize - bytes to allocate up front; the buffer doubles as needed. */
  constructor(initialSize = 256) {
    this.buffer = Buffer.alloc(initialSize);
  }

  private reserve(bytes: number): void {
    if (this.length + bytes <= this.buffer.length) return;
    let size = this.buffer.length * 2;
    while (size < this.length + bytes) size *= 2;
    const next = Buffer.alloc(size);
    this.buffer.copy(next, 0, 0, this.length);
    this.buffer = next;
  }

  /** A signed 32-bit integer. */
  int(value: number): this {
    if (!Number.isInteger(value) || value < -0x8000_0000 || value > 0x7fff_ffff) throw new XdrError(`int out of range: ${value}`);
    this.reserve(4);
    this.buffer.writeInt32BE(value, this.length);
    this.length += 4;
    return this;
  }

  /** An unsigned 32-bit integer. */
  uint(value: number): this {
    if (!Number.isInteger(value) || value < 0 || value > MAX_UINT) throw new XdrError(`unsigned int out of range: ${value}`);
    this.reserve(4);
    this.buffer.writeUInt32BE(value, this.length);
    this.length += 4;
    return this;
  }

  /** A signed 64-bit integer (`hyper`). */
  hyper(value: bigint | number): this {
    const big = BigInt(value);
    if (big < -(1n << 63n) || big >= 1n << 63n) throw new XdrError(`hyper out of range: ${big}`);
    this.reserve(8);
    this.buffer.writeBigInt64BE(big, this.length);
    this.length += 8;
    return this;
  }

  /** An unsigned 64-bit integer (`unsigned hyper`). */
  uhyper(value: bigint | number): this {
    const big = BigInt(value);
    if (big < 0n || big >= 1n << 64n) throw new XdrError(`unsigned hyper out of range: ${big}`);
    this.reserve(8);
    this.buffer.writeBigUInt64BE(big, this.length);
    this.length += 8;
    return this;
  }

  /** An IEEE 754 double. */
  double(value: number): this {
    this.reserve(8);
    this.buffer.writeDoubleBE(value, this.length);
    this.length += 8;
    return this;
  }

  /** A boolean, as the int 0 or 1. */
  bool(value: boolean): this {
    return this.int(value ? 1 : 0);
  }

  /** Fixed-length opaque data of exactly `size` bytes, padded to 4. */
  fixedOpaque(data: Uint8Array, size: number): this {
    if (data.length !== size) throw new XdrError(`fixed opaque needs ${size} bytes, got ${data.length}`);
    this.raw(data);
    return this.zeros(padding(size));
  }

  /** Variable-length opaque data: a length, the bytes, padding. */
  opaque(data: Uint8Array, max = MAX_UINT): this {
    if (data.length > max) throw new XdrError(`opaque of ${data.length} bytes exceeds the limit of ${max}`);
    this.uint(data.length);
    this.raw(data);
    return this.zeros(padding(data.length));
  }

  /** A string: its UTF-8 bytes as variable-length opaque data. */
  string(value: string, max = MAX_UINT): this {
    return this.opaque(Buffer.from(value, 'utf8'), max);
  }

  /** The bytes written so far (a copy that stays valid after more writes). */
  finish(): Buffer {
    return Buffer.from(this.buffer.subarray(0, this.length));
  }

  private raw(data: Uint8Array): void {
    this.reserve(data.length);
    this.buffer.set(data, this.length);
    this.length += data.length;
  }

  private zeros(count: number): this {
    this.reserve(count);
    this.buffer.fill(0, this.length, this.length + count);
    this.length += count;
    return this;
  }
}

/** Reads XDR units from a buffer, front to back. */
export class XdrReader {
  private offset: number;

  /**
   * @param buffer - the bytes to read.
   * @param offset - where to start.
   */
  constructor(
    private readonly buffer: Buffer,
    offset = 0,
  ) {
    this.offset = offset;
  }

  /** Bytes not read yet. */
  get remaining(): number {
    return this.buffer.length - this.offset;
  }

  private need(bytes: number, what: string): void {
    if (this.offset + bytes > this.buffer.length) {
      throw new XdrError(`truncated XDR: ${what} needs ${bytes} bytes at offset ${this.offset}, ${this.remaining} left`);
    }
  }

  /** A signed 32-bit integer. */
  int(): number {
    this.need(4, 'int');
    const value = this.buffer.readInt32BE(this.offset);
    this.offset += 4;
    return value;
  }

  /** An unsigned 32-bit integer. */
  uint(): number {
    this.need(4, 'unsigned int');
    const value = this.buffer.readUInt32BE(this.offset);
    this.offset += 4;
    return value;
  }

  /** A signed 64-bit integer. */
  hyper(): bigint {
    this.need(8, 'hyper');
    const value = this.buffer.readBigInt64BE(this.offset);
    this.offset += 8;
    return value;
  }

  /** An unsigned 64-bit integer. */
  uhyper(): bigint {
    this.need(8, 'unsigned hyper');
    const value = this.buffer.readBigUInt64BE(this.offset);
    this.offset += 8;
    return value;
  }

  /** An IEEE 754 double. */
  double(): number {
    this.need(8, 'double');
    const value = this.buffer.readDoubleBE(this.offset);
    this.offset += 8;
    return value;
  }

  /** A boolean; anything but 0 and 1 is refused. */
  bool(): boolean {
    const value = this.int();
    if (value !== 0 && value !== 1) throw new XdrError(`bool must be 0 or 1, got ${value}`);
    return value === 1;
  }

  /** Fixed-length opaque data of `size` bytes (a copy). */
  fixedOpaque(size: number): Buffer {
    const total = size + padding(size);
    this.need(total, `opaque[${size}]`);
    const value = Buffer.from(this.buffer.subarray(this.offset, this.offset + size));
    this.offset += total;
    return value;
  }

  /** Variable-length opaque data (a copy). */
  opaque(max = MAX_UINT): Buffer {
    const size = this.uint();
    if (size > max) throw new XdrError(`opaque of ${size} bytes exceeds the limit of ${max}`);
    return this.fixedOpaque(size);
  }

  /** A UTF-8 string. */
  string(max = MAX_UINT): string {
    return this.opaque(max).toString('utf8');
  }

  /** Throws unless every byte has been read: a reply with trailing bytes is a protocol mismatch. */
  end(): void {
    if (this.remaining !== 0) throw new XdrError(`${this.remaining} unread bytes after the XDR value`);
  }
}

/** How one XDR type is written and read. */
export interface XdrCodec<T> {
  /** Appends `value` to `writer`. */
  encode(writer: XdrWriter, value: T): void;
  /** Reads one value from `reader`. */
  decode(reader: XdrReader): T;
}

/** The TypeScript type a codec reads and writes. */
export type XdrType<C> = C extends XdrCodec<infer T> ? T : never;

/** Field name → codec, in wire order. */
export type XdrFields = Record<string, XdrCodec<unknown>>;

/** The object type of a struct codec built from `F`. */
export type XdrStruct<F extends XdrFields> = { [K in keyof F]: F[K] extends XdrCodec<infer T> ? T : never };

/** Codecs of the XDR primitive and composite types. */
export const xdr = {
  /** No body (`void`). */
  void: {
    encode: () => undefined,
    decode: () => undefined,
  } satisfies XdrCodec<undefined>,
  /** `int`. */
  int: { encode: (w, v) => void w.int(v), decode: (r) => r.int() } satisfies XdrCodec<number>,
  /** `unsigned int`, and rpcgen's `unsigned char`/`unsigned short`, which also take 4 bytes. */
  uint: { encode: (w, v) => void w.uint(v), decode: (r) => r.uint() } satisfies XdrCodec<number>,
  /** `hyper`. */
  hyper: { encode: (w, v) => void w.hyper(v), decode: (r) => r.hyper() } satisfies XdrCodec<bigint>,
  /** `unsigned hyper`. */
  uhyper: { encode: (w, v) => void w.uhyper(v), decode: (r) => r.uhyper() } satisfies XdrCodec<bigint>,
  /** `double`. */
  double: { encode: (w, v) => void w.double(v), decode: (r) => r.double() } satisfies XdrCodec<number>,
  /** `bool`. */
  bool: { encode: (w, v) => void w.bool(v), decode: (r) => r.bool() } satisfies XdrCodec<boolean>,

  /** `string<max>`. */
  string(max?: number): XdrCodec<string> {
    return { encode: (w, v) => void w.string(v, max), decode: (r) => r.string(max) };
  },

  /** `opaque<max>`. */
  opaque(max?: number): XdrCodec<Buffer> {
    return { encode: (w, v) => void w.opaque(v, max), decode: (r) => r.opaque(max) };
  },

  /** `opaque[size]`. */
  fixedOpaque(size: number): XdrCodec<Buffer> {
    return { encode: (w, v) => void w.fixedOpaque(v, size), decode: (r) => r.fixedOpaque(size) };
  },

  /** `T *name`: absent (`null`) or present. */
  optional<T>(codec: XdrCodec<T>): XdrCodec<T | null> {
    return {
      encode(w, v) {
        w.bool(v !== null);
        if (v !== null) codec.encode(w, v);
      },
      decode: (r) => (r.bool() ? codec.decode(r) : null),
    };
  },

  /** `T name<max>`: a count, then the items. */
  array<T>(codec: XdrCodec<T>, max = MAX_UINT): XdrCodec<T[]> {
    return {
      encode(w, items) {
        if (items.length > max) throw new XdrError(`array of ${items.length} items exceeds the limit of ${max}`);
        w.uint(items.length);
        for (const item of items) codec.encode(w, item);
      },
      decode(r) {
        const count = r.uint();
        if (count > max) throw new XdrError(`array of ${count} items exceeds the limit of ${max}`);
        // Each item takes at least 4 bytes, so a count beyond that is a corrupt message.
        if (count > r.remaining / 4 + 1) throw new XdrError(`array count ${count} exceeds the ${r.remaining} bytes left`);
        const items: T[] = [];
        for (let i = 0; i < count; i += 1) items.push(codec.decode(r));
        return items;
      },
    };
  },

  /** `T name[size]`: exactly `size` items, no count. */
  fixedArray<T>(codec: XdrCodec<T>, size: number): XdrCodec<T[]> {
    return {
      encode(w, items) {
        if (items.length !== size) throw new XdrError(`fixed array needs ${size} items, got ${items.length}`);
        for (const item of items) codec.encode(w, item);
      },
      decode(r) {
        const items: T[] = [];
        for (let i = 0; i < size; i += 1) items.push(codec.decode(r));
        return items;
      },
    };
  },

  /** A struct: the fields in the order the object literal lists them. */
  struct<F extends XdrFields>(fields: F): XdrCodec<XdrStruct<F>> {
    const entries = Object.entries(fields) as Array<[keyof F & string, XdrCodec<unknown>]>;
    return {
      encode(w, value) {
        for (const [name, codec] of entries) codec.encode(w, value[name]);
      },
      decode(r) {
        const value: Record<string, unknown> = {};
        for (const [name, codec] of entries) value[name] = codec.decode(r);
        return value as XdrStruct<F>;
      },
    };
  },

  /** A value kept as another type: `to` runs after decoding, `from` before encoding. */
  map<T, U>(codec: XdrCodec<T>, to: (value: T) => U, from: (value: U) => T): XdrCodec<U> {
    return {
      encode: (w, v) => codec.encode(w, from(v)),
      decode: (r) => to(codec.decode(r)),
    };
  },
};

/** Encodes `value` with `codec` into a new buffer. */
export function encodeXdr<T>(codec: XdrCodec<T>, value: T): Buffer {
  const writer = new XdrWriter();
  codec.encode(writer, value);
  return writer.finish();
}

/** Decodes one value of `codec` that must fill `buffer` exactly. */
export function decodeXdr<T>(codec: XdrCodec<T>, buffer: Buffer): T {
  const reader = new XdrReader(buffer);
  const value = codec.decode(reader);
  reader.end();
  return value;
}
