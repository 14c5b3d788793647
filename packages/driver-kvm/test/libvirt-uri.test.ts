import { describe, expect, it } from 'vitest';
import { LibvirtUriError, parseLibvirtUri } from '../src/index.js';

// Pure parsing tests: they need no libvirtd, so they run whether or not it is up.
describe('libvirt URIs', () => {
  it('parses qemu+tcp with the default port 16509', () => {
    expect(parseLibvirtUri('qemu+tcp://10.1.1.5/system')).toMatchObject({
      driver: 'qemu',
      transport: 'tcp',
      host: '10.1.1.5',
      port: 16509,
      username: undefined,
      remoteUri: 'qemu:///system',
    });
    expect(parseLibvirtUri('qemu+tcp://kvm1:16600/system').port).toBe(16600);
  });

  it('parses qemu+ssh with user, port and client-only parameters', () => {
    const uri = parseLibvirtUri('qemu+ssh://admin@kvm1:2222/system?keyfile=/root/.ssh/id&no_verify=1&mode=direct');
    expect(uri).toMatchObject({ transport: 'ssh', host: 'kvm1', port: 2222, username: 'admin', remoteUri: 'qemu:///system' });
    expect(uri.clientParams).toEqual({ keyfile: '/root/.ssh/id', no_verify: '1', mode: 'direct' });
    expect(parseLibvirtUri('qemu+ssh://kvm1/system').port).toBe(22);
  });

  it('turns test+tcp URIs into test-driver URIs, the default host and fixture files alike', () => {
    expect(parseLibvirtUri('test+tcp://127.0.0.1/default').remoteUri).toBe('test:///default');
    expect(parseLibvirtUri('test+tcp://127.0.0.1/abs/path/node.xml').remoteUri).toBe('test:///abs/path/node.xml');
  });

  it('forwards query parameters meant for the daemon', () => {
    expect(parseLibvirtUri('qemu+tcp://h/system?foo=bar').remoteUri).toBe('qemu:///system?foo=bar');
  });

  it('accepts bracketed IPv6 hosts', () => {
    expect(parseLibvirtUri('qemu+tcp://[::1]/system').host).toBe('::1');
  });

  it('refuses local, TLS and malformed URIs', () => {
    expect(() => parseLibvirtUri('qemu:///system')).toThrow(LibvirtUriError);
    expect(() => parseLibvirtUri('qemu+tls://h/system')).toThrow(/\+tls/);
    expect(() => parseLibvirtUri('qemu+tcp://h/')).toThrow(/no path/);
    expect(() => parseLibvirtUri('not a uri')).toThrow(/not a URI/);
  });
});
