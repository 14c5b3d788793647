import { vmCloud, type VmCloud } from '../../../core/test/vms/vm-fixtures.js';
import { CloudStackApi, coreAuthenticator } from '../../src/index.js';
import { keyedUser } from './core-api.js';
import type { TestUser } from './test-authenticator.js';

/**
 * Core's VM cloud (a basic zone with a simulator cluster of two hosts, a 10-address direct
 * guest range, a DOWNLOADED public `centos` template and a `small` offering) behind the API,
 * with API keys for the root admin, `alice` (user in `/Comp1/`), `bob` (user in `/Comp2/`) and
 * `admin1` (domain admin of `/Comp1/`).
 */
export interface VmApiFixture {
  /** The core fixture: cloud, simulator, zone, template, offering, hosts, range. */
  readonly t: VmCloud;
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

/** Builds the VM API fixture. */
export async function vmApi(options: { hosts?: number; guestAddresses?: number } = {}): Promise<VmApiFixture> {
  const t = await vmCloud(options);
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

/** The deployVirtualMachine parameters for the fixture's zone, template and offering. */
export function deployParams(f: VmApiFixture, extra: Readonly<Record<string, string>> = {}): Record<string, string> {
  return { command: 'deployVirtualMachine', zoneid: f.t.zone.id, templateid: f.t.template.id, serviceofferingid: f.t.offering.id, ...extra };
}
