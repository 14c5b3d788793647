// Signed list requests per second through CloudStackApi.handle() over real loopback HTTP, and
// the ratio to a bare node:http handler answering the same bytes on the same machine.
//
// The figure is signed listVirtualMachines with 500 Running VMs and pagesize 500 (a
// basic zone on the simulator: each VM row with its NIC, names beside ids and the pending-job
// check). The first figures, kept for comparison, are signed listEvents with 500 events.
// Both servers get the same bounded number of requests from the same keep-alive client.
// Prints `BENCH <name> <value> <unit>` lines; timings are printed, never asserted.
import { createHmac } from 'node:crypto';
import { Agent, createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { EventRecorder, Role, SYSTEM, createCloud, type CallContext } from '@cloudstack-sdk/core';
import { CloudStackApi, createApiServer, type ApiAuthenticator } from '../src/index.js';
import { vmBenchCloud } from './vm-bench-cloud.js';

const EVENTS = 500;
const WARMUP = 20;
const REQUESTS = 200;
const CONCURRENCY = 8;
const ADMIN: CallContext = { userId: 'a1f0c6a2-5f0e-4d6b-9a3e-1c2d3e4f5a60', accountId: 'b2e1d7b3-6a1f-4e7c-8b4f-2d3e4f5a6b71', domainId: SYSTEM.domainId, role: Role.RootAdmin };
const API_KEY = 'BenchApiKey';
const SECRET = 'BenchSecretKey';

/** One admin with an API key; logins are not benchmarked. */
const authenticator: ApiAuthenticator = {
  findByApiKey: async (apiKey) => (apiKey === API_KEY ? { caller: ADMIN, secretKey: SECRET } : undefined),
  login: async () => undefined,
};

function signedQuery(params: Record<string, string>, apiKey = API_KEY, secret = SECRET): string {
  const all = Object.entries({ ...params, apiKey }).sort((a, b) => (a[0] < b[0] ? -1 : 1));
  const text = all.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&').toLowerCase();
  const signature = createHmac('sha1', secret).update(text).digest('base64');
  return [...all, ['signature', signature]].map(([k, v]) => `${k}=${encodeURIComponent(v as string)}`).join('&');
}

const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });

function get(port: number, path: string): Promise<{ status: number; bytes: number }> {
  return new Promise((resolve, reject) => {
    request({ host: '127.0.0.1', port, path, agent }, (res) => {
      let bytes = 0;
      res.on('data', (chunk: Buffer) => (bytes += chunk.length));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, bytes }));
    })
      .on('error', reject)
      .end();
  });
}

async function requestsPerSecond(port: number, path: string, count: number): Promise<number> {
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < count) {
      next += 1;
      const reply = await get(port, path);
      if (reply.status !== 200) throw new Error(`HTTP ${reply.status} from ${path}`);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return count / ((performance.now() - started) / 1000);
}

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

const cloud = await createCloud({ passwordHashing: { N: 1024, r: 8, p: 1 } });
const recorder = cloud.container.resolve(EventRecorder);
await cloud.store.transaction(async (tx) => {
  for (let i = 0; i < EVENTS; i += 1) {
    await recorder.record(tx, ADMIN, { type: 'VM.CREATE', description: `Successfully created VM bench-${i}`, resourceType: 'VirtualMachine', resourceId: `vm-${i}` });
  }
});
const api = new CloudStackApi({ cloud, authenticator });
const path = `/client/api?${signedQuery({ command: 'listEvents', response: 'json', page: '1', pagesize: '500' })}`;

const apiServer = createApiServer(api);
const apiPort = await listen(apiServer);
const sample = await get(apiPort, path);
if (sample.status !== 200) throw new Error(`listEvents answered ${sample.status}`);
const replyBody = (await api.handle({ method: 'GET', path: '/client/api', query: path.split('?')[1] ?? '', headers: {} })).body;
const count = (JSON.parse(replyBody) as { listeventsresponse: { count: number } }).listeventsresponse.count;
if (count !== EVENTS) throw new Error(`expected ${EVENTS} events, got ${count}`);

const bareServer = createServer((_req, res) => {
  res.setHeader('content-type', 'text/javascript; charset=UTF-8');
  res.end(replyBody);
});
const barePort = await listen(bareServer);

await requestsPerSecond(apiPort, path, WARMUP);
await requestsPerSecond(barePort, path, WARMUP);
const apiRate = await requestsPerSecond(apiPort, path, REQUESTS);
const bareRate = await requestsPerSecond(barePort, path, REQUESTS);

let inProcess = 0;
const started = performance.now();
const query = path.split('?')[1] ?? '';
for (let i = 0; i < REQUESTS; i += 1) {
  const reply = await api.handle({ method: 'GET', path: '/client/api', query, headers: {} });
  if (reply.status === 200) inProcess += 1;
}
const inProcessRate = inProcess / ((performance.now() - started) / 1000);

console.log(`BENCH api.signed_list_events_500_http ${apiRate.toFixed(0)} requests/s`);
console.log(`BENCH api.bare_node_http_same_reply ${bareRate.toFixed(0)} requests/s`);
console.log(`BENCH api.signed_list_to_bare_http_ratio ${(apiRate / bareRate).toFixed(3)} ratio`);
console.log(`BENCH api.signed_list_events_500_in_process ${inProcessRate.toFixed(0)} requests/s`);
console.log(`BENCH api.list_events_500_reply_size ${(sample.bytes / 1024).toFixed(1)} KiB`);

// listVirtualMachines: 500 Running VMs of the root admin's account, one page of 500.
const VMS = 500;
const vms = await vmBenchCloud(VMS);
const vmApi = new CloudStackApi({ cloud: vms.cloud, authenticator: vms.authenticator });
const vmPath = `/client/api?${signedQuery({ command: 'listVirtualMachines', response: 'json', page: '1', pagesize: '500' }, vms.apiKey, vms.secretKey)}`;
const vmServer = createApiServer(vmApi);
const vmPort = await listen(vmServer);
const vmSample = await get(vmPort, vmPath);
if (vmSample.status !== 200) throw new Error(`listVirtualMachines answered ${vmSample.status}`);
const vmBody = (await vmApi.handle({ method: 'GET', path: '/client/api', query: vmPath.split('?')[1] ?? '', headers: {} })).body;
const vmReply = (JSON.parse(vmBody) as { listvirtualmachinesresponse: { count: number; virtualmachine: { state: string; nic: { ipaddress?: string }[] }[] } }).listvirtualmachinesresponse;
if (vmReply.count !== VMS || vmReply.virtualmachine.length !== VMS) throw new Error(`expected ${VMS} VMs, got ${vmReply.count}`);
if (!vmReply.virtualmachine.every((vm) => vm.state === 'Running' && vm.nic[0]?.ipaddress !== undefined)) throw new Error('every VM should be Running with an address');
const bareVmServer = createServer((_req, res) => {
  res.setHeader('content-type', 'text/javascript; charset=UTF-8');
  res.end(vmBody);
});
const bareVmPort = await listen(bareVmServer);
await requestsPerSecond(vmPort, vmPath, WARMUP);
await requestsPerSecond(bareVmPort, vmPath, WARMUP);
const vmRate = await requestsPerSecond(vmPort, vmPath, REQUESTS);
const bareVmRate = await requestsPerSecond(bareVmPort, vmPath, REQUESTS);

console.log(`BENCH api.signed_list_virtual_machines_500_http ${vmRate.toFixed(0)} requests/s`);
console.log(`BENCH api.bare_node_http_same_vm_reply ${bareVmRate.toFixed(0)} requests/s`);
console.log(`BENCH api.signed_list_virtual_machines_to_bare_http_ratio ${(vmRate / bareVmRate).toFixed(3)} ratio`);
console.log(`BENCH api.list_virtual_machines_500_reply_size ${(vmSample.bytes / 1024).toFixed(1)} KiB`);

agent.destroy();
await Promise.all([apiServer, bareServer, vmServer, bareVmServer].map((s) => new Promise((resolve) => s.close(resolve))));
await cloud.close();
await vms.cloud.close();
