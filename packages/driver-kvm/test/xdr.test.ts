import { describe, expect, it } from 'vitest';
import {
  decodeXdr,
  domainRef,
  encodeXdr,
  remoteError,
  typedParam,
  uuidToBytes,
  uuidToString,
  xdr,
  XdrError,
  XdrReader,
  XdrWriter,
  type TypedParam,
} from '../src/index.js';

// Pure encoding tests: they need no libvirtd, so they run whether or not it is up.
describe('XDR', () => {
  it('encodes int, uint, hyper and uhyper big-endian in 4 and 8 bytes', () => {
    const bytes = new XdrWriter().int(-2).uint(0xfffffffe).hyper(-3n).uhyper(2n ** 64n - 1n).finish();
    expect(bytes.toString('hex')).toBe('fffffffe' + 'fffffffe' + 'fffffffffffffffd' + 'ffffffffffffffff');
    const reader = new XdrReader(bytes);
    expect([reader.int(), reader.uint(), reader.hyper(), reader.uhyper()]).toEqual([-2, 0xfffffffe, -3n, 2n ** 64n - 1n]);
    reader.end();
  });

  it('refuses values out of range instead of wrapping them', () => {
    expect(() => new XdrWriter().int(2 ** 31)).toThrow(XdrError);
    expect(() => new XdrWriter().uint(-1)).toThrow(XdrError);
    expect(() => new XdrWriter().uint(1.5)).toThrow(XdrError);
    expect(() => new XdrWriter().uhyper(-1n)).toThrow(XdrError);
    expect(() => new XdrWriter().hyper(2n ** 63n)).toThrow(XdrError);
  });

  it('pads strings and opaque data to a multiple of 4 with zeros', () => {
    const bytes = encodeXdr(xdr.string(), 'abcde');
    expect(bytes.toString('hex')).toBe('00000005' + '6162636465' + '000000');
    expect(decodeXdr(xdr.string(), bytes)).toBe('abcde');
    const fixed = encodeXdr(xdr.fixedOpaque(3), Buffer.from([1, 2, 3]));
    expect(fixed.toString('hex')).toBe('01020300');
    expect(decodeXdr(xdr.fixedOpaque(3), fixed)).toEqual(Buffer.from([1, 2, 3]));
  });

  it('round-trips UTF-8 strings, empty strings and opaque data', () => {
    for (const text of ['', 'a', 'abcd', 'héllo wörld ✓', 'x'.repeat(1001)]) {
      expect(decodeXdr(xdr.string(), encodeXdr(xdr.string(), text))).toBe(text);
    }
    const data = Buffer.from(Array.from({ length: 37 }, (_, i) => i));
    expect(decodeXdr(xdr.opaque(), encodeXdr(xdr.opaque(), data))).toEqual(data);
  });

  it('encodes booleans as 0/1 and refuses other values when decoding', () => {
    expect(encodeXdr(xdr.bool, true).toString('hex')).toBe('00000001');
    expect(decodeXdr(xdr.bool, Buffer.from('00000000', 'hex'))).toBe(false);
    expect(() => decodeXdr(xdr.bool, Buffer.from('00000002', 'hex'))).toThrow(XdrError);
  });

  it('round-trips doubles', () => {
    for (const value of [0, -1.5, Math.PI, 1e300]) expect(decodeXdr(xdr.double, encodeXdr(xdr.double, value))).toBe(value);
  });

  it('encodes optional values as a flag then the value', () => {
    const codec = xdr.optional(xdr.int);
    expect(encodeXdr(codec, null).toString('hex')).toBe('00000000');
    expect(encodeXdr(codec, 7).toString('hex')).toBe('00000001' + '00000007');
    expect(decodeXdr(codec, encodeXdr(codec, null))).toBeNull();
    expect(decodeXdr(codec, encodeXdr(codec, 7))).toBe(7);
  });

  it('encodes variable arrays with a count and fixed arrays without', () => {
    const variable = xdr.array(xdr.uint, 4);
    expect(encodeXdr(variable, [1, 2]).toString('hex')).toBe('00000002' + '00000001' + '00000002');
    expect(decodeXdr(variable, encodeXdr(variable, [5, 6, 7]))).toEqual([5, 6, 7]);
    expect(() => encodeXdr(variable, [1, 2, 3, 4, 5])).toThrow(XdrError);
    const fixed = xdr.fixedArray(xdr.int, 3);
    expect(encodeXdr(fixed, [1, 2, 3]).length).toBe(12);
    expect(decodeXdr(fixed, encodeXdr(fixed, [-1, 0, 1]))).toEqual([-1, 0, 1]);
    expect(() => encodeXdr(fixed, [1])).toThrow(XdrError);
  });

  it('refuses an array count larger than its limit or than the bytes left', () => {
    expect(() => decodeXdr(xdr.array(xdr.int, 2), encodeXdr(xdr.array(xdr.int), [1, 2, 3]))).toThrow(/limit/);
    expect(() => decodeXdr(xdr.array(xdr.int), Buffer.from('7fffffff', 'hex'))).toThrow(XdrError);
  });

  it('round-trips structs in field order and rejects truncated or trailing bytes', () => {
    const codec = xdr.struct({ name: xdr.string(), flags: xdr.uint, tags: xdr.array(xdr.string()) });
    const value = { name: 'vm', flags: 3, tags: ['a', 'bc'] };
    const bytes = encodeXdr(codec, value);
    expect(bytes.subarray(0, 8).toString('hex')).toBe('00000002' + '766d0000');
    expect(decodeXdr(codec, bytes)).toEqual(value);
    expect(() => decodeXdr(codec, bytes.subarray(0, bytes.length - 1))).toThrow(/truncated/);
    expect(() => decodeXdr(codec, Buffer.concat([bytes, Buffer.alloc(4)]))).toThrow(/unread/);
  });

  it('round-trips libvirt handles with UUIDs as 16 raw bytes', () => {
    const dom = { name: 'i-2-10-VM', uuid: '4dea22b3-1d52-d8f3-2516-782e98a23fa0', id: -1 };
    const bytes = encodeXdr(domainRef, dom);
    expect(bytes.length).toBe(4 + 12 + 16 + 4);
    expect(decodeXdr(domainRef, bytes)).toEqual(dom);
    expect(uuidToString(uuidToBytes('4DEA22B31D52D8F32516782E98A23FA0'))).toBe(dom.uuid);
    expect(() => uuidToBytes('not-a-uuid')).toThrow(XdrError);
  });

  it('round-trips every typed parameter type, the union that migration and stats use', () => {
    const params: TypedParam[] = [
      { field: 'i', type: 'int', value: -5 },
      { field: 'u', type: 'uint', value: 5 },
      { field: 'l', type: 'llong', value: -(2n ** 40n) },
      { field: 'ul', type: 'ullong', value: 2n ** 60n },
      { field: 'd', type: 'double', value: 0.25 },
      { field: 'b', type: 'boolean', value: true },
      { field: 's', type: 'string', value: 'tcp://10.0.0.2' },
    ];
    const codec = xdr.array(typedParam);
    expect(decodeXdr(codec, encodeXdr(codec, params))).toEqual(params);
    const unknownType = Buffer.concat([encodeXdr(xdr.string(), 'x'), encodeXdr(xdr.int, 99)]);
    expect(() => decodeXdr(typedParam, unknownType)).toThrow(/unknown typed parameter type 99/);
  });

  it('round-trips a remote_error with and without its optional parts', () => {
    const full = {
      code: 42,
      domain: 12,
      message: 'Domain not found',
      level: 2,
      dom: { name: 'x', uuid: '00000000-0000-0000-0000-000000000001', id: 3 },
      str1: 'a',
      str2: null,
      str3: 'c',
      int1: -1,
      int2: 0,
      net: { name: 'default', uuid: '00000000-0000-0000-0000-000000000002' },
    };
    expect(decodeXdr(remoteError, encodeXdr(remoteError, full))).toEqual(full);
    const bare = { ...full, message: null, dom: null, str1: null, str3: null, net: null };
    expect(decodeXdr(remoteError, encodeXdr(remoteError, bare))).toEqual(bare);
  });
});
