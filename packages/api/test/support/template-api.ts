import { JobRunner, Role, type Cloud } from '@cloudstack-sdk/core';
import { createSimulator, type Simulator } from '../../../driver-simulator/src/index.js';
import { createTestCloud } from '../../../core/test/support/test-cloud.js';
import { advancedZone } from '../../../core/test/infrastructure/fixtures.js';
import { CloudStackApi, coreAuthenticator } from '../../src/index.js';
import { keyedUser, type CoreApiFixture } from './core-api.js';
import type { TestUser } from './test-authenticator.js';

/**
 * The API fixture with two zones, each with NFS secondary storage, the simulator (to publish
 * images its storage driver downloads), a second user `bob` in `/child/`, and a guest OS type.
 */
export interface TemplateApiFixture extends CoreApiFixture {
  /** The simulator, whose lab serves the images registrations download. */
  readonly sim: Simulator;
  /** A second plain user, `bob` of `bob-account` in `/child/`. */
  readonly other: TestUser;
  /** The two zones' ids. */
  readonly zoneIds: readonly [string, string];
  /** The id of `CentOS 6.3 (64-bit)`. */
  readonly osTypeId: string;
}

/** Builds the template fixture. */
export async function templateApi(): Promise<TemplateApiFixture> {
  const sim = createSimulator({ hypervisorTypes: ['Simulator', 'KVM'] });
  const cloud = await createTestCloud({ hypervisors: sim.hypervisors, storage: sim.storage });
  const system = cloud.system;
  const api = new CloudStackApi({ cloud, authenticator: coreAuthenticator(cloud) });
  const adminView = (await system.users.list({ username: 'admin', listAll: true })).items[0];
  if (adminView === undefined) throw new Error('the first-boot admin is missing');
  const child = await system.domains.create({ name: 'child' });
  const person = (name: string, role: Role = Role.User) =>
    system.accounts.create({ role, accountName: `${name}-account`, domainId: child.id, username: name, password: `${name}-secret`, firstName: name, lastName: 'Tester', email: `${name}@example.org` });
  const alice = await person('alice');
  const bob = await person('bob');
  const dave = await person('dave', Role.DomainAdmin);
  const z1 = (await advancedZone(system, 1)).zone;
  const z2 = (await advancedZone(system, 2)).zone;
  await system.secondaryStorage.addSecondaryStorage({ zoneId: z1.id, url: 'nfs://nfs1/export/secondary' });
  await system.secondaryStorage.addSecondaryStorage({ zoneId: z2.id, url: 'nfs://nfs2/export/secondary' });
  const osTypeId = (await system.osTypes.list({ description: 'CentOS 6.3 (64-bit)' }))[0]?.id;
  if (osTypeId === undefined) throw new Error('the seeded OS types are missing');
  return {
    cloud,
    api,
    system,
    sim,
    admin: await keyedUser(cloud, adminView.id, 'password', '/'),
    user: await keyedUser(cloud, alice.user.id, 'alice-secret', '/child/'),
    other: await keyedUser(cloud, bob.user.id, 'bob-secret', '/child/'),
    domainAdmin: await keyedUser(cloud, dave.user.id, 'dave-secret', '/child/'),
    zoneIds: [z1.id, z2.id],
    osTypeId,
  };
}

/** Publishes an image in the simulator's lab and returns its URL. */
export function publishImage(sim: Simulator, name: string, extension = 'qcow2'): string {
  const url = `http://images.example.com/${name}.${extension}`;
  sim.lab.publishImage(url, { content: `image ${name}` });
  return url;
}

/** Waits for every job of the cloud (downloads, copies, removals). */
export async function settle(cloud: Cloud): Promise<void> {
  await cloud.container.resolve(JobRunner).drain();
}
