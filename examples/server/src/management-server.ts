import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CloudStackApi, coreAuthenticator, createApiServer, startIntegrationServer } from '@cloudstack-sdk/api';
import { ManagementServerMonitor, MemoryServerRegistry, createCloud, type Cloud, type ServerRegistry, type Store } from '@cloudstack-sdk/core';
import type { Simulator } from '@cloudstack-sdk/driver-simulator';
import { MysqlStore } from '@cloudstack-sdk/store-mysql';
import { startBackgroundTasks } from './background-tasks.js';
import { buildDemoZones } from './demo-cloud.js';
import { buildDemoTemplate } from './demo-template.js';
import { buildDemoTenant, type DemoTenant } from './demo-tenant.js';
import { driversFor } from './drivers.js';
import type { ServerLog } from './log.js';
import type { ServerConfig } from './server-config.js';

/** A running management server. */
export interface ManagementServer {
  /** The cloud it serves. */
  readonly cloud: Cloud;
  /** The API. */
  readonly api: CloudStackApi;
  /** `http://host:port/client/api`. */
  readonly endpoint: string;
  /** The integration port's address, when it is on. */
  readonly integrationEndpoint: string | undefined;
  /** The demo tenant, when `DEMO=1`. */
  readonly demoTenant: DemoTenant | undefined;
  /** The simulator behind `http://sim/<name>` hosts and its image server (tests publish images on it). */
  readonly simulator: Simulator;
  /** Stops accepting requests, lets running jobs finish, then closes the store. */
  close(): Promise<void>;
}

function endpointOf(server: Server, host: string): string {
  const { port } = server.address() as AddressInfo;
  const shown = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  return `http://${shown}:${port}/client/api`;
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
  });
}

/**
 * Builds the cloud from configuration (memory or MySQL store, drivers by hypervisor type),
 * serves the CloudStack API on `PORT` and, when configured, the integration port on
 * 127.0.0.1, runs the expunge and reconciliation sweeps, and logs one line per request.
 */
export async function startManagementServer(config: ServerConfig, log: ServerLog): Promise<ManagementServer> {
  const drivers = driversFor(config.hypervisors);
  const mysql = config.databaseUrl === undefined ? undefined : new MysqlStore(config.databaseUrl);
  const store: Store | undefined = mysql;
  const cloud = await createCloud({
    ...(store === undefined ? {} : { store }),
    hypervisors: drivers.hypervisors,
    storage: drivers.storage,
    serverId: config.serverId,
    secrets: { activeKeyId: 'k1', keys: { k1: config.secretKey } },
    logger: log,
    ...(config.integrationPort === undefined ? {} : { config: { 'integration.api.port': config.integrationPort } }),
  });

  const demoTenant = config.demo ? await buildDemo(cloud, drivers.simulator, log) : undefined;
  const api = new CloudStackApi({
    cloud,
    authenticator: coreAuthenticator(cloud),
    onRequest: (entry) => log.info('request', { ...entry }),
  });
  const server = createApiServer(api);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const tasks = await startBackgroundTasks(cloud, log);
  // Several servers may share one MySQL store: heartbeat, and take over the work of a server
  // whose heartbeat stops. On the memory store this server is alone, but runs the same monitor.
  const registry: ServerRegistry = mysql?.serverRegistry ?? new MemoryServerRegistry();
  const monitor = new ManagementServerMonitor(cloud, registry);
  for (const takeover of await monitor.start()) log.warn('took over a stopped management server', { ...takeover });
  const integration = await startIntegrationServer(api, config.integrationPort === undefined ? {} : { port: config.integrationPort });
  const endpoint = endpointOf(server, config.host);
  const integrationEndpoint = integration === undefined ? undefined : endpointOf(integration, '127.0.0.1');
  log.info('management server started', {
    serverId: cloud.serverId,
    endpoint,
    integrationEndpoint,
    store: store === undefined ? 'memory' : 'mysql',
    hypervisors: config.hypervisors,
  });

  return {
    cloud,
    api,
    endpoint,
    integrationEndpoint,
    demoTenant,
    simulator: drivers.simulator,
    async close() {
      await Promise.all([closeServer(server), integration === undefined ? undefined : closeServer(integration)]);
      await tasks.stop();
      await monitor.stop();
      await cloud.close();
      log.info('management server stopped', { serverId: cloud.serverId });
    },
  };
}

async function buildDemo(cloud: Cloud, simulator: Simulator, log: ServerLog): Promise<DemoTenant> {
  const zones = await buildDemoZones(cloud.system);
  const template = await buildDemoTemplate(cloud, simulator.lab);
  const tenant = await buildDemoTenant(cloud.system);
  log.info('demo cloud built', {
    zones: [zones.basic.name, zones.advanced.name],
    hosts: zones.hosts,
    template: template.name,
    tenant: `${tenant.domainPath}${tenant.username}`,
  });
  return tenant;
}
