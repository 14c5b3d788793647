// The example management server: the CloudStack 4.1 API over cloudstack-sdk, configured from the
// environment (see README). Memory store and simulator by default; nothing else to set up.
import { isCloudError } from '@cloudstack-sdk/core';
import { jsonLog } from './log.js';
import { startManagementServer } from './management-server.js';
import { readServerConfig } from './server-config.js';

const log = jsonLog();
try {
  const config = readServerConfig();
  if (config.secretKeyGenerated) {
    log.warn('CLOUD_SECRET_KEY was not set: generated one for this memory-store run', { CLOUD_SECRET_KEY: config.secretKey });
  }
  const server = await startManagementServer(config, log);
  console.log(`\ncloudstack-sdk management server at ${server.endpoint}`);
  console.log('  log in as admin / password in domain / (change the password: it is the install default)');
  if (server.integrationEndpoint !== undefined) console.log(`  unauthenticated integration port: ${server.integrationEndpoint}`);
  if (server.demoTenant !== undefined) {
    const t = server.demoTenant;
    console.log(`  demo tenant ${t.domainPath}${t.username} (password ${t.password})`);
    console.log(`    apiKey    ${t.apiKey}`);
    console.log(`    secretKey ${t.secretKey}`);
  }
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info('shutting down: finishing running jobs', { signal });
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        log.error('shutdown failed', { error: String(error) });
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
} catch (error) {
  if (isCloudError(error)) log.error(error.message, { code: error.code, param: error.param });
  else log.error('start-up failed', { error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  process.exit(1);
}
