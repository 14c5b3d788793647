/**
 * The byte stream under the RPC client. libvirt's protocol is the same over every transport;
 * only how the stream is opened differs (a TCP socket, or an SSH exec of `virt-ssh-helper`).
 */
import type { Duplex } from 'node:stream';

/** Opens byte streams to one libvirtd. The client opens a new one after a connection is lost. */
export interface LibvirtTransport {
  /** What the transport reaches, for error messages (`tcp 127.0.0.1:16509`). */
  readonly description: string;
  /**
   * Opens a new stream. Rejects with a `LibvirtError` (`VIR_ERR_NO_CONNECT`, or
   * `VIR_ERR_AUTH_FAILED` for refused credentials or host key) when libvirtd cannot be reached.
   */
  connect(options: TransportConnectOptions): Promise<Duplex>;
}

/** Options of {@link LibvirtTransport.connect}. */
export interface TransportConnectOptions {
  /** Give up after this many milliseconds. */
  timeoutMs: number;
}
