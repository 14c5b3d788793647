import { describe, expect, it } from 'vitest';
import { templateFootprint } from '../../core/test/templates/fixtures.js';
import { deployInput } from '../../core/test/vms/vm-fixtures.js';
import { call, callAsync } from './support/core-api.js';
import { deployParams, vmApi, type VmApiFixture } from './support/vm-api.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{4}$/;

type Row = Record<string, unknown>;

/** The VM API fixture with a Running VM of alice's, its ROOT volume, a snapshot of it and the CentOS OS type. */
async function withRootSnapshot() {
  const f = await vmApi();
  const alice = f.t.cloud.as(f.t.as.alice);
  const vm = await alice.vms.deploy(deployInput(f.t, { name: 'golden-src' }));
  const [root] = (await alice.volumes.list({ virtualMachineId: vm.id, type: 'ROOT' })).items;
  if (root === undefined) throw new Error('the VM has no ROOT volume');
  const snapshot = await alice.snapshots.take({ volumeId: root.id });
  const osTypeId = (await f.t.cloud.system.osTypes.list({ description: 'CentOS 6.3 (64-bit)' }))[0]?.id ?? '';
  return { f, alice, vm, root, snapshot, osTypeId };
}

function job(f: VmApiFixture, params: Record<string, string>) {
  return callAsync({ api: f.api, cloud: f.t.cloud }, f.alice, params);
}

describe('createTemplate (async-create) over a real core cloud', () => {
  it('from a snapshot: answers {id, jobid} with the template already recorded; the job answers it ready with 4.1 field names, and it deploys', async () => {
    const { f, snapshot, osTypeId } = await withRootSnapshot();
    const accepted = await call(f.api, f.alice, { command: 'createTemplate', name: 'golden', displayText: 'Golden image', osTypeId, snapshotId: snapshot.id, passwordEnabled: 'true' });
    expect(accepted.status).toBe(200);
    expect(Object.keys(accepted.json)).toEqual(['createtemplateresponse']);
    expect(Object.keys(accepted.body)).toEqual(['id', 'jobid']);
    const id = String(accepted.body.id);
    expect(id).toMatch(UUID);
    // The template exists before the API's job answers (async-create); the job's instance is the template.
    expect((await f.t.cloud.system.templates.list({ templateFilter: 'all', id })).items.map((t) => t.name)).toEqual(['golden']);
    expect(await f.t.cloud.system.jobs.get(String(accepted.body.jobid))).toMatchObject({ instanceType: 'Template', instanceId: id });

    await f.t.cloud.system.jobs.wait(String(accepted.body.jobid));
    const result = await call(f.api, f.alice, { command: 'queryAsyncJobResult', jobid: String(accepted.body.jobid) });
    expect(result.body).toMatchObject({ jobstatus: 1, jobresultcode: 0, jobresulttype: 'object', cmd: 'createTemplate' });
    const template = (result.body.jobresult as { template: Row }).template;
    expect(template).toEqual({
      id,
      name: 'golden',
      displaytext: 'Golden image',
      ispublic: false,
      created: expect.stringMatching(DATE) as unknown,
      isready: true,
      bootable: true,
      isfeatured: false,
      crossZones: false,
      ostypeid: osTypeId,
      ostypename: 'CentOS 6.3 (64-bit)',
      accountid: f.t.accounts.alice.account.id,
      account: 'alice',
      zoneid: f.t.zone.id,
      zonename: 'basic',
      status: 'Download Complete',
      size: snapshot.volumeSize,
      domain: 'Comp1',
      domainid: f.t.domains.comp1.id,
      isextractable: false,
      passwordenabled: true,
      format: 'QCOW2',
      templatetype: 'USER',
      hypervisor: 'Simulator',
      sshkeyenabled: false,
    });
    // Libcloud reads the same object from listTemplates; the new template deploys.
    const listed = await call(f.api, f.alice, { command: 'listTemplates', templatefilter: 'self', id });
    expect(listed.body).toEqual({ count: 1, template: [template] });
    const deployed = await job(f, deployParams(f, { templateid: id, name: 'from-golden' }));
    expect((deployed.result.jobresult as { virtualmachine: Row }).virtualmachine).toMatchObject({ templateid: id, templatename: 'golden', state: 'Running' });
  });

  it('from the ROOT volume of a stopped VM; refused at accept while the VM runs, leaving nothing behind', async () => {
    const { f, alice, vm, root, osTypeId } = await withRootSnapshot();
    const before = await templateFootprint(f.t.cloud);
    const running = await call(f.api, f.alice, { command: 'createTemplate', name: 'live', displaytext: 'Live', ostypeid: osTypeId, volumeid: root.id });
    expect(running.status).toBe(431);
    expect(String(running.body.errortext)).toMatch(/stop it/);
    expect(await templateFootprint(f.t.cloud)).toEqual(before);

    await alice.vms.stop({ id: vm.id });
    const { accepted, result } = await job(f, { command: 'createTemplate', name: 'from-root', displaytext: 'From root', ostypeid: osTypeId, volumeid: root.id });
    expect((result.jobresult as { template: Row }).template).toMatchObject({ id: accepted.id, name: 'from-root', isready: true, size: root.size, templatetype: 'USER' });
  });

  it('refuses bad sources, unsupported parameters, a user\'s featured template and the limit at accept, leaving nothing behind', async () => {
    const { f, root, snapshot, osTypeId } = await withRootSnapshot();
    const base = { command: 'createTemplate', name: 'x', displaytext: 'x', ostypeid: osTypeId };
    const before = await templateFootprint(f.t.cloud);
    const refusals: [Record<string, string>, number, RegExp][] = [
      [{ command: 'createTemplate', displaytext: 'x', ostypeid: osTypeId, snapshotid: snapshot.id }, 431, /name/],
      [{ command: 'createTemplate', name: 'x', displaytext: 'x', snapshotid: snapshot.id }, 431, /ostypeid/],
      [base, 431, /snapshotid/],
      [{ ...base, snapshotid: snapshot.id, volumeid: root.id }, 431, /volumeid/],
      [{ ...base, snapshotid: '4b0e2f7e-1c55-4d7a-9e61-0d7f3f0b9c21' }, 431, /snapshotid/],
      [{ ...base, ostypeid: '4b0e2f7e-1c55-4d7a-9e61-0d7f3f0b9c21', snapshotid: snapshot.id }, 431, /ostypeid/],
      [{ ...base, snapshotid: snapshot.id, virtualmachineid: root.virtualMachineId ?? '' }, 431, /virtualmachineid/],
      [{ ...base, snapshotid: snapshot.id, url: 'cifs://share/templates' }, 431, /url/],
      [{ ...base, snapshotid: snapshot.id, templatetag: 'gold' }, 431, /templatetag/],
      [{ ...base, snapshotid: snapshot.id, isfeatured: 'true' }, 531, /featured/],
    ];
    for (const [params, status, text] of refusals) {
      const reply = await call(f.api, f.alice, params);
      expect({ params, status: reply.status, jobid: reply.body.jobid }).toEqual({ params, status, jobid: undefined });
      expect(String(reply.body.errortext)).toMatch(text);
    }
    const foreign = await call(f.api, f.bob, { ...base, snapshotid: snapshot.id });
    expect(foreign.status).toBe(431);
    expect(String(foreign.body.errortext)).toMatch(/snapshotid/);
    await f.t.cloud.system.resourceLimits.update({ accountId: f.t.accounts.alice.account.id, resourceType: 'template', max: 0 });
    const limited = await templateFootprint(f.t.cloud);
    expect((await call(f.api, f.alice, { ...base, snapshotid: snapshot.id })).status).toBe(532);
    expect(await templateFootprint(f.t.cloud)).toEqual(limited);
    expect(limited.templates).toBe(before.templates);
    expect(limited.jobs).toBe(before.jobs);
  });

  it('a failed write to secondary storage fails the job (530 with the reason); the template is not ready', async () => {
    const { f, snapshot, osTypeId } = await withRootSnapshot();
    const fault = f.t.sim.lab.faults.fail('createTemplateFromDisk', undefined, 'secondary storage is full');
    const { accepted, result } = await job(f, { command: 'createTemplate', name: 'broken', displaytext: 'Broken', ostypeid: osTypeId, snapshotid: snapshot.id });
    fault.clear();
    expect(result).toMatchObject({ jobstatus: 2, jobresultcode: 530, cmd: 'createTemplate' });
    expect(String((result.jobresult as Row).errortext)).toMatch(/secondary storage is full/);
    const rows = (await call(f.api, f.alice, { command: 'listTemplates', templatefilter: 'self', id: String(accepted.id) })).body.template as Row[];
    expect(rows.map((r) => [r.isready, r.status])).toEqual([[false, expect.stringMatching(/secondary storage is full/) as unknown]]);
  });
});
