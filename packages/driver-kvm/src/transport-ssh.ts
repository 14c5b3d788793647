/**
 * SSH to the host (port 22), then an exec of `virt-ssh-helper <uri>`, which relays the channel to
 * the host's libvirtd socket. This is what `qemu+ssh://` does in libvirt 8 and later, and how
 * CloudStack reaches KVM hosts. Uses the pure-JS `ssh2` client: no OpenSSH binary, password or
 * private-key authentication, and the host key checked against a known SHA256 fingerprint.
 */
import { createHash } from 'node:crypto';
import { connect as netConnect, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import ssh2 from 'ssh2';
import { LibvirtError, VirErrorCode } from './libvirt-error.js';
import type { LibvirtTransport, TransportConnectOptions } from './transport.js';

/** Where and how an {@link SshTransport} logs in. */
export interface SshTransportOptions {
  /** Host name or address. */
  host: string;
  /** SSH port; 22 by default. */
  port?: number;
  /** The user to log in as. */
  username: string;
  /** Password authentication. */
  password?: string;
  /** Private-key authentication: the key in OpenSSH or PEM format. */
  privateKey?: string | Buffer;
  /** The private key's passphrase. */
  passphrase?: string;
  /**
   * The host key's SHA256 fingerprint as `ssh-keygen -l` prints it (`SHA256:base64`, or the
   * base64 alone). When given, any other host key is refused. When absent, any host key is
   * accepted, as `no_verify=1` does.
   */
  hostKeyFingerprint?: string;
  /** The URI the helper opens on the host (`qemu:///system`). */
  remoteUri: string;
  /** The helper to exec; `virt-ssh-helper` by default. */
  helperCommand?: string;
}

/** The SHA256 fingerprint of an SSH public key blob, as `ssh-keygen -l` prints it. */
export function sshFingerprint(publicKeyBlob: Buffer): string {
  return `SHA256:${createHash('sha256').update(publicKeyBlob).digest('base64').replace(/=+$/, '')}`;
}

function normaliseFingerprint(fingerprint: string): string {
  const bare = fingerprint.trim().replace(/^SHA256:/i, '').replace(/=+$/, '');
  return `SHA256:${bare}`;
}

/** A POSIX-shell single-quoted word. */
function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** Opens a stream to libvirtd by running its SSH helper on the host. */
export class SshTransport implements LibvirtTransport {
  /** @inheritDoc */
  readonly description: string;

  /** @param options - host, credentials and the remote URI. */
  constructor(private readonly options: SshTransportOptions) {
    if (options.password === undefined && options.privateKey === undefined) {
      throw new TypeError('SshTransport needs a password or a private key');
    }
    this.description = `ssh ${options.username}@${options.host}:${options.port ?? 22}`;
  }

  /** @inheritDoc */
  connect({ timeoutMs }: TransportConnectOptions): Promise<Duplex> {
    const { host, username, password, privateKey, passphrase, hostKeyFingerprint, remoteUri } = this.options;
    const port = this.options.port ?? 22;
    const command = `${this.options.helperCommand ?? 'virt-ssh-helper'} ${shellQuote(remoteUri)}`;
    const expected = hostKeyFingerprint === undefined ? undefined : normaliseFingerprint(hostKeyFingerprint);

    return new Promise<Duplex>((resolve, reject) => {
      const client = new ssh2.Client();
      let settled = false;
      let hostKeyRejected: string | undefined;
      let socket: Socket | undefined;
      const fail = (code: number, reason: string, cause?: unknown): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        client.end();
        socket?.destroy();
        reject(LibvirtError.client(code, `ssh ${username}@${host}:${port}: ${reason}`, cause));
      };
      const timer = setTimeout(() => fail(VirErrorCode.VIR_ERR_NO_CONNECT, `no SSH session within ${timeoutMs} ms`), timeoutMs);

      client.on('error', (error: Error & { level?: string }) => {
        if (hostKeyRejected !== undefined) {
          fail(VirErrorCode.VIR_ERR_AUTH_FAILED, `host key ${hostKeyRejected} does not match the expected ${expected ?? ''}`, error);
        } else if (error.level === 'client-authentication') {
          fail(VirErrorCode.VIR_ERR_AUTH_FAILED, `authentication refused: ${error.message}`, error);
        } else {
          fail(VirErrorCode.VIR_ERR_NO_CONNECT, error.message, error);
        }
      });
      client.on('ready', () => {
        client.exec(command, (error, channel) => {
          if (error !== undefined && error !== null) {
            fail(VirErrorCode.VIR_ERR_NO_CONNECT, `cannot run ${command}: ${error.message}`, error);
            return;
          }
          let stderr = '';
          channel.stderr.on('data', (chunk: Buffer) => {
            stderr = (stderr + chunk.toString('utf8')).slice(-2000);
          });
          // The helper prints why it gave up (no libvirtd socket, bad URI) and exits; surface that
          // instead of a bare "connection lost".
          channel.on('exit', (code: number | null) => {
            if (code !== 0 && code !== null && stderr.trim() !== '') {
              channel.emit('error', LibvirtError.client(VirErrorCode.VIR_ERR_NO_CONNECT, `${command} exited with ${code}: ${stderr.trim()}`));
              channel.destroy();
            }
          });
          channel.on('close', () => client.end());
          settled = true;
          clearTimeout(timer);
          resolve(channel);
        });
      });

      // Our own socket, so Nagle can be turned off: ssh2 leaves it on, which adds ~40 ms a call.
      socket = netConnect({ host, port });
      socket.once('error', (error) => fail(VirErrorCode.VIR_ERR_NO_CONNECT, error.message, error));
      socket.once('connect', () => {
        socket?.setNoDelay(true);
        client.connect({
          sock: socket,
          username,
          ...(password === undefined ? {} : { password }),
          ...(privateKey === undefined ? {} : { privateKey }),
          ...(passphrase === undefined ? {} : { passphrase }),
          readyTimeout: timeoutMs,
          hostVerifier: (key: Buffer) => {
            if (expected === undefined) return true;
            const actual = sshFingerprint(key);
            if (actual === expected) return true;
            hostKeyRejected = actual;
            return false;
          },
        });
      });
    });
  }
}
