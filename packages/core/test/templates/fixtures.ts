import { createHash } from 'node:crypto';
import { createSimulator, type Simulator } from '../../../driver-simulator/src/index.js';
import { JobRunner, SYSTEM, type CallContext, type Cloud, type CloudOptions } from '../../src/index.js';
import { advancedZone } from '../infrastructure/fixtures.js';
import { tenantCloud } from '../accounts/tenants.js';

/** A tenant cloud (/Comp1/, /Comp1/sales/, /Comp2/) on the simulator with two zones, each with NFS secondary storage. */
export async function templateCloud(options: CloudOptions = {}) {
  const sim: Simulator = createSimulator({ hypervisorTypes: ['Simulator', 'KVM'] });
  const tenants = await tenantCloud({ hypervisors: sim.hypervisors, storage: sim.storage, ...options });
  const sys = tenants.cloud.system;
  const z1 = (await advancedZone(sys, 1)).zone;
  const z2 = (await advancedZone(sys, 2)).zone;
  const store1 = await sys.secondaryStorage.addSecondaryStorage({ zoneId: z1.id, url: 'nfs://nfs1/export/secondary' });
  const store2 = await sys.secondaryStorage.addSecondaryStorage({ zoneId: z2.id, url: 'nfs://nfs2/export/secondary' });
  const osTypeId = (await sys.osTypes.list({ description: 'CentOS 6.3 (64-bit)' }))[0]?.id ?? '';
  return { ...tenants, sim, zones: [z1, z2] as const, stores: [store1, store2] as const, osTypeId };
}

/** The template cloud type. */
export type TemplateCloud = Awaited<ReturnType<typeof templateCloud>>;

/** Publishes an image in the lab and returns its URL and digests. */
export function publish(sim: Simulator, name: string, content = `image ${name}`, steps = 0) {
  const url = `http://images.example.com/${name}.qcow2`;
  sim.lab.publishImage(url, { content, steps });
  const hex = (alg: string) => createHash(alg).update(content).digest('hex');
  return { url, md5: hex('md5'), sha1: hex('sha1'), sha256: hex('sha256') };
}

/** Waits for every job of the cloud (downloads, copies, removals). */
export async function settle(cloud: Cloud): Promise<void> {
  await cloud.container.resolve(JobRunner).drain();
}

/** Registers a KVM template for `caller` from a freshly published image. */
export async function registerTemplate(t: TemplateCloud, caller: CallContext, name: string, extra: Record<string, unknown> = {}) {
  const { url } = publish(t.sim, name);
  return t.cloud.as(caller).templates.register({ name, displayText: name, url, format: 'QCOW2', hypervisor: 'KVM', osTypeId: t.osTypeId, ...extra });
}

/** Copies of a template, straight from the store. */
export async function copiesOf(cloud: Cloud, templateId: string) {
  return cloud.store.transaction(async (tx) => (await tx.repo('templateCopies').find({ where: { templateId } })).items);
}

/** Row counts of the templates area, the jobs, and the template limit counters. */
export async function templateFootprint(cloud: Cloud) {
  return cloud.store.transaction(async (tx) => ({
    templates: await tx.repo('templates').count(),
    copies: await tx.repo('templateCopies').count(),
    permissions: await tx.repo('templatePermissions').count(),
    jobs: await tx.repo('jobs').count(),
    events: await tx.repo('events').count(),
    counters: JSON.stringify(Object.fromEntries([...(await tx.counters.list('limits:'))].filter(([k]) => k.endsWith(':template')))),
  }));
}

export { SYSTEM };
