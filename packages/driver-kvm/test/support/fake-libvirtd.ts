// A scripted stand-in for libvirtd on 127.0.0.1, for what a real daemon will not do on demand:
// stay silent, send a PING, send garbage, or drop the connection. It answers the connection
// set-up calls (supports-feature, open) like libvirtd and hands every other call to a script.
import { createServer, type AddressInfo, type Socket } from 'node:net';
import {
  decodePacket,
  encodePacket,
  FrameParser,
  MessageStatus,
  MessageType,
  RemoteProcedure,
  type Packet,
} from '../../src/index.js';

/** What the fake does with one call: reply with a body, stay silent, or run custom code. */
export type FakeAction = { reply: Buffer } | 'silent' | ((socket: Socket, packet: Packet) => void);

/** A running fake daemon. */
export interface FakeLibvirtd {
  /** The port on 127.0.0.1. */
  port: number;
  /** Every packet received, keep-alive included. */
  received: Packet[];
  /** Open sockets. */
  sockets: Set<Socket>;
  /** Stops the server and drops its connections. */
  close(): Promise<void>;
}

/** Writes a successful reply to `call`. */
export function replyTo(socket: Socket, call: Packet, body: Buffer = Buffer.alloc(0)): void {
  socket.write(encodePacket({ ...call.header, type: MessageType.REPLY, status: MessageStatus.OK }, body));
}

/** Starts a fake daemon whose answer to each non-setup call `script` decides. */
export async function startFakeLibvirtd(script: (packet: Packet) => FakeAction): Promise<FakeLibvirtd> {
  const received: Packet[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    const parser = new FrameParser();
    socket.on('data', (chunk) => {
      for (const frame of parser.push(chunk)) {
        const packet = decodePacket(frame);
        received.push(packet);
        if (packet.header.type !== MessageType.CALL) continue;
        if (packet.header.procedure === RemoteProcedure.CONNECT_SUPPORTS_FEATURE) {
          replyTo(socket, packet, Buffer.from('00000001', 'hex'));
          continue;
        }
        if (packet.header.procedure === RemoteProcedure.AUTH_LIST) {
          replyTo(socket, packet, Buffer.from('0000000100000000', 'hex'));
          continue;
        }
        if (packet.header.procedure === RemoteProcedure.CONNECT_OPEN) {
          replyTo(socket, packet);
          continue;
        }
        const action = script(packet);
        if (action === 'silent') continue;
        if (typeof action === 'function') action(socket, packet);
        else replyTo(socket, packet, action.reply);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    received,
    sockets,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
