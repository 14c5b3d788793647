/**
 * Runs a shell script on a KVM host over its own SSH session (the same login and host-key check
 * as the `qemu+ssh://` transport): what the driver uses for host-side work libvirt cannot do,
 * such as programming iptables and ebtables for security groups.
 */
import ssh2 from 'ssh2';
import { LibvirtError, VirErrorCode } from './libvirt-error.js';
import { sshFingerprint, type SshTransportOptions } from './transport-ssh.js';

/** Where and how {@link runSshScript} logs in: the SSH transport's options without the libvirt parts. */
export type SshLogin = Omit<SshTransportOptions, 'remoteUri' | 'helperCommand'>;

/** What a script printed and how it ended. */
export interface SshScriptResult {
  /** Standard output (the last 64 KiB). */
  readonly stdout: string;
  /** Standard error (the last 64 KiB). */
  readonly stderr: string;
}

const KEEP = 64 * 1024;

/**
 * Runs `script` with `sh -e` on the host (the script goes to the shell's standard input).
 * Rejects with a `LibvirtError` (`VIR_ERR_NO_CONNECT`, `VIR_ERR_AUTH_FAILED`, or
 * `VIR_ERR_OPERATION_FAILED` with the script's stderr when it exits non-zero).
 */
export function runSshScript(login: SshLogin, script: string, timeoutMs: number): Promise<SshScriptResult> {
  const port = login.port ?? 22;
  const where = `ssh ${login.username}@${login.host}:${port}`;
  const expected = login.hostKeyFingerprint === undefined ? undefined : `SHA256:${login.hostKeyFingerprint.trim().replace(/^SHA256:/i, '').replace(/=+$/, '')}`;
  return new Promise<SshScriptResult>((resolve, reject) => {
    const client = new ssh2.Client();
    let settled = false;
    let hostKeyRejected: string | undefined;
    const finish = (error: LibvirtError | undefined, result?: SshScriptResult): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      client.end();
      if (error !== undefined) reject(error);
      else if (result !== undefined) resolve(result);
    };
    const timer = setTimeout(() => finish(LibvirtError.client(VirErrorCode.VIR_ERR_OPERATION_TIMEOUT, `${where}: script did not finish within ${timeoutMs} ms`)), timeoutMs);
    client.on('error', (error: Error & { level?: string }) => {
      if (hostKeyRejected !== undefined) finish(LibvirtError.client(VirErrorCode.VIR_ERR_AUTH_FAILED, `${where}: host key ${hostKeyRejected} does not match the expected ${expected ?? ''}`, error));
      else if (error.level === 'client-authentication') finish(LibvirtError.client(VirErrorCode.VIR_ERR_AUTH_FAILED, `${where}: authentication refused: ${error.message}`, error));
      else finish(LibvirtError.client(VirErrorCode.VIR_ERR_NO_CONNECT, `${where}: ${error.message}`, error));
    });
    client.on('ready', () => {
      client.exec('sh -e -s', (error, channel) => {
        if (error !== undefined && error !== null) {
          finish(LibvirtError.client(VirErrorCode.VIR_ERR_NO_CONNECT, `${where}: cannot run sh: ${error.message}`, error));
          return;
        }
        let stdout = '';
        let stderr = '';
        let exitCode: number | null = null;
        channel.on('data', (chunk: Buffer) => {
          stdout = (stdout + chunk.toString('utf8')).slice(-KEEP);
        });
        channel.stderr.on('data', (chunk: Buffer) => {
          stderr = (stderr + chunk.toString('utf8')).slice(-KEEP);
        });
        channel.on('exit', (code: number | null) => {
          exitCode = code;
        });
        channel.on('close', () => {
          if (exitCode === 0) finish(undefined, { stdout, stderr });
          else finish(LibvirtError.client(VirErrorCode.VIR_ERR_OPERATION_FAILED, `${where}: script exited with ${String(exitCode)}: ${stderr.trim().slice(-2000)}`));
        });
        channel.end(script.endsWith('\n') ? script : `${script}\n`);
      });
    });
    client.connect({
      host: login.host,
      port,
      username: login.username,
      ...(login.password === undefined ? {} : { password: login.password }),
      ...(login.privateKey === undefined ? {} : { privateKey: login.privateKey }),
      ...(login.passphrase === undefined ? {} : { passphrase: login.passphrase }),
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
}
