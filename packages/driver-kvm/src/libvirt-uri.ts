/**
 * libvirt connection URIs (`driver[+transport]://[user@]host[:port]/path[?query]`), split into how
 * to reach libvirtd and the URI libvirtd itself opens: `qemu+ssh://root@kvm1/system` is "SSH to
 * kvm1 as root" plus `qemu:///system`.
 */

/** How the client reaches libvirtd. */
export type LibvirtTransportKind = 'tcp' | 'ssh';

/** A parsed libvirt URI. */
export interface LibvirtUri {
  /** The URI as given. */
  uri: string;
  /** The hypervisor driver (`qemu`, `test`, ...). */
  driver: string;
  /** How to reach libvirtd. */
  transport: LibvirtTransportKind;
  /** The host name or address. */
  host: string;
  /** The port: 16509 for TCP and 22 for SSH unless given. */
  port: number;
  /** The SSH user, when the URI names one. */
  username: string | undefined;
  /** The URI libvirtd opens on the host (`qemu:///system`, `test:///default`). */
  remoteUri: string;
  /** The query parameters meant for this client (`keyfile`, `no_verify`, ...), removed from `remoteUri`. */
  clientParams: Readonly<Record<string, string>>;
}

/** Raised for a URI this client cannot use. */
export class LibvirtUriError extends Error {
  constructor(
    /** The URI at fault. */
    readonly uri: string,
    reason: string,
  ) {
    super(`Invalid libvirt URI ${uri}: ${reason}`);
    this.name = 'LibvirtUriError';
  }
}

/** libvirtd's TCP port (`LIBVIRTD_TCP_PORT`). */
export const LIBVIRT_TCP_PORT = 16509;
/** The SSH port. */
export const SSH_PORT = 22;

/** Query parameters libvirt's remote driver reads itself and never forwards to the daemon. */
const CLIENT_PARAMS = new Set([
  'name',
  'command',
  'socket',
  'auth',
  'netcat',
  'keyfile',
  'no_verify',
  'no_tty',
  'pkipath',
  'known_hosts',
  'known_hosts_verify',
  'sshauth',
  'mode',
  'proxy',
  'tls_priority',
]);

/**
 * Parses `qemu+tcp://host[:port]/system`, `qemu+ssh://user@host[:port]/system`,
 * `test+tcp://127.0.0.1/default` or `test+tcp://127.0.0.1/abs/path/node.xml`.
 * A URI without `+tcp`/`+ssh` (a local socket) or with TLS is refused: this client speaks
 * TCP and SSH only.
 */
export function parseLibvirtUri(uri: string): LibvirtUri {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    throw new LibvirtUriError(uri, 'not a URI');
  }
  const scheme = url.protocol.replace(/:$/, '');
  const [driver, transportName] = scheme.split('+', 2);
  if (driver === undefined || !/^[a-z][a-z0-9]*$/.test(driver)) throw new LibvirtUriError(uri, `bad driver in scheme ${scheme}`);
  if (transportName !== 'tcp' && transportName !== 'ssh') {
    throw new LibvirtUriError(uri, `transport must be +tcp or +ssh, got ${transportName === undefined ? 'none' : `+${transportName}`}`);
  }
  if (url.hostname === '') throw new LibvirtUriError(uri, 'no host');
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const port = url.port === '' ? (transportName === 'tcp' ? LIBVIRT_TCP_PORT : SSH_PORT) : Number(url.port);
  const path = decodeURIComponent(url.pathname);
  if (path === '' || path === '/') throw new LibvirtUriError(uri, 'no path (/system, /session, /default or a file)');

  const clientParams: Record<string, string> = {};
  const forwarded = new URLSearchParams();
  for (const [key, value] of url.searchParams) {
    if (CLIENT_PARAMS.has(key)) clientParams[key] = value;
    else forwarded.append(key, value);
  }
  const query = forwarded.toString();
  return {
    uri,
    driver,
    transport: transportName,
    host,
    port,
    username: url.username === '' ? undefined : decodeURIComponent(url.username),
    remoteUri: `${driver}://${path}${query === '' ? '' : `?${query}`}`,
    clientParams,
  };
}
