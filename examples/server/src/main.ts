// The example management server. Until the HTTP API lands it builds the demo cloud in memory
// (memory store, no set-up) and prints what it built.
import { buildDemoCloud } from './demo-cloud.js';

const report = await buildDemoCloud();
console.log('cloudstack-sdk demo cloud (memory store)');
console.log(`management server: ${report.cloud.serverId}`);
console.log('\nconfiguration:');
for (const entry of report.configuration) console.log(`  ${entry.name} = ${entry.value ?? '(unset)'}  [${entry.source}]`);
console.log(`\njob ${report.job.id} ${report.job.command}: status ${report.job.status}, result ${JSON.stringify(report.job.result)}`);
console.log('\nevents:');
for (const event of report.events) console.log(`  ${event.type}  ${event.description}`);
await report.cloud.close();
