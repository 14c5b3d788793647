/**
 * libvirt's RPC packet: a 4-byte big-endian length (counting itself), a 24-byte header
 * (`virNetMessageHeader`: program, version, procedure, type, serial, status) and an XDR body.
 */

/** The program number of libvirt's main remote protocol (`REMOTE_PROGRAM`). */
export const REMOTE_PROGRAM = 0x20008086;
/** The version of the remote protocol (`REMOTE_PROTOCOL_VERSION`). */
export const REMOTE_PROTOCOL_VERSION = 1;
/** The program number of the keep-alive protocol (`KEEPALIVE_PROGRAM`, ASCII "keep"). */
export const KEEPALIVE_PROGRAM = 0x6b656570;
/** The version of the keep-alive protocol. */
export const KEEPALIVE_PROTOCOL_VERSION = 1;

/** Procedures of the keep-alive program. */
export const KeepaliveProcedure = {
  /** Either side asks whether the other is alive. */
  PING: 1,
  /** The answer to a PING. */
  PONG: 2,
} as const;

/** `virNetMessageType`: what a packet is. */
export const MessageType = {
  /** A call that expects a reply. */
  CALL: 0,
  /** The reply to a call, with the call's serial. */
  REPLY: 1,
  /** An asynchronous message (events, keep-alive) that expects no reply. */
  MESSAGE: 2,
  /** A chunk of a data stream. */
  STREAM: 3,
  /** A call with file descriptors passed alongside (UNIX sockets only). */
  CALL_WITH_FDS: 4,
  /** A reply with file descriptors passed alongside (UNIX sockets only). */
  REPLY_WITH_FDS: 5,
  /** A hole in a sparse data stream. */
  STREAM_HOLE: 6,
} as const;

/** One of the {@link MessageType} values. */
export type MessageType = (typeof MessageType)[keyof typeof MessageType];

/** `virNetMessageStatus`: how a reply or stream packet went. */
export const MessageStatus = {
  /** Success; the body is the procedure's return value. */
  OK: 0,
  /** Failure; the body is a `remote_error`. */
  ERROR: 1,
  /** More stream data follows. */
  CONTINUE: 2,
} as const;

/** One of the {@link MessageStatus} values. */
export type MessageStatus = (typeof MessageStatus)[keyof typeof MessageStatus];

/** The fixed header of every packet. */
export interface PacketHeader {
  /** The program (`REMOTE_PROGRAM`, `KEEPALIVE_PROGRAM`, ...). */
  program: number;
  /** The program's version. */
  version: number;
  /** The procedure number within the program. */
  procedure: number;
  /** What the packet is. */
  type: MessageType;
  /** Matches a reply to its call; 0 for messages. */
  serial: number;
  /** Outcome of a reply. */
  status: MessageStatus;
}

/** A decoded packet. */
export interface Packet {
  /** The header. */
  header: PacketHeader;
  /** The XDR body after the header. */
  body: Buffer;
}

/** Bytes in the length word. */
export const LENGTH_WORD_BYTES = 4;
/** Bytes in the header. */
export const HEADER_BYTES = 24;
/**
 * The largest packet accepted by default: libvirt 9 caps a message at 32 MiB
 * (`VIR_NET_MESSAGE_MAX`), plus the length word.
 */
export const DEFAULT_MAX_PACKET_BYTES = 32 * 1024 * 1024 + LENGTH_WORD_BYTES;

/** Raised for bytes that cannot be a libvirt packet. */
export class PacketError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PacketError';
  }
}

/** A whole packet, length word included, ready to write to the stream. */
export function encodePacket(header: PacketHeader, body: Buffer = Buffer.alloc(0)): Buffer {
  const total = LENGTH_WORD_BYTES + HEADER_BYTES + body.length;
  const packet = Buffer.alloc(total);
  packet.writeUInt32BE(total, 0);
  packet.writeUInt32BE(header.program, 4);
  packet.writeUInt32BE(header.version, 8);
  packet.writeInt32BE(header.procedure, 12);
  packet.writeInt32BE(header.type, 16);
  packet.writeUInt32BE(header.serial, 20);
  packet.writeInt32BE(header.status, 24);
  body.copy(packet, LENGTH_WORD_BYTES + HEADER_BYTES);
  return packet;
}

const MESSAGE_TYPES = new Set<number>(Object.values(MessageType));
const MESSAGE_STATUSES = new Set<number>(Object.values(MessageStatus));

/** Decodes one whole packet (length word included), as {@link FrameParser} yields them. */
export function decodePacket(frame: Buffer): Packet {
  if (frame.length < LENGTH_WORD_BYTES + HEADER_BYTES) throw new PacketError(`packet of ${frame.length} bytes is shorter than a header`);
  const length = frame.readUInt32BE(0);
  if (length !== frame.length) throw new PacketError(`packet says ${length} bytes but has ${frame.length}`);
  const type = frame.readInt32BE(16);
  const status = frame.readInt32BE(24);
  if (!MESSAGE_TYPES.has(type)) throw new PacketError(`unknown message type ${type}`);
  if (!MESSAGE_STATUSES.has(status)) throw new PacketError(`unknown message status ${status}`);
  return {
    header: {
      program: frame.readUInt32BE(4),
      version: frame.readUInt32BE(8),
      procedure: frame.readInt32BE(12),
      type: type as MessageType,
      serial: frame.readUInt32BE(20),
      status: status as MessageStatus,
    },
    body: frame.subarray(LENGTH_WORD_BYTES + HEADER_BYTES),
  };
}

/**
 * Cuts a byte stream into packets. TCP and SSH deliver arbitrary chunks: a packet may arrive
 * split over several chunks, and one chunk may hold several packets, so bytes are kept until
 * a length word and that many bytes are present.
 */
export class FrameParser {
  private chunks: Buffer[] = [];
  private buffered = 0;

  /** @param maxPacketBytes - a length word above this is refused as a corrupt or hostile stream. */
  constructor(private readonly maxPacketBytes = DEFAULT_MAX_PACKET_BYTES) {}

  /** Bytes held that do not yet form a whole packet. */
  get pending(): number {
    return this.buffered;
  }

  /** Adds a chunk and returns every packet it completes (length word included), in order. */
  push(chunk: Buffer): Buffer[] {
    if (chunk.length > 0) {
      this.chunks.push(chunk);
      this.buffered += chunk.length;
    }
    const frames: Buffer[] = [];
    for (;;) {
      if (this.buffered < LENGTH_WORD_BYTES) break;
      const head = this.peekLength();
      if (head < LENGTH_WORD_BYTES + HEADER_BYTES || head > this.maxPacketBytes) {
        throw new PacketError(`invalid packet length ${head} (allowed ${LENGTH_WORD_BYTES + HEADER_BYTES}..${this.maxPacketBytes})`);
      }
      if (this.buffered < head) break;
      frames.push(this.take(head));
    }
    return frames;
  }

  private peekLength(): number {
    const first = this.chunks[0];
    if (first !== undefined && first.length >= LENGTH_WORD_BYTES) return first.readUInt32BE(0);
    const joined = Buffer.concat(this.chunks);
    this.chunks = [joined];
    return joined.readUInt32BE(0);
  }

  private take(bytes: number): Buffer {
    const first = this.chunks[0];
    if (first !== undefined && first.length >= bytes) {
      const frame = first.subarray(0, bytes);
      if (first.length === bytes) this.chunks.shift();
      else this.chunks[0] = first.subarray(bytes);
      this.buffered -= bytes;
      return frame;
    }
    const joined = Buffer.concat(this.chunks);
    const frame = joined.subarray(0, bytes);
    const rest = joined.subarray(bytes);
    this.chunks = rest.length > 0 ? [rest] : [];
    this.buffered -= bytes;
    return frame;
  }
}
