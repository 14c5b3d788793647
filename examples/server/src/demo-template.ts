import { createHash } from 'node:crypto';
import { JobRunner, type Cloud, type TemplateView } from '@cloudstack-sdk/core';
import type { SimulatorLab } from '@cloudstack-sdk/driver-simulator';

/** The demo template's name, as `listTemplates` and Libcloud's `list_images` show it. */
export const DEMO_TEMPLATE_NAME = 'CentOS 5.6(64-bit) no GUI (Simulator)';

/** Where the simulator serves the demo template's image. */
export const DEMO_TEMPLATE_URL = 'http://images.demo.cloud/centos-5.6-x86_64.qcow2';

/**
 * Publishes a small image on the simulator's web server, registers it as a public, featured,
 * password-enabled Simulator template in every zone (as CloudStack's built-in CentOS template
 * is), and waits until every zone has a DOWNLOADED copy, so a tester can deploy at once.
 */
export async function buildDemoTemplate(cloud: Cloud, lab: SimulatorLab): Promise<TemplateView> {
  const content = 'cloudstack-sdk demo image: CentOS 5.6 (64-bit), no GUI';
  lab.publishImage(DEMO_TEMPLATE_URL, { content, virtualSizeBytes: 2 * 1024 ** 3 });
  const admin = cloud.system;
  const osType = (await admin.osTypes.list({})).find((o) => o.description.startsWith('CentOS 5.6 (64-bit)')) ?? (await admin.osTypes.list({}))[0];
  if (osType === undefined) throw new Error('the OS type catalogue is empty');
  const template = await admin.templates.register({
    name: DEMO_TEMPLATE_NAME,
    displayText: DEMO_TEMPLATE_NAME,
    url: DEMO_TEMPLATE_URL,
    osTypeId: osType.id,
    format: 'QCOW2',
    hypervisor: 'Simulator',
    isPublic: true,
    isFeatured: true,
    passwordEnabled: true,
    checksum: createHash('md5').update(content).digest('hex'),
  });
  // The downloads run as jobs of this server; let them finish before the server answers.
  await cloud.container.resolve(JobRunner).drain();
  return template;
}
