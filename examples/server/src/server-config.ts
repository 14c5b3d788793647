import { randomBytes } from 'node:crypto';
import { HYPERVISOR_TYPES, invalidParameter, type HypervisorType } from '@cloudstack-sdk/core';

/** The example server's settings, read from the environment. */
export interface ServerConfig {
  /** Port of `/client/api` (`PORT`, 8080). */
  readonly port: number;
  /** Address to bind (`HOST`, all interfaces). */
  readonly host: string;
  /** `DATABASE_URL`: unset for the memory store, `mysql://…` for the MySQL store. */
  readonly databaseUrl: string | undefined;
  /** `INTEGRATION_API_PORT`: the unauthenticated SYSTEM port on 127.0.0.1, off when unset. */
  readonly integrationPort: number | undefined;
  /** `CLOUD_SECRET_KEY` (base64 of 32 bytes); generated when unset with the memory store. */
  readonly secretKey: string;
  /** True when the key was generated for this run (and must be printed for the operator). */
  readonly secretKeyGenerated: boolean;
  /** `HYPERVISORS`: comma-separated hypervisor types to register (`Simulator`). */
  readonly hypervisors: readonly HypervisorType[];
  /** `DEMO=1`: build the demo zones and tenant at start. */
  readonly demo: boolean;
  /** `SERVER_ID`: this management server's id (`ms-1`). */
  readonly serverId: string;
}

function portOf(name: string, raw: string | undefined, fallback: number | undefined): number | undefined {
  if (raw === undefined || raw === '') return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw invalidParameter(name, `must be a TCP port, got ${raw}`);
  return port;
}

/** Reads and checks the environment; a bad value names the variable. */
export function readServerConfig(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  const databaseUrl = env.DATABASE_URL === '' ? undefined : env.DATABASE_URL;
  if (databaseUrl !== undefined && !databaseUrl.startsWith('mysql://')) {
    throw invalidParameter('DATABASE_URL', 'must be a mysql:// URL (or unset for the memory store)');
  }
  let secretKey = env.CLOUD_SECRET_KEY ?? '';
  let secretKeyGenerated = false;
  if (secretKey === '') {
    if (databaseUrl !== undefined) throw invalidParameter('CLOUD_SECRET_KEY', 'is required with the MySQL store (base64 of 32 bytes)');
    secretKey = randomBytes(32).toString('base64');
    secretKeyGenerated = true;
  } else if (Buffer.from(secretKey, 'base64').length !== 32) {
    throw invalidParameter('CLOUD_SECRET_KEY', 'must be the base64 of 32 bytes');
  }
  const hypervisors = (env.HYPERVISORS ?? 'Simulator')
    .split(',')
    .map((h) => h.trim())
    .filter((h) => h !== '');
  for (const h of hypervisors) {
    if (!(HYPERVISOR_TYPES as readonly string[]).includes(h)) {
      throw invalidParameter('HYPERVISORS', `unknown hypervisor ${h} (known: ${HYPERVISOR_TYPES.join(', ')})`);
    }
  }
  return {
    port: portOf('PORT', env.PORT, 8080) as number,
    host: env.HOST ?? '0.0.0.0',
    databaseUrl,
    integrationPort: portOf('INTEGRATION_API_PORT', env.INTEGRATION_API_PORT, undefined),
    secretKey,
    secretKeyGenerated,
    hypervisors: hypervisors as HypervisorType[],
    demo: env.DEMO === '1' || env.DEMO === 'true',
    serverId: env.SERVER_ID ?? 'ms-1',
  };
}
