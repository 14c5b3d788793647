// An SSH "host" inside the test process (ssh2 Server, host key generated per run): it accepts
// one user by password or public key and runs only `virt-ssh-helper <uri>`, piping the channel
// to the real helper binary, which relays to the local libvirtd. Loopback only.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { timingSafeEqual } from 'node:crypto';
import ssh2 from 'ssh2';
import { sshFingerprint } from '../../src/index.js';

/** Where the helper lives on Debian (package libvirt-clients). */
export const VIRT_SSH_HELPER = ['/usr/bin/virt-ssh-helper', '/usr/libexec/virt-ssh-helper'].find((path) => existsSync(path)) ?? 'virt-ssh-helper';

/** A running fake SSH host. */
export interface FakeSshHost {
  /** The port on 127.0.0.1. */
  port: number;
  /** The accepted user. */
  username: string;
  /** The accepted password. */
  password: string;
  /** A private key the host accepts (OpenSSH format). */
  clientPrivateKey: string;
  /** The host key's SHA256 fingerprint. */
  hostKeyFingerprint: string;
  /** Commands run so far. */
  commands: string[];
  /**
   * Scripts sent to `sh -e -s` so far (not run: the host answers exit 0, or exit 1 with
   * `script failed` on stderr when a line of the script is `false`).
   */
  scripts: string[];
  /** Stops the server. */
  close(): Promise<void>;
}

/**
 * A host key and a client key that ssh2 can read back. ssh2 now and then fails to parse a key
 * it has just generated (seen once in CI), so a pair is generated again, a few times at most.
 */
function generateKeys() {
  let lastError: Error | undefined;
  for (let attempt = 0; attempt < 5; attempt += 1) {
    const hostKey = ssh2.utils.generateKeyPairSync('ed25519');
    const clientKey = ssh2.utils.generateKeyPairSync('ed25519');
    const parsedHostKey = ssh2.utils.parseKey(hostKey.private);
    const parsedClientKey = ssh2.utils.parseKey(clientKey.public);
    if (!(parsedHostKey instanceof Error) && !(parsedClientKey instanceof Error)) return { hostKey, clientKey, parsedHostKey, parsedClientKey };
    lastError = parsedHostKey instanceof Error ? parsedHostKey : (parsedClientKey as Error);
  }
  throw new Error(`cannot parse generated keys: ${lastError?.message}`);
}

/** Starts a fake SSH host on 127.0.0.1 with a fresh host key and client key. */
export async function startFakeSshHost(): Promise<FakeSshHost> {
  const { hostKey, clientKey, parsedHostKey, parsedClientKey } = generateKeys();
  const allowedClientKey = parsedClientKey.getPublicSSH();
  const username = 'root';
  const password = 'secret-password';
  const commands: string[] = [];
  const scripts: string[] = [];

  const server = new ssh2.Server({ hostKeys: [hostKey.private] }, (client) => {
    // Nagle off on the server side too: ssh2 leaves it on, which costs ~40 ms a round trip.
    // ssh2's server Connection has setNoDelay at run time, but @types/ssh2 leaves it out.
    (client as unknown as { setNoDelay(noDelay: boolean): void }).setNoDelay(true);
    client.on('authentication', (ctx) => {
      if (ctx.username !== username) return ctx.reject();
      if (ctx.method === 'password' && ctx.password === password) return ctx.accept();
      if (ctx.method === 'publickey') {
        const offered = ctx.key.data;
        if (offered.length === allowedClientKey.length && timingSafeEqual(offered, allowedClientKey)) {
          if (ctx.signature === undefined) return ctx.accept();
          if (ctx.blob !== undefined && parsedClientKey.verify(ctx.blob, ctx.signature, ctx.hashAlgo) === true) return ctx.accept();
        }
      }
      return ctx.reject(['password', 'publickey']);
    });
    client.on('ready', () => {
      client.on('session', (acceptSession) => {
        const session = acceptSession();
        session.on('exec', (acceptExec, rejectExec, info) => {
          commands.push(info.command);
          if (info.command === 'sh -e -s') {
            const channel = acceptExec();
            let script = '';
            channel.on('data', (chunk: Buffer) => {
              script += chunk.toString('utf8');
            });
            channel.on('end', () => {
              scripts.push(script);
              const failed = script.split('\n').includes('false');
              if (failed) channel.stderr.write('script failed\n');
              channel.exit(failed ? 1 : 0);
              channel.end();
            });
            return;
          }
          const match = /^virt-ssh-helper '([^']+)'$/.exec(info.command);
          if (match === null || match[1] === undefined) return rejectExec();
          const channel = acceptExec();
          const child = spawn(VIRT_SSH_HELPER, [match[1]], { stdio: ['pipe', 'pipe', 'pipe'] });
          channel.pipe(child.stdin);
          child.stdout.pipe(channel);
          child.stderr.pipe(channel.stderr);
          child.on('exit', (code) => {
            channel.exit(code ?? 1);
            channel.end();
          });
          channel.on('close', () => child.kill());
        });
      });
    });
    client.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    username,
    password,
    clientPrivateKey: clientKey.private,
    hostKeyFingerprint: sshFingerprint(parsedHostKey.getPublicSSH()),
    commands,
    scripts,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
