/**
 * Plain TCP to libvirtd's port 16509 (`qemu+tcp://`, `test+tcp://`), as libvirtd listens with
 * `listen_tcp = 1` and `auth_tcp = "none"`. There is no encryption: use it on a management
 * network or loopback, and SSH elsewhere.
 */
import { connect as netConnect, type Socket } from 'node:net';
import { LibvirtError, VirErrorCode } from './libvirt-error.js';
import type { LibvirtTransport, TransportConnectOptions } from './transport.js';

/** Where a {@link TcpTransport} connects. */
export interface TcpTransportOptions {
  /** Host name or address. */
  host: string;
  /** Port; libvirtd's is 16509. */
  port: number;
}

/** Connects to libvirtd over TCP, with Nagle off so small calls are not delayed. */
export class TcpTransport implements LibvirtTransport {
  /** @inheritDoc */
  readonly description: string;

  /** @param options - where libvirtd listens. */
  constructor(private readonly options: TcpTransportOptions) {
    this.description = `tcp ${options.host}:${options.port}`;
  }

  /** @inheritDoc */
  connect({ timeoutMs }: TransportConnectOptions): Promise<Socket> {
    const { host, port } = this.options;
    return new Promise<Socket>((resolve, reject) => {
      const socket = netConnect({ host, port });
      const fail = (reason: string, cause?: unknown): void => {
        clearTimeout(timer);
        socket.destroy();
        reject(LibvirtError.client(VirErrorCode.VIR_ERR_NO_CONNECT, `unable to connect to libvirtd at ${host}:${port}: ${reason}`, cause));
      };
      const timer = setTimeout(() => fail(`no answer within ${timeoutMs} ms`), timeoutMs);
      socket.once('error', (error) => fail(error.message, error));
      socket.once('connect', () => {
        clearTimeout(timer);
        socket.removeAllListeners('error');
        socket.setNoDelay(true);
        resolve(socket);
      });
    });
  }
}
