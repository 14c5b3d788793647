/**
 * From a libvirt URI to an open, typed connection: picks the transport the URI names and
 * passes the credentials that URIs cannot carry (passwords, keys, the host key fingerprint).
 */
import { readFileSync } from 'node:fs';
import { LibvirtClient, type LibvirtClientOptions } from './libvirt-client.js';
import { parseLibvirtUri, type LibvirtUri } from './libvirt-uri.js';
import { LibvirtProcedures } from './procedures.js';
import { TcpTransport } from './transport-tcp.js';
import { SshTransport } from './transport-ssh.js';
import type { LibvirtTransport } from './transport.js';

/** Credentials and timings for {@link connectLibvirt}. */
export interface ConnectLibvirtOptions extends Omit<LibvirtClientOptions, 'transport' | 'remoteUri'> {
  /** SSH user when the URI names none; `root` by default. */
  username?: string;
  /** SSH password. */
  password?: string;
  /** SSH private key (contents). A `keyfile=` query parameter in the URI is read when this is absent. */
  privateKey?: string | Buffer;
  /** The private key's passphrase. */
  passphrase?: string;
  /** The host key's SHA256 fingerprint; when given, any other host key is refused. */
  hostKeyFingerprint?: string;
  /** The helper run on the host over SSH; `virt-ssh-helper` by default. */
  helperCommand?: string;
  /** Open at once (the default) rather than on the first call. */
  openNow?: boolean;
}

/** The transport a parsed URI asks for. */
export function transportForUri(uri: LibvirtUri, options: ConnectLibvirtOptions = {}): LibvirtTransport {
  if (uri.transport === 'tcp') return new TcpTransport({ host: uri.host, port: uri.port });
  const keyfile = uri.clientParams['keyfile'];
  const privateKey = options.privateKey ?? (keyfile === undefined ? undefined : readFileSync(keyfile));
  return new SshTransport({
    host: uri.host,
    port: uri.port,
    username: uri.username ?? options.username ?? 'root',
    remoteUri: uri.remoteUri,
    ...(options.password === undefined ? {} : { password: options.password }),
    ...(privateKey === undefined ? {} : { privateKey }),
    ...(options.passphrase === undefined ? {} : { passphrase: options.passphrase }),
    ...(options.hostKeyFingerprint === undefined ? {} : { hostKeyFingerprint: options.hostKeyFingerprint }),
    ...(options.helperCommand === undefined ? {} : { helperCommand: options.helperCommand }),
  });
}

/**
 * Connects to the libvirtd a URI names (`qemu+tcp://host/system`, `qemu+ssh://root@host/system`,
 * `test+tcp://127.0.0.1/default`) and returns the typed API over that connection.
 */
export async function connectLibvirt(uri: string, options: ConnectLibvirtOptions = {}): Promise<LibvirtProcedures> {
  const parsed = parseLibvirtUri(uri);
  const { username: _username, password: _password, privateKey: _privateKey, passphrase: _passphrase, hostKeyFingerprint: _fp, helperCommand: _helper, openNow, ...clientOptions } = options;
  const client = new LibvirtClient({ ...clientOptions, transport: transportForUri(parsed, options), remoteUri: parsed.remoteUri });
  if (openNow ?? true) await client.open();
  return new LibvirtProcedures(client);
}
