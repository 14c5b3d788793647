// Connection behaviour: keep-alive both ways, per-call timeout, reconnection after a lost
// connection (events included), close, and corrupt streams. Real libvirtd where it can show the
// behaviour, a scripted fake daemon on 127.0.0.1 where it cannot (silence, PINGs, garbage).
import { afterEach, describe, expect, it } from 'vitest';
import {
  encodePacket,
  KEEPALIVE_PROGRAM,
  KeepaliveProcedure,
  LibvirtClient,
  LibvirtProcedures,
  MessageStatus,
  MessageType,
  RemoteProcedure,
  TcpTransport,
  VirErrorCode,
  type DomainLifecycleEvent,
} from '../src/index.js';
import { startFakeLibvirtd, type FakeLibvirtd } from './support/fake-libvirtd.js';
import { LIBVIRTD_HOST, LIBVIRTD_PORT, libvirtdReachable, RecordingTransport, testDomainXml, uniqueName } from './support/libvirtd.js';

const reachable = await libvirtdReachable();

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function fake(script: Parameters<typeof startFakeLibvirtd>[0]): Promise<FakeLibvirtd> {
  const server = await startFakeLibvirtd(script);
  cleanups.push(() => server.close());
  return server;
}

function clientFor(port: number, options: Partial<ConstructorParameters<typeof LibvirtClient>[0]> = {}): LibvirtClient {
  const client = new LibvirtClient({ transport: new TcpTransport({ host: '127.0.0.1', port }), remoteUri: 'test:///default', ...options });
  cleanups.push(() => client.close());
  return client;
}

async function waitFor(predicate: () => boolean, timeoutMs = 5_000): Promise<void> {
  const started = Date.now();
  while (!predicate()) {
    if (Date.now() - started > timeoutMs) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe.skipIf(!reachable)('libvirt client against libvirtd', () => {
  it('asks for keep-alive, sends PINGs when idle and gets PONGs back', async () => {
    const client = new LibvirtClient({
      transport: new TcpTransport({ host: LIBVIRTD_HOST, port: LIBVIRTD_PORT }),
      remoteUri: 'test:///default',
      keepaliveIntervalMs: 50,
    });
    cleanups.push(() => client.close());
    await client.open();
    await waitFor(() => client.stats.pongsReceived >= 2);
    expect(client.stats.pingsSent).toBeGreaterThanOrEqual(2);
    expect(client.connected).toBe(true);
  });

  it('reconnects for the next call after the connection is lost, and re-registers event callbacks', async () => {
    const transport = new RecordingTransport(new TcpTransport({ host: LIBVIRTD_HOST, port: LIBVIRTD_PORT }));
    const client = new LibvirtClient({ transport, remoteUri: 'test:///default' });
    cleanups.push(() => client.close());
    const lv = new LibvirtProcedures(client);
    const events: DomainLifecycleEvent[] = [];
    await lv.onDomainLifecycle((event) => events.push(event));

    const inFlight = lv.connectGetHostname();
    transport.streams[0]?.destroy();
    const lost = await inFlight.then(
      () => undefined,
      (error: unknown) => error,
    );
    // Either the call finished before the cut, or it failed as a lost connection.
    if (lost !== undefined) expect(lost).toMatchObject({ code: VirErrorCode.VIR_ERR_RPC, origin: 'client' });
    await waitFor(() => !client.connected);

    expect(await lv.connectGetHostname()).not.toBe('');
    expect(client.stats.connections).toBe(2);
    expect(transport.streams).toHaveLength(2);

    const name = uniqueName('after-reconnect');
    const dom = await lv.domainDefineXml(testDomainXml(name));
    await lv.domainUndefine(dom);
    await waitFor(() => events.filter((e) => e.domain.name === name).length === 2);
    expect(events.filter((e) => e.domain.name === name).map((e) => e.eventName)).toEqual(['defined', 'undefined']);
  });

  it('closes with CONNECT_CLOSE and refuses calls afterwards', async () => {
    const client = new LibvirtClient({ transport: new TcpTransport({ host: LIBVIRTD_HOST, port: LIBVIRTD_PORT }), remoteUri: 'test:///default' });
    await client.open();
    await client.close();
    expect(client.connected).toBe(false);
    await expect(new LibvirtProcedures(client).connectGetHostname()).rejects.toMatchObject({ code: VirErrorCode.VIR_ERR_INVALID_CONN });
  });
});

describe.skipIf(!reachable)('libvirt client against a scripted daemon on 127.0.0.1', () => {
  it('answers the daemon\'s PING with a PONG', async () => {
    const server = await fake(() => ({ reply: Buffer.alloc(0) }));
    const client = clientFor(server.port, { keepaliveIntervalMs: 0 });
    await client.open();
    const [socket] = [...server.sockets];
    socket?.write(
      encodePacket({ program: KEEPALIVE_PROGRAM, version: 1, procedure: KeepaliveProcedure.PING, type: MessageType.MESSAGE, serial: 0, status: MessageStatus.OK }),
    );
    await waitFor(() => server.received.some((p) => p.header.program === KEEPALIVE_PROGRAM && p.header.procedure === KeepaliveProcedure.PONG));
    expect(client.stats.pingsAnswered).toBe(1);
  });

  it('fails a call with VIR_ERR_OPERATION_TIMEOUT when no reply comes in time, and keeps the connection', async () => {
    const server = await fake((packet) => (packet.header.procedure === RemoteProcedure.CONNECT_GET_HOSTNAME ? 'silent' : { reply: Buffer.alloc(0) }));
    const client = clientFor(server.port);
    const started = Date.now();
    await expect(client.call(RemoteProcedure.CONNECT_GET_HOSTNAME, Buffer.alloc(0), { timeoutMs: 100 })).rejects.toMatchObject({
      code: VirErrorCode.VIR_ERR_OPERATION_TIMEOUT,
      procedure: RemoteProcedure.CONNECT_GET_HOSTNAME,
    });
    expect(Date.now() - started).toBeLessThan(2_000);
    await expect(client.call(RemoteProcedure.NODE_GET_FREE_MEMORY)).resolves.toEqual(Buffer.alloc(0));
    expect(client.stats.connections).toBe(1);
  });

  it('declares the connection dead when PINGs go unanswered', async () => {
    const server = await fake(() => 'silent');
    const client = clientFor(server.port, { keepaliveIntervalMs: 30, keepaliveCount: 2, callTimeoutMs: 10_000 });
    await client.open();
    const error = await client.call(RemoteProcedure.CONNECT_GET_HOSTNAME).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: VirErrorCode.VIR_ERR_OPERATION_TIMEOUT, message: expect.stringContaining('keep-alive') });
    expect(server.received.filter((p) => p.header.program === KEEPALIVE_PROGRAM).length).toBeGreaterThanOrEqual(2);
  });

  it('fails calls in flight with VIR_ERR_RPC when the daemon drops the connection', async () => {
    const server = await fake(() => (socket) => socket.destroy());
    const client = clientFor(server.port);
    await expect(client.call(RemoteProcedure.CONNECT_GET_HOSTNAME)).rejects.toMatchObject({ code: VirErrorCode.VIR_ERR_RPC, origin: 'client' });
  });

  it('treats a corrupt length word as a broken stream', async () => {
    const server = await fake(() => (socket) => socket.write(Buffer.from('00000003deadbeef', 'hex')));
    const client = clientFor(server.port);
    await expect(client.call(RemoteProcedure.CONNECT_GET_HOSTNAME)).rejects.toMatchObject({
      code: VirErrorCode.VIR_ERR_RPC,
      message: expect.stringContaining('corrupt stream'),
    });
  });

  it('reports a reply that does not decode as the expected structure', async () => {
    const server = await fake(() => ({ reply: Buffer.from('0000', 'hex') }));
    const lv = new LibvirtProcedures(clientFor(server.port));
    await expect(lv.connectGetHostname()).rejects.toMatchObject({ code: VirErrorCode.VIR_ERR_RPC, message: expect.stringContaining('cannot decode') });
  });
});
