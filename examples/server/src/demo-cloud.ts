import { createCloud, type Cloud, type CloudOptions, type Job } from '@cloudstack-sdk/core';

/** What the demo built, for printing. */
export interface DemoReport {
  /** The cloud, still running. */
  readonly cloud: Cloud;
  /** Configuration the demo set, as the registry now reports it. */
  readonly configuration: { name: string; value: string | undefined; source: string }[];
  /** The job the demo ran, as recorded. */
  readonly job: Job;
  /** Events recorded while building, oldest first. */
  readonly events: { type: string; description: string }[];
}

/** The guide's first global settings (install guide 4.5.x), as an admin sets them. */
const INITIAL_SETTINGS: Readonly<Record<string, string>> = {
  'management.network.cidr': '192.168.10.0/24',
  host: '192.168.10.5',
  'secstorage.allowed.internal.sites': '192.168.10.0/24',
  'expunge.delay': '60',
};

/**
 * Builds a demo cloud in memory: sets the guide's first global settings through the
 * configuration service, runs an async job to completion, and collects what was recorded.
 */
export async function buildDemoCloud(options: CloudOptions = {}): Promise<DemoReport> {
  const cloud = await createCloud(options);
  const admin = cloud.system;
  for (const [name, value] of Object.entries(INITIAL_SETTINGS)) await admin.config.update({ name, value });
  const configuration = (await admin.config.list()).filter((e) => e.name in INITIAL_SETTINGS || e.name === 'default.page.size');

  const { JobRunner, SYSTEM } = await import('@cloudstack-sdk/core');
  const runner = cloud.container.resolve(JobRunner);
  const submitted = await runner.submit(SYSTEM, { command: 'demo.checkConfiguration' }, async (progress) => {
    await progress(50);
    return { parameters: configuration.length };
  });
  const job = await admin.jobs.wait(submitted.id);
  const events = (await admin.events.list()).items.reverse().map((e) => ({ type: e.type, description: e.description }));
  return {
    cloud,
    configuration: configuration.map((e) => ({ name: e.name, value: e.value, source: e.source })),
    job,
    events,
  };
}
