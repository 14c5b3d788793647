// Shared by every driver-kvm test file: whether libvirtd answers on 127.0.0.1:16509 (started by
// scripts/start-libvirtd.sh), and the URIs and fixtures the tests use.
import { connect } from 'node:net';
import type { Duplex } from 'node:stream';
import { fileURLToPath } from 'node:url';
import type { LibvirtTransport, TransportConnectOptions } from '../../src/index.js';

/** libvirtd's loopback TCP endpoint. */
export const LIBVIRTD_HOST = '127.0.0.1';
/** libvirtd's TCP port. */
export const LIBVIRTD_PORT = 16509;
/** The test driver's default host through the daemon. */
export const TEST_DEFAULT_URI = `test+tcp://${LIBVIRTD_HOST}/default`;
/** The fixture host file (8 CPUs, 16 GiB, two VMs, a pool with a template). */
export const FIXTURE_NODE_XML = fileURLToPath(new URL('../fixtures/node.xml', import.meta.url));
/** The fixture host through the daemon. */
export const TEST_FIXTURE_URI = `test+tcp://${LIBVIRTD_HOST}${FIXTURE_NODE_XML}`;
/** A fixture host with no VMs (4 cores, 8 GiB). */
export const EMPTY_NODE_XML = fileURLToPath(new URL('../fixtures/empty-node.xml', import.meta.url));
/** A fixture host with no VMs whose NFS primary pool `primary` has a template cached (4 cores, 8 GiB). */
export const PRIMARY_NODE_XML = fileURLToPath(new URL('../fixtures/primary-node.xml', import.meta.url));
/** Real QEMU through the daemon. */
export const QEMU_URI = `qemu+tcp://${LIBVIRTD_HOST}/system`;

/** True when something accepts TCP connections on 127.0.0.1:16509 within a second. */
export function libvirtdReachable(): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: LIBVIRTD_HOST, port: LIBVIRTD_PORT });
    const done = (ok: boolean): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(ok);
    };
    const timer = setTimeout(() => done(false), 1_000);
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** Wraps a transport and keeps the streams it opened, so a test can cut a connection. */
export class RecordingTransport implements LibvirtTransport {
  /** Streams opened so far, oldest first. */
  readonly streams: Duplex[] = [];

  constructor(private readonly inner: LibvirtTransport) {}

  get description(): string {
    return this.inner.description;
  }

  async connect(options: TransportConnectOptions): Promise<Duplex> {
    const stream = await this.inner.connect(options);
    this.streams.push(stream);
    return stream;
  }
}

/** A unique name for objects a test creates. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${process.pid}-${Date.now().toString(36)}-${Math.floor(Math.random() * 1e6).toString(36)}`;
}

/** A minimal test-driver domain. */
export function testDomainXml(name: string, memoryKiB = 65_536): string {
  return `<domain type='test'><name>${name}</name><memory unit='KiB'>${memoryKiB}</memory><vcpu>1</vcpu><os><type>hvm</type></os></domain>`;
}
