import { createHash, generateKeyPairSync, randomBytes } from 'node:crypto';
import { execFile, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startManagementServer, type ManagementServer } from '../../src/management-server.js';
import type { ServerConfig } from '../../src/server-config.js';
import type { LogFields, ServerLog } from '../../src/log.js';

/** Debian's interpreter: a `python3` earlier on PATH may not see Debian's dist-packages. */
export const PYTHON = '/usr/bin/python3';

/** True when the run is CI's (`CI=true` or `CI=1`), where a missing client must fail, not skip. */
export const IN_CI = process.env.CI === 'true' || process.env.CI === '1';

/**
 * Whether `/usr/bin/python3` can import the given modules. Asked synchronously at collection time,
 * before any server runs in this process.
 */
export function pythonCanImport(...modules: readonly string[]): boolean {
  const probe = spawnSync(PYTHON, ['-c', `import ${modules.join(', ')}`], { timeout: 15_000, stdio: 'ignore' });
  return probe.status === 0;
}

/** One request line the server logged. */
export interface LoggedRequest {
  /** The command as sent. */
  readonly command: string | undefined;
  /** The calling user's id, once known. */
  readonly userId: string | undefined;
  /** The HTTP status answered. */
  readonly status: number | undefined;
}

/** API credentials of one user. */
export interface Credentials {
  /** The API key. */
  readonly apiKey: string;
  /** The secret key. */
  readonly secretKey: string;
  /** The user's id (for matching log lines). */
  readonly userId: string;
}

/** A demo server started in this process, with keys for its demo tenant and its root admin. */
export interface RunningServer {
  /** The server. */
  readonly server: ManagementServer;
  /** `http://127.0.0.1:<port>/client/api`. */
  readonly endpoint: string;
  /** The demo tenant (a user account in `/Demo/`). */
  readonly tenant: Credentials;
  /** The install-default root admin `admin` in `/`. */
  readonly admin: Credentials;
  /** The request lines logged so far. */
  readonly requests: () => LoggedRequest[];
}

function recordingLog(into: LoggedRequest[]): ServerLog {
  const keep = (message: string, fields: LogFields = {}): void => {
    if (message !== 'request') return;
    const { command, userId, status } = fields;
    into.push({
      command: typeof command === 'string' ? command : undefined,
      userId: typeof userId === 'string' ? userId : undefined,
      status: typeof status === 'number' ? status : undefined,
    });
  };
  return { info: keep, warn: keep, error: keep };
}

/**
 * Starts the example server as `DEMO=1` would (memory store, simulator, both demo zones and the
 * demo tenant) on an ephemeral port of 127.0.0.1, and registers API keys for the root admin.
 */
export async function startDemoServer(): Promise<RunningServer> {
  const logged: LoggedRequest[] = [];
  const config: ServerConfig = {
    port: 0,
    host: '127.0.0.1',
    databaseUrl: undefined,
    integrationPort: undefined,
    secretKey: randomBytes(32).toString('base64'),
    secretKeyGenerated: false,
    hypervisors: ['Simulator'],
    demo: true,
    serverId: 'ms-real-clients',
  };
  const server = await startManagementServer(config, recordingLog(logged));
  const demo = server.demoTenant;
  if (demo === undefined) throw new Error('DEMO is on but the server built no demo tenant');
  const system = server.cloud.system;
  const tenantUser = (await system.users.list({ listAll: true, username: demo.username })).items.find((u) => u.username === demo.username);
  const adminUser = (await system.users.list({ listAll: true, username: 'admin' })).items.find((u) => u.username === 'admin');
  if (tenantUser === undefined || adminUser === undefined) throw new Error('the demo user or the admin user is missing');
  const adminKeys = await system.users.registerKeys({ id: adminUser.id });
  return {
    server,
    endpoint: server.endpoint,
    tenant: { apiKey: demo.apiKey, secretKey: demo.secretKey, userId: tenantUser.id },
    admin: { apiKey: adminKeys.apiKey, secretKey: adminKeys.secretKey, userId: adminUser.id },
    requests: () => [...logged],
  };
}

/**
 * Runs `py/<script>` with `/usr/bin/python3`, handing it `input` as JSON in its first argument, and
 * parses the JSON it prints on stdout (typed by the caller, who knows the script). Asynchronous, so the in-process server keeps answering;
 * killed after `timeoutMs`.
 */
export function runClientScript<T>(script: string, input: Readonly<Record<string, unknown>>, timeoutMs = 60_000): Promise<T> {
  const path = fileURLToPath(new URL(`./py/${script}`, import.meta.url));
  return new Promise((resolve, reject) => {
    execFile(
      PYTHON,
      [path, JSON.stringify(input)],
      { timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024, env: { PATH: '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp', LANG: 'C.UTF-8', PYTHONDONTWRITEBYTECODE: '1', NO_PROXY: '127.0.0.1', no_proxy: '127.0.0.1' } },
      (error, stdout, stderr) => {
        if (error !== null) {
          reject(new Error(`${script} failed: ${error.message}\n--- stderr ---\n${stderr}\n--- stdout ---\n${stdout}`));
          return;
        }
        try {
          resolve(JSON.parse(stdout) as T);
        } catch (parseError) {
          reject(new Error(`${script} printed no JSON (${String(parseError)}):\n${stdout}\n--- stderr ---\n${stderr}`));
        }
      },
    );
  });
}

/** An OpenSSH public key line made here, with the MD5 fingerprint CloudStack shows for it. */
export interface OpenSshPublicKey {
  /** `ssh-ed25519 <base64> <comment>`. */
  readonly line: string;
  /** Colon-separated lower-case hex MD5 of the key blob. */
  readonly fingerprint: string;
}

/** A fresh ed25519 public key as an OpenSSH line (its base64 holds `+`, `/` or `=` often enough to matter). */
export function openSshPublicKey(comment: string): OpenSshPublicKey {
  const { publicKey } = generateKeyPairSync('ed25519');
  const raw = Buffer.from(publicKey.export({ format: 'jwk' }).x ?? '', 'base64url');
  const sshString = (bytes: Buffer): Buffer => Buffer.concat([Buffer.from([0, 0, 0, bytes.length]), bytes]);
  const blob = Buffer.concat([sshString(Buffer.from('ssh-ed25519')), sshString(raw)]);
  const fingerprint = createHash('md5').update(blob).digest('hex').match(/../g)?.join(':') ?? '';
  return { line: `ssh-ed25519 ${blob.toString('base64')} ${comment}`, fingerprint };
}
