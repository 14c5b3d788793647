import { createServer, type Server } from 'node:http';
import type { CloudStackApi } from '../cloudstack-api.js';
import { toNodeListener } from './node-adapter.js';

/** Options of {@link startIntegrationServer}. */
export interface IntegrationServerOptions {
  /** Address to bind; loopback (`127.0.0.1`) by default, as the port has no authentication. */
  readonly host?: string;
  /** The port; `integration.api.port` from configuration by default. */
  readonly port?: number;
}

/**
 * Starts the unauthenticated integration listener (reference §1.4) when a port is configured
 * (`integration.api.port`, or `options.port`), bound to 127.0.0.1 unless told otherwise. Every
 * request runs as SYSTEM. Resolves to the listening server, or undefined when no port is set.
 */
export async function startIntegrationServer(api: CloudStackApi, options: IntegrationServerOptions = {}): Promise<Server | undefined> {
  const port = options.port ?? (await api.integrationPort());
  if (port === undefined) return undefined;
  const server = createServer(toNodeListener((request) => api.handleIntegration(request)));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  return server;
}
