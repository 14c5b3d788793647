/**
 * One connection to libvirtd speaking its remote RPC protocol: calls matched to replies by
 * serial, a timeout per call, keep-alive both ways, asynchronous messages (events) handed to
 * listeners, and a fresh connection for the next call after the old one is lost.
 */
import type { Duplex } from 'node:stream';
import { LibvirtError, remoteError, VirErrorCode } from './libvirt-error.js';
import {
  decodePacket,
  encodePacket,
  FrameParser,
  KEEPALIVE_PROGRAM,
  KEEPALIVE_PROTOCOL_VERSION,
  KeepaliveProcedure,
  MessageStatus,
  MessageType,
  REMOTE_PROGRAM,
  REMOTE_PROTOCOL_VERSION,
  type Packet,
} from './packet.js';
import { RemoteProcedure } from './remote-procedure.js';
import { optionalString } from './remote-types.js';
import type { LibvirtTransport } from './transport.js';
import { decodeXdr, encodeXdr, xdr, type XdrCodec } from './xdr.js';

/** Options of a {@link LibvirtClient}. */
export interface LibvirtClientOptions {
  /** How to reach libvirtd. */
  transport: LibvirtTransport;
  /** The URI libvirtd opens for this connection (`qemu:///system`, `test:///default`). */
  remoteUri: string;
  /** Open the connection read-only (`VIR_CONNECT_RO`). */
  readOnly?: boolean;
  /** Milliseconds a call may wait for its reply; 30 s by default. */
  callTimeoutMs?: number;
  /** Milliseconds to open the transport and the connection; 10 s by default. */
  connectTimeoutMs?: number;
  /**
   * Milliseconds of silence before a keep-alive PING is sent; 5 s by default (libvirt's own
   * default), 0 to send none. PINGs from libvirtd are answered either way.
   */
  keepaliveIntervalMs?: number;
  /** Unanswered PINGs after which the connection is declared dead; 5 by default. */
  keepaliveCount?: number;
  /** The largest packet accepted; libvirt's 32 MiB limit by default. */
  maxPacketBytes?: number;
}

/** Options of one call. */
export interface CallOptions {
  /** Overrides the client's call timeout for this call. */
  timeoutMs?: number;
}

/** Counters of a client's life, for tests and diagnostics. */
export interface LibvirtClientStats {
  /** Connections opened, the first included. */
  connections: number;
  /** Calls sent. */
  calls: number;
  /** PINGs this client sent. */
  pingsSent: number;
  /** PONGs libvirtd sent back. */
  pongsReceived: number;
  /** PINGs from libvirtd that this client answered. */
  pingsAnswered: number;
  /** Asynchronous messages (events) received. */
  messages: number;
}

/** Receives asynchronous messages (events) of one remote procedure. */
export type MessageListener = (body: Buffer) => void;

/** A call on one particular connection, used while that connection is being set up. */
export type SessionCall = (procedure: number, body?: Buffer) => Promise<Buffer>;

/** Runs after every (re)connection, e.g. to register event callbacks again. */
export type SessionHook = (call: SessionCall) => Promise<void>;

interface PendingCall {
  procedure: number;
  resolve: (body: Buffer) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

interface Session {
  stream: Duplex;
  parser: FrameParser;
  pending: Map<number, PendingCall>;
  keepaliveTimer: NodeJS.Timeout | undefined;
  receivedSinceTick: boolean;
  unansweredPings: number;
  lost: LibvirtError | undefined;
}

/** `VIR_DRV_FEATURE_PROGRAM_KEEPALIVE`: asking for it also starts libvirtd's own PINGs. */
const FEATURE_PROGRAM_KEEPALIVE = 10;
/** `VIR_CONNECT_RO`. */
const CONNECT_RO = 1;

/** `remote_auth_type`. */
const AuthType = { NONE: 0, SASL: 1, POLKIT: 2 } as const;

const authListRet = xdr.struct({ types: xdr.array(xdr.int, 20) });
const authPolkitRet = xdr.struct({ complete: xdr.int });
const openArgs = xdr.struct({ name: optionalString, flags: xdr.uint });
const supportsFeatureArgs = xdr.struct({ feature: xdr.int });
const supportsFeatureRet = xdr.struct({ supported: xdr.int });

/**
 * A libvirt connection. It connects on the first call (or {@link LibvirtClient.open}); when the
 * connection drops, calls in flight fail with `VIR_ERR_RPC` and the next call connects again.
 * State that lives only in a connection (the test driver's domains, event callbacks) is not
 * carried over, except what {@link LibvirtClient.onSession} hooks re-create.
 */
export class LibvirtClient {
  /** Counters since the client was made. */
  readonly stats: LibvirtClientStats = { connections: 0, calls: 0, pingsSent: 0, pongsReceived: 0, pingsAnswered: 0, messages: 0 };

  private readonly callTimeoutMs: number;
  private readonly connectTimeoutMs: number;
  private readonly keepaliveIntervalMs: number;
  private readonly keepaliveCount: number;
  private session: Session | undefined;
  private opening: Promise<Session> | undefined;
  private closed = false;
  private serial = 0;
  private readonly listeners = new Map<number, Set<MessageListener>>();
  private readonly hooks = new Set<SessionHook>();

  /** @param options - transport, remote URI and timings. */
  constructor(private readonly options: LibvirtClientOptions) {
    this.callTimeoutMs = options.callTimeoutMs ?? 30_000;
    this.connectTimeoutMs = options.connectTimeoutMs ?? 10_000;
    this.keepaliveIntervalMs = options.keepaliveIntervalMs ?? 5_000;
    this.keepaliveCount = options.keepaliveCount ?? 5;
  }

  /** The URI libvirtd opens. */
  get remoteUri(): string {
    return this.options.remoteUri;
  }

  /** What the transport reaches. */
  get description(): string {
    return `${this.options.transport.description} ${this.options.remoteUri}`;
  }

  /** True while a connection is open. */
  get connected(): boolean {
    return this.session !== undefined && this.session.lost === undefined;
  }

  /** Opens the connection now rather than on the first call. Idempotent. */
  async open(): Promise<void> {
    await this.ensureSession();
  }

  /**
   * Calls a remote procedure with an already-encoded body and returns the reply body. Rejects
   * with the daemon's {@link LibvirtError}, or `VIR_ERR_OPERATION_TIMEOUT` / `VIR_ERR_RPC` /
   * `VIR_ERR_NO_CONNECT` raised here.
   */
  async call(procedure: number, body: Buffer = Buffer.alloc(0), options: CallOptions = {}): Promise<Buffer> {
    const session = await this.ensureSession();
    return this.callOn(session, procedure, body, options.timeoutMs ?? this.callTimeoutMs);
  }

  /** Calls a remote procedure, encoding `args` and decoding the reply with the given codecs. */
  async invoke<A, R>(procedure: number, argsCodec: XdrCodec<A>, args: A, retCodec: XdrCodec<R>, options?: CallOptions): Promise<R> {
    const reply = await this.call(procedure, encodeXdr(argsCodec, args), options);
    try {
      return decodeXdr(retCodec, reply);
    } catch (error) {
      throw new LibvirtError(VirErrorCode.VIR_ERR_RPC, `cannot decode the reply to procedure ${procedure}: ${(error as Error).message}`, {
        origin: 'client',
        procedure,
        cause: error,
      });
    }
  }

  /** Listens to asynchronous messages of `procedure`; returns the function that stops listening. */
  onMessage(procedure: number, listener: MessageListener): () => void {
    let set = this.listeners.get(procedure);
    if (set === undefined) {
      set = new Set();
      this.listeners.set(procedure, set);
    }
    set.add(listener);
    return () => {
      set.delete(listener);
    };
  }

  /**
   * Runs `hook` after each future (re)connection has opened, before calls waiting for it go
   * out; returns the function that removes it.
   */
  onSession(hook: SessionHook): () => void {
    this.hooks.add(hook);
    return () => {
      this.hooks.delete(hook);
    };
  }

  /**
   * Closes the connection (`REMOTE_PROC_CONNECT_CLOSE`, then the stream) for good. Calls still
   * in flight fail; later calls are refused.
   */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const session = this.session ?? (await this.opening?.catch(() => undefined));
    if (session === undefined || session.lost !== undefined) return;
    try {
      await this.callOn(session, RemoteProcedure.CONNECT_CLOSE, Buffer.alloc(0), Math.min(this.callTimeoutMs, 2_000));
    } catch {
      // The stream is torn down below either way.
    }
    this.lose(session, LibvirtError.client(VirErrorCode.VIR_ERR_RPC, `connection to ${this.description} closed by the client`));
    session.stream.end();
  }

  private ensureSession(): Promise<Session> {
    if (this.closed) {
      return Promise.reject(LibvirtError.client(VirErrorCode.VIR_ERR_INVALID_CONN, `connection to ${this.description} is closed`));
    }
    if (this.session !== undefined && this.session.lost === undefined) return Promise.resolve(this.session);
    this.opening ??= this.connect().finally(() => {
      this.opening = undefined;
    });
    return this.opening;
  }

  private async connect(): Promise<Session> {
    const stream = await this.options.transport.connect({ timeoutMs: this.connectTimeoutMs });
    const session: Session = {
      stream,
      parser: new FrameParser(this.options.maxPacketBytes),
      pending: new Map(),
      keepaliveTimer: undefined,
      receivedSinceTick: false,
      unansweredPings: 0,
      lost: undefined,
    };
    this.stats.connections += 1;
    stream.on('data', (chunk: Buffer) => this.receive(session, chunk));
    stream.on('error', (error: Error) => {
      this.lose(session, error instanceof LibvirtError ? error : LibvirtError.client(VirErrorCode.VIR_ERR_RPC, `connection to ${this.description} failed: ${error.message}`, error));
    });
    stream.on('close', () => this.lose(session, LibvirtError.client(VirErrorCode.VIR_ERR_RPC, `connection to ${this.description} lost`)));
    stream.on('end', () => this.lose(session, LibvirtError.client(VirErrorCode.VIR_ERR_RPC, `connection to ${this.description} closed by libvirtd`)));

    try {
      const timeout = this.connectTimeoutMs;
      await this.authenticate(session, timeout);
      const feature = decodeXdr(
        supportsFeatureRet,
        await this.callOn(session, RemoteProcedure.CONNECT_SUPPORTS_FEATURE, encodeXdr(supportsFeatureArgs, { feature: FEATURE_PROGRAM_KEEPALIVE }), timeout),
      );
      if (feature.supported !== 0) this.startKeepalive(session);
      const flags = this.options.readOnly === true ? CONNECT_RO : 0;
      await this.callOn(session, RemoteProcedure.CONNECT_OPEN, encodeXdr(openArgs, { name: this.options.remoteUri, flags }), timeout);
      const call: SessionCall = (procedure, body = Buffer.alloc(0)) => this.callOn(session, procedure, body, this.callTimeoutMs);
      for (const hook of this.hooks) await hook(call);
    } catch (error) {
      this.lose(session, LibvirtError.client(VirErrorCode.VIR_ERR_RPC, `opening ${this.description} failed`, error));
      stream.destroy();
      throw error;
    }
    if (this.closed) {
      stream.destroy();
      throw LibvirtError.client(VirErrorCode.VIR_ERR_INVALID_CONN, `connection to ${this.description} is closed`);
    }
    this.session = session;
    return session;
  }

  /**
   * What libvirt's own client does first: ask which authentication the daemon wants. TCP with
   * `auth_tcp = "none"` wants none; a UNIX socket reached through `virt-ssh-helper` usually wants
   * polkit, which judges the SSH user. SASL is not implemented here.
   */
  private async authenticate(session: Session, timeoutMs: number): Promise<void> {
    const { types } = decodeXdr(authListRet, await this.callOn(session, RemoteProcedure.AUTH_LIST, Buffer.alloc(0), timeoutMs));
    if (types.length === 0 || types.includes(AuthType.NONE)) return;
    if (types.includes(AuthType.POLKIT)) {
      const { complete } = decodeXdr(authPolkitRet, await this.callOn(session, RemoteProcedure.AUTH_POLKIT, Buffer.alloc(0), timeoutMs));
      if (complete !== 0) return;
      throw LibvirtError.client(VirErrorCode.VIR_ERR_AUTH_FAILED, `polkit authentication with ${this.description} did not complete`);
    }
    throw LibvirtError.client(VirErrorCode.VIR_ERR_AUTH_FAILED, `${this.description} requires SASL authentication, which this client does not implement`);
  }

  private callOn(session: Session, procedure: number, body: Buffer, timeoutMs: number): Promise<Buffer> {
    if (session.lost !== undefined) return Promise.reject(session.lost);
    this.serial = (this.serial + 1) >>> 0;
    const serial = this.serial;
    this.stats.calls += 1;
    return new Promise<Buffer>((resolve, reject) => {
      const timer = setTimeout(() => {
        session.pending.delete(serial);
        reject(
          new LibvirtError(VirErrorCode.VIR_ERR_OPERATION_TIMEOUT, `procedure ${procedure} on ${this.description} got no reply within ${timeoutMs} ms`, {
            origin: 'client',
            procedure,
          }),
        );
      }, timeoutMs);
      session.pending.set(serial, { procedure, resolve, reject, timer });
      session.stream.write(
        encodePacket(
          { program: REMOTE_PROGRAM, version: REMOTE_PROTOCOL_VERSION, procedure, type: MessageType.CALL, serial, status: MessageStatus.OK },
          body,
        ),
      );
    });
  }

  private receive(session: Session, chunk: Buffer): void {
    let frames: Buffer[];
    try {
      frames = session.parser.push(chunk);
    } catch (error) {
      this.lose(session, LibvirtError.client(VirErrorCode.VIR_ERR_RPC, `corrupt stream from ${this.description}: ${(error as Error).message}`, error));
      session.stream.destroy();
      return;
    }
    for (const frame of frames) {
      session.receivedSinceTick = true;
      session.unansweredPings = 0;
      let packet: Packet;
      try {
        packet = decodePacket(frame);
      } catch (error) {
        this.lose(session, LibvirtError.client(VirErrorCode.VIR_ERR_RPC, `corrupt packet from ${this.description}: ${(error as Error).message}`, error));
        session.stream.destroy();
        return;
      }
      this.dispatch(session, packet);
    }
  }

  private dispatch(session: Session, { header, body }: Packet): void {
    if (header.program === KEEPALIVE_PROGRAM) {
      if (header.procedure === KeepaliveProcedure.PING) {
        this.sendKeepalive(session, KeepaliveProcedure.PONG);
        this.stats.pingsAnswered += 1;
      } else if (header.procedure === KeepaliveProcedure.PONG) {
        this.stats.pongsReceived += 1;
      }
      return;
    }
    if (header.program !== REMOTE_PROGRAM) return;
    if (header.type === MessageType.REPLY) {
      const pending = session.pending.get(header.serial);
      if (pending === undefined) return; // the call timed out already
      session.pending.delete(header.serial);
      clearTimeout(pending.timer);
      if (header.status === MessageStatus.OK) {
        pending.resolve(Buffer.from(body));
        return;
      }
      try {
        pending.reject(LibvirtError.fromRemote(decodeXdr(remoteError, body), pending.procedure));
      } catch (error) {
        pending.reject(LibvirtError.client(VirErrorCode.VIR_ERR_RPC, `undecodable error reply to procedure ${pending.procedure}`, error));
      }
      return;
    }
    if (header.type === MessageType.MESSAGE) {
      this.stats.messages += 1;
      for (const listener of this.listeners.get(header.procedure) ?? []) listener(Buffer.from(body));
    }
  }

  private startKeepalive(session: Session): void {
    if (this.keepaliveIntervalMs <= 0) return;
    session.keepaliveTimer = setInterval(() => {
      if (session.receivedSinceTick) {
        session.receivedSinceTick = false;
        return;
      }
      if (session.unansweredPings >= this.keepaliveCount) {
        const seconds = (this.keepaliveIntervalMs * this.keepaliveCount) / 1000;
        this.lose(session, LibvirtError.client(VirErrorCode.VIR_ERR_OPERATION_TIMEOUT, `no keep-alive answer from ${this.description} in ${seconds} s`));
        session.stream.destroy();
        return;
      }
      session.unansweredPings += 1;
      this.sendKeepalive(session, KeepaliveProcedure.PING);
      this.stats.pingsSent += 1;
    }, this.keepaliveIntervalMs);
    session.keepaliveTimer.unref();
  }

  private sendKeepalive(session: Session, procedure: number): void {
    if (session.lost !== undefined) return;
    session.stream.write(
      encodePacket({
        program: KEEPALIVE_PROGRAM,
        version: KEEPALIVE_PROTOCOL_VERSION,
        procedure,
        type: MessageType.MESSAGE,
        serial: 0,
        status: MessageStatus.OK,
      }),
    );
  }

  /** Marks a connection dead: every call in flight fails with `error`, the next call reconnects. */
  private lose(session: Session, error: LibvirtError): void {
    if (session.lost !== undefined) return;
    session.lost = error;
    if (session.keepaliveTimer !== undefined) clearInterval(session.keepaliveTimer);
    for (const pending of session.pending.values()) {
      clearTimeout(pending.timer);
      pending.reject(new LibvirtError(error.code, error.message, { origin: 'client', procedure: pending.procedure, cause: error.cause }));
    }
    session.pending.clear();
    if (this.session === session) this.session = undefined;
  }
}
