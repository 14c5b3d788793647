import { describe, expect, it } from 'vitest';
import {
  decodePacket,
  encodePacket,
  FrameParser,
  MessageStatus,
  MessageType,
  PacketError,
  REMOTE_PROGRAM,
  type PacketHeader,
} from '../src/index.js';

// Pure framing tests: they need no libvirtd, so they run whether or not it is up.
const header = (serial: number): PacketHeader => ({
  program: REMOTE_PROGRAM,
  version: 1,
  procedure: 59,
  type: MessageType.CALL,
  serial,
  status: MessageStatus.OK,
});

describe('packets', () => {
  it('lays out the length word (counting itself) and the 24-byte header as libvirt does', () => {
    const packet = encodePacket(header(7), Buffer.from('00000001', 'hex'));
    expect(packet.length).toBe(32);
    expect(packet.toString('hex')).toBe(
      '00000020' + '20008086' + '00000001' + '0000003b' + '00000000' + '00000007' + '00000000' + '00000001',
    );
    const decoded = decodePacket(packet);
    expect(decoded.header).toEqual(header(7));
    expect(decoded.body.toString('hex')).toBe('00000001');
  });

  it('refuses a packet whose length word disagrees, or an unknown type or status', () => {
    const packet = encodePacket(header(1));
    expect(() => decodePacket(packet.subarray(0, 27))).toThrow(PacketError);
    const badType = Buffer.from(packet);
    badType.writeInt32BE(9, 16);
    expect(() => decodePacket(badType)).toThrow(/message type 9/);
    const badStatus = Buffer.from(packet);
    badStatus.writeInt32BE(7, 24);
    expect(() => decodePacket(badStatus)).toThrow(/status 7/);
  });

  it('reassembles packets split over chunks, down to one byte at a time', () => {
    const packets = [encodePacket(header(1), Buffer.alloc(8, 1)), encodePacket(header(2)), encodePacket(header(3), Buffer.alloc(100, 3))];
    const stream = Buffer.concat(packets);
    const parser = new FrameParser();
    const frames: Buffer[] = [];
    for (let i = 0; i < stream.length; i += 1) frames.push(...parser.push(stream.subarray(i, i + 1)));
    expect(frames.map((f) => decodePacket(f).header.serial)).toEqual([1, 2, 3]);
    expect(Buffer.concat(frames)).toEqual(stream);
    expect(parser.pending).toBe(0);
  });

  it('splits coalesced chunks holding several packets and a partial one', () => {
    const a = encodePacket(header(1), Buffer.alloc(4));
    const b = encodePacket(header(2), Buffer.alloc(12));
    const c = encodePacket(header(3), Buffer.alloc(20));
    const parser = new FrameParser();
    const first = parser.push(Buffer.concat([a, b, c.subarray(0, 3)]));
    expect(first.map((f) => decodePacket(f).header.serial)).toEqual([1, 2]);
    expect(parser.pending).toBe(3);
    const second = parser.push(c.subarray(3, 10));
    expect(second).toEqual([]);
    const third = parser.push(c.subarray(10));
    expect(third.map((f) => decodePacket(f).header.serial)).toEqual([3]);
    expect(parser.pending).toBe(0);
  });

  it('reassembles at every possible split point of a two-packet stream', () => {
    const stream = Buffer.concat([encodePacket(header(10), Buffer.alloc(16, 9)), encodePacket(header(11), Buffer.alloc(8, 7))]);
    for (let cut = 0; cut <= stream.length; cut += 1) {
      const parser = new FrameParser();
      const frames = [...parser.push(stream.subarray(0, cut)), ...parser.push(stream.subarray(cut))];
      expect(frames.map((f) => decodePacket(f).header.serial)).toEqual([10, 11]);
    }
  });

  it('refuses a length word below a header or above the limit, as a corrupt stream', () => {
    expect(() => new FrameParser().push(Buffer.from('00000010', 'hex'))).toThrow(PacketError);
    expect(() => new FrameParser(1024).push(Buffer.from('00100000', 'hex'))).toThrow(/invalid packet length/);
  });
});
