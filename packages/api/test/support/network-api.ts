import { networkCloud, type NetworkCloud } from '../../../core/test/networks/network-fixtures.js';
import { CloudStackApi, coreAuthenticator } from '../../src/index.js';
import { call, callAsync, keyedUser } from './core-api.js';
import type { TestUser } from './test-authenticator.js';

/**
 * Core's network cloud (an advanced zone on the simulator: guest VLANs 100–109, public range
 * 203.0.113.10–29, two hosts, a `centos` template and a `small` offering) behind the API, with
 * API keys for the root admin, `alice` and `bob` (users of `/Comp1/` and `/Comp2/`) and `admin1`
 * (domain admin of `/Comp1/`).
 */
export interface NetworkApiFixture {
  /** The core fixture. */
  readonly t: NetworkCloud;
  /** The API over it. */
  readonly api: CloudStackApi;
  /** The first-boot root admin. */
  readonly admin: TestUser;
  /** A user of `/Comp1/`. */
  readonly alice: TestUser;
  /** A user of `/Comp2/`. */
  readonly bob: TestUser;
  /** The domain admin of `/Comp1/`. */
  readonly admin1: TestUser;
}

/** Builds the network API fixture. */
export async function networkApi(options: Parameters<typeof networkCloud>[0] = {}): Promise<NetworkApiFixture> {
  const t = await networkCloud(options);
  const api = new CloudStackApi({ cloud: t.cloud, authenticator: coreAuthenticator(t.cloud) });
  const adminView = (await t.cloud.system.users.list({ username: 'admin', listAll: true })).items[0];
  if (adminView === undefined) throw new Error('the first-boot admin is missing');
  return {
    t,
    api,
    admin: await keyedUser(t.cloud, adminView.id, 'password', '/'),
    alice: await keyedUser(t.cloud, t.accounts.alice.user.id, 'alice-pw-1', '/Comp1/'),
    bob: await keyedUser(t.cloud, t.accounts.bob.user.id, 'bob-pw-1', '/Comp2/'),
    admin1: await keyedUser(t.cloud, t.accounts.admin1.user.id, 'admin1-pw-1', '/Comp1/'),
  };
}

/** A reply row. */
export type Row = Record<string, unknown>;

/** Runs an async command through the API and waits for its job; the job's `queryAsyncJobResult` reply. */
export function job(f: NetworkApiFixture, who: TestUser, params: Readonly<Record<string, string>>) {
  return callAsync({ api: f.api, cloud: f.t.cloud }, who, params);
}

/** A list command's rows and count (status 200 expected by the caller). */
export async function rows(f: NetworkApiFixture, who: TestUser, params: Readonly<Record<string, string>>): Promise<{ status: number; count: unknown; items: Row[]; body: Row }> {
  const reply = await call(f.api, who, params);
  const key = Object.keys(reply.body).find((k) => k !== 'count');
  return { status: reply.status, count: reply.body.count, items: key === undefined ? [] : ((reply.body[key] as Row[] | undefined) ?? []), body: reply.body };
}

/** Deploys a VM through the API (started) and returns its id. */
export async function deployVm(f: NetworkApiFixture, who: TestUser, extra: Readonly<Record<string, string>> = {}): Promise<{ id: string; vm: Row }> {
  const { accepted, result } = await job(f, who, { command: 'deployVirtualMachine', zoneid: f.t.zone.id, templateid: f.t.template.id, serviceofferingid: f.t.offering.id, ...extra });
  if (result.jobstatus !== 1) throw new Error(`deploy failed: ${JSON.stringify(result)}`);
  return { id: String(accepted.id), vm: (result.jobresult as { virtualmachine: Row }).virtualmachine };
}
