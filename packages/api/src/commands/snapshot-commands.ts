import { SnapshotIntervalType, invalidParameter, missingParameter } from '@cloudstack-sdk/core';
import { param } from '../params/param-types.js';
import { NameLookup } from '../response/name-lookup.js';
import { snapshotPolicyView, snapshotView } from '../response/snapshot-views.js';
import { catalogFacts } from './catalog.js';
import { defineCommand, type CommandContext, type CommandDeclaration } from './command.js';
import { defined } from './defined.js';
import { PAGING_PARAMS, SCOPING_PARAMS, pagingInput, scopingInput } from './list-params.js';
import { unsupportedParameter } from './vm-support.js';
import { visibleVolume } from './volume-support.js';

const SNAPSHOT_FIELDS = [
  { name: 'id', description: 'ID of the snapshot', type: 'string' },
  { name: 'account', description: 'the account associated with the snapshot', type: 'string' },
  { name: 'domainid', description: 'the domain ID of the snapshot\'s account', type: 'string' },
  { name: 'domain', description: 'the domain name of the snapshot\'s account', type: 'string' },
  { name: 'snapshottype', description: 'the type of the snapshot', type: 'string' },
  { name: 'volumeid', description: 'ID of the disk volume', type: 'string' },
  { name: 'volumename', description: 'name of the disk volume', type: 'string' },
  { name: 'volumetype', description: 'type of the disk volume', type: 'string' },
  { name: 'created', description: 'the date the snapshot was created', type: 'date' },
  { name: 'name', description: 'name of the snapshot', type: 'string' },
  { name: 'intervaltype', description: 'valid types are hourly, daily, weekly, monthy, template, and none.', type: 'string' },
  { name: 'state', description: 'the state of the snapshot. BackedUp means that snapshot is ready to be used; Creating - the snapshot is being allocated on the primary storage; BackingUp - the snapshot is being backed up on secondary storage', type: 'string' },
] as const;

const POLICY_FIELDS = [
  { name: 'id', description: 'the ID of the snapshot policy', type: 'string' },
  { name: 'volumeid', description: 'the ID of the disk volume', type: 'string' },
  { name: 'schedule', description: 'time the snapshot is scheduled to be taken.', type: 'string' },
  { name: 'intervaltype', description: 'the interval type of the snapshot policy', type: 'short' },
  { name: 'maxsnaps', description: 'maximum number of snapshots retained', type: 'int' },
  { name: 'timezone', description: 'the time zone of the snapshot policy', type: 'string' },
] as const;

const INTERVALS = new Map(SnapshotIntervalType.options.map((i) => [i.toLowerCase(), i]));

/**
 * `listSnapshots` (list, everyone): the caller's snapshots by the scoping rule of reference §2.5,
 * filtered by `id`, `name`, `volumeid`, `snapshottype` (`MANUAL` or `RECURRING`),
 * `intervaltype` and `keyword`; other values of the two type filters match nothing.
 */
export const listSnapshots = defineCommand({
  ...catalogFacts('listSnapshots'),
  kind: 'list',
  objectName: 'snapshot',
  description: 'Lists all available snapshots for the account.',
  params: {
    id: param.uuid('lists snapshot by snapshot ID'),
    name: param.string('lists snapshot by snapshot name'),
    volumeid: param.uuid('the ID of the disk volume'),
    snapshottype: param.string('valid values are MANUAL or RECURRING.'),
    intervaltype: param.string('valid values are HOURLY, DAILY, WEEKLY, and MONTHLY.'),
    projectid: param.uuid('list objects by project'),
    ...SCOPING_PARAMS,
    ...PAGING_PARAMS,
  },
  response: SNAPSHOT_FIELDS,
  async execute(context, params) {
    if (params.projectid !== undefined) throw unsupportedParameter('projectid', 'projects are not supported by this cloud yet');
    const snapshotType = params.snapshottype?.toUpperCase();
    if (snapshotType !== undefined && snapshotType !== 'MANUAL' && snapshotType !== 'RECURRING') return { items: [], count: 0 };
    const intervalType = params.intervaltype === undefined ? undefined : INTERVALS.get(params.intervaltype.toLowerCase());
    if (params.intervaltype !== undefined && intervalType === undefined) return { items: [], count: 0 };
    const page = await context.services.snapshots.list({
      ...defined({ id: params.id, name: params.name, volumeId: params.volumeid, snapshotType, intervalType, keyword: params.keyword === '' ? undefined : params.keyword }),
      ...scopingInput(params),
      ...pagingInput(params),
    });
    const names = new NameLookup(context.cloud.system);
    const items = [];
    for (const snapshot of page.items) items.push(await snapshotView(snapshot, names, context.formatDate));
    return { items, count: page.total };
  },
});

/** A snapshot as the reply object of a command run by the context's caller. */
async function snapshotObject(context: CommandContext, snapshot: Parameters<typeof snapshotView>[0]) {
  return snapshotView(snapshot, new NameLookup(context.cloud.system), context.formatDate);
}

/**
 * `account`/`domainid` of `createSnapshot`: 4.1 declares them but a snapshot always belongs to
 * its volume's owner, so when given (together) they must name that owner — 431 naming the
 * parameter otherwise, rather than silently taking another owner's name.
 */
async function checkOwner(context: CommandContext, volumeId: string, account: string | undefined, domainId: string | undefined): Promise<void> {
  if (account === undefined && domainId === undefined) return;
  if (account === undefined) throw missingParameter('account');
  if (domainId === undefined) throw missingParameter('domainid');
  const volume = await visibleVolume(context, volumeId, 'volumeid');
  const owner = (await context.services.accounts.list({ name: account, domainId, listAll: true })).items.find((a) => a.name === account);
  if (owner === undefined) throw invalidParameter('account', `Unable to find account ${account} in domain ${domainId}`);
  if (owner.id !== volume.accountId) throw invalidParameter('account', `volume ${volume.name} belongs to another account; a snapshot belongs to its volume's owner`);
}

/**
 * `createSnapshot` (async-create, everyone; Libcloud's `create_volume_snapshot`). As in 4.1 the
 * snapshot row exists before the accept reply `{id, jobid}`: core records it `Allocated` (the
 * volume must be visible and `Ready` on a pool whose driver can snapshot, the policy the
 * volume's, the `snapshot` limit not reached — 431 / 534 / 532 leave nothing behind); the job
 * takes it through the storage driver and answers `{"snapshot":{…}}` `BackedUp`. A driver
 * failure fails the job (530 with the reason) and removes the snapshot, giving its count back.
 */
export const createSnapshot = defineCommand({
  ...catalogFacts('createSnapshot'),
  kind: 'async-create',
  objectName: 'snapshot',
  description: 'Creates an instant snapshot of a volume.',
  params: {
    volumeid: param.uuid('The ID of the disk volume', { required: true }),
    policyid: param.uuid('policy id of the snapshot, if this is null, then use MANUAL_POLICY.'),
    account: param.string('The account of the snapshot. The account parameter must be used with the domainId parameter.'),
    domainid: param.uuid('The domain ID of the snapshot. If used with the account parameter, specifies a domain for the account associated with the disk volume.'),
  },
  response: SNAPSHOT_FIELDS,
  related: ['listSnapshots', 'deleteSnapshot', 'createTemplate', 'createVolume'],
  async start(context, params) {
    await checkOwner(context, params.volumeid, params.account, params.domainid);
    const allocated = await context.services.snapshots.allocate({ volumeId: params.volumeid, ...defined({ policyId: params.policyid }) });
    return {
      instanceType: 'Snapshot',
      instanceId: allocated.id,
      async work() {
        return { type: 'object', object: await snapshotObject(context, await context.services.snapshots.backUp({ id: allocated.id })) };
      },
    };
  },
});

/**
 * `deleteSnapshot` (async, everyone): deletes a backed-up snapshot through the storage driver (or
 * an `Allocated` one whose take never ran, which has nothing on storage); the job answers success.
 */
export const deleteSnapshot = defineCommand({
  ...catalogFacts('deleteSnapshot'),
  kind: 'async',
  description: 'Deletes a snapshot of a disk volume.',
  params: { id: param.uuid('The ID of the snapshot', { required: true }) },
  async start(context, params) {
    await context.services.snapshots.get({ id: params.id });
    return {
      instanceType: 'Snapshot',
      instanceId: params.id,
      async work() {
        await context.services.snapshots.delete({ id: params.id });
        return { type: 'success' };
      },
    };
  },
});

/**
 * `createSnapshotPolicy` (sync, everyone): a recurring snapshot policy of a volume (an existing
 * policy of the same interval is updated, as in 4.1). The schedule is 4.1's: `MM` hourly,
 * `MM:HH` daily, `MM:HH:D` weekly, `MM:HH:DD` monthly; the time zone is an IANA name.
 */
export const createSnapshotPolicy = defineCommand({
  ...catalogFacts('createSnapshotPolicy'),
  kind: 'sync',
  objectName: 'snapshotpolicy',
  description: 'Creates a snapshot policy for the account.',
  params: {
    volumeid: param.uuid('the ID of the disk volume', { required: true }),
    intervaltype: param.oneOf('valid values are HOURLY, DAILY, WEEKLY, and MONTHLY', ['HOURLY', 'DAILY', 'WEEKLY', 'MONTHLY'] as const, { required: true }),
    schedule: param.string('time the snapshot is scheduled to be taken. Format is:* if HOURLY, MM* if DAILY, MM:HH* if WEEKLY, MM:HH:DD (1-7)* if MONTHLY, MM:HH:DD (1-28)', { required: true }),
    timezone: param.string('Specifies a timezone for this command.', { required: true }),
    maxsnaps: param.integer('maximum number of snapshots to retain', { required: true }),
  },
  response: POLICY_FIELDS,
  async execute(context, params) {
    const policy = await context.services.snapshotPolicies.create({ volumeId: params.volumeid, intervalType: params.intervaltype, schedule: params.schedule, timezone: params.timezone, maxSnaps: params.maxsnaps });
    return { type: 'object', object: snapshotPolicyView(policy) };
  },
});

/** `listSnapshotPolicies` (list, everyone): the policies of a volume (`volumeid` is required, as in 4.1). */
export const listSnapshotPolicies = defineCommand({
  ...catalogFacts('listSnapshotPolicies'),
  kind: 'list',
  objectName: 'snapshotpolicy',
  description: 'Lists snapshot policies.',
  params: { volumeid: param.uuid('the ID of the disk volume', { required: true }), ...PAGING_PARAMS },
  response: POLICY_FIELDS,
  async execute(context, params) {
    await visibleVolume(context, params.volumeid, 'volumeid');
    const page = await context.services.snapshotPolicies.list({ volumeId: params.volumeid, listAll: true, ...pagingInput(params) });
    return { items: page.items.map(snapshotPolicyView), count: page.total };
  },
});

/** `deleteSnapshotPolicies` (sync, everyone): deletes one policy (`id`) or several (`ids`); the snapshots they took stay. */
export const deleteSnapshotPolicies = defineCommand({
  ...catalogFacts('deleteSnapshotPolicies'),
  kind: 'sync',
  description: 'Deletes snapshot policies for the account.',
  params: {
    id: param.uuid('the Id of the snapshot policy'),
    ids: param.list('list of snapshots policy IDs separated by comma'),
  },
  async execute(context, params) {
    const ids = [...(params.id === undefined ? [] : [params.id]), ...(params.ids ?? [])];
    if (ids.length === 0) throw missingParameter('id');
    for (const id of ids) await context.services.snapshotPolicies.delete({ id });
    return { type: 'success' };
  },
});

/** The snapshot commands: create, list and delete snapshots, and create, list and delete policies. */
export const SNAPSHOT_COMMANDS: readonly CommandDeclaration[] = [createSnapshot, listSnapshots, deleteSnapshot, createSnapshotPolicy, listSnapshotPolicies, deleteSnapshotPolicies];
