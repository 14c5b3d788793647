import { Role, type Cloud, type CloudServices } from '@cloudstack-sdk/core';
import { CloudStackApi, coreAuthenticator, type CloudStackApiOptions } from '../../src/index.js';
import { simulatedCloud } from '../../../core/test/infrastructure/fixtures.js';
import { callJson } from './api-fixture.js';
import type { TestUser } from './test-authenticator.js';

/** A cloud on the simulator, its API authenticated by core, and real users with API keys. */
export interface CoreApiFixture {
  readonly cloud: Cloud;
  readonly api: CloudStackApi;
  /** SYSTEM's services, to build and inspect state. */
  readonly system: CloudServices;
  /** The first-boot root admin `admin` in ROOT. */
  readonly admin: TestUser;
  /** A plain user `alice` of account `alice-account` in domain `/child/`. */
  readonly user: TestUser;
  /** A domain admin `dave` of account `dave-account` in `/child/`. */
  readonly domainAdmin: TestUser;
}

/** Registers keys for a user of core and describes it for signing. */
export async function keyedUser(cloud: Cloud, userId: string, password: string, domainPath: string): Promise<TestUser> {
  const keys = await cloud.system.users.registerKeys({ id: userId });
  const owner = await cloud.system.authentication.byApiKey(keys.apiKey);
  return {
    caller: owner.caller,
    username: owner.user.username,
    password,
    domainPath,
    accountName: owner.user.accountName,
    apiKey: keys.apiKey,
    secretKey: keys.secretKey,
  };
}

/** Builds the fixture: simulator hypervisors, core's authenticator, admin, a user and a domain admin. */
export async function coreApi(options: Partial<CloudStackApiOptions> = {}): Promise<CoreApiFixture> {
  const { cloud } = await simulatedCloud();
  const system = cloud.system;
  const api = new CloudStackApi({ cloud, authenticator: coreAuthenticator(cloud), ...options });
  const adminView = (await system.users.list({ username: 'admin', listAll: true })).items[0];
  if (adminView === undefined) throw new Error('the first-boot admin is missing');
  const admin = await keyedUser(cloud, adminView.id, 'password', '/');
  const child = await system.domains.create({ name: 'child' });
  const alice = await system.accounts.create({ accountName: 'alice-account', domainId: child.id, username: 'alice', password: 'alice-secret', firstName: 'Alice', lastName: 'Tester', email: 'alice@example.org' });
  const dave = await system.accounts.create({ role: Role.DomainAdmin, accountName: 'dave-account', domainId: child.id, username: 'dave', password: 'dave-secret', firstName: 'Dave', lastName: 'Admin', email: 'dave@example.org' });
  return {
    cloud,
    api,
    system,
    admin,
    user: await keyedUser(cloud, alice.user.id, 'alice-secret', '/child/'),
    domainAdmin: await keyedUser(cloud, dave.user.id, 'dave-secret', '/child/'),
  };
}

/** A signed JSON call: the status and the content under the response name. */
export async function call(api: CloudStackApi, user: TestUser, params: Readonly<Record<string, string>>): Promise<{ status: number; body: Record<string, unknown>; json: Record<string, Record<string, unknown>> }> {
  const { response, json } = await callJson(api, params, user);
  const [key] = Object.keys(json);
  return { status: response.status, body: key === undefined ? {} : (json[key] ?? {}), json };
}

/** Runs an async command and waits for its job: the job's `queryAsyncJobResult` reply. */
export async function callAsync(fixture: Pick<CoreApiFixture, 'api' | 'cloud'>, user: TestUser, params: Readonly<Record<string, string>>): Promise<{ accepted: Record<string, unknown>; result: Record<string, unknown> }> {
  const accepted = await call(fixture.api, user, params);
  if (accepted.status !== 200) throw new Error(`${params.command} refused: ${JSON.stringify(accepted.json)}`);
  const jobid = String(accepted.body.jobid);
  await fixture.cloud.system.jobs.wait(jobid);
  const result = await call(fixture.api, user, { command: 'queryAsyncJobResult', jobid });
  return { accepted: accepted.body, result: result.body };
}
