import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { TemplateDownloadSpec } from '@cloudstack-sdk/core';
import { SimulatedFault, SimulatorLab, SimulatorSecondaryStorage } from '../src/index.js';

function setup(steps = 0) {
  const lab = new SimulatorLab({ downloadPollMs: 7 });
  lab.sizeStore('nfs://nfs/sec', { capacityBytes: 1000, usedBytes: 0 });
  const driver = new SimulatorSecondaryStorage(lab);
  const store = { storeId: 's1', protocol: 'NFS' as const, url: 'nfs://nfs/sec' };
  lab.publishImage('http://img/a.qcow2', { content: 'hello image', steps, virtualSizeBytes: 500 });
  const spec: TemplateDownloadSpec = { store, templateId: 't1', installPath: 'template/tmpl/a/t1', format: 'QCOW2', url: 'http://img/a.qcow2', maxSizeBytes: 10_000 };
  return { lab, driver, store, spec };
}

describe('simulator template downloads', () => {
  it('declares its template capabilities', () => {
    expect([...new SimulatorSecondaryStorage(new SimulatorLab()).capabilities].sort()).toEqual(['copyTemplate', 'createTemplateFromDisk', 'deleteTemplate', 'downloadTemplate']);
  });

  it('downloads at once by default, using space on the store, idempotently', async () => {
    const { lab, driver, store, spec } = setup();
    await driver.addStore(store);
    const md5 = createHash('md5').update('hello image').digest('hex');
    const status = await driver.downloadTemplate({ ...spec, checksum: { algorithm: 'MD5', value: md5 } });
    expect(status).toMatchObject({ state: 'DOWNLOADED', percent: 100, sizeBytes: 500, physicalSizeBytes: 11, installPath: spec.installPath });
    expect(await driver.downloadTemplate(spec)).toMatchObject({ state: 'DOWNLOADED' });
    expect(lab.store('s1')?.usedBytes).toBe(11);
    await driver.deleteTemplate(spec);
    await driver.deleteTemplate(spec);
    expect(lab.store('s1')?.usedBytes).toBe(0);
  });

  it('progresses one step per status poll and asks to be polled again', async () => {
    const { driver, store, spec } = setup(4);
    await driver.addStore(store);
    expect(await driver.downloadTemplate(spec)).toMatchObject({ state: 'DOWNLOAD_IN_PROGRESS', percent: 0, retryAfterMs: 7 });
    expect(await driver.templateStatus(spec)).toMatchObject({ state: 'DOWNLOAD_IN_PROGRESS', percent: 25 });
    await driver.templateStatus(spec);
    await driver.templateStatus(spec);
    expect(await driver.templateStatus(spec)).toMatchObject({ state: 'DOWNLOADED', percent: 100 });
  });

  it('fails on a checksum mismatch (SHA-256), a missing URL, an oversize image and a full store', async () => {
    const { lab, driver, store, spec } = setup();
    await driver.addStore(store);
    const wrong = await driver.downloadTemplate({ ...spec, checksum: { algorithm: 'SHA-256', value: 'ab'.repeat(32) } });
    expect(wrong.state).toBe('DOWNLOAD_ERROR');
    expect(wrong.error).toContain('checksum mismatch: expected SHA-256');
    expect((await driver.downloadTemplate({ ...spec, url: 'http://img/none' })).error).toContain('404');
    expect((await driver.downloadTemplate({ ...spec, maxSizeBytes: 100 })).error).toContain('more than the 100 bytes allowed');
    lab.publishImage('http://img/big', { content: new Uint8Array(2000) });
    expect((await driver.downloadTemplate({ ...spec, url: 'http://img/big' })).error).toContain('not enough space');
    expect(lab.store('s1')?.usedBytes).toBe(0);
  });

  it('copies a downloaded image to another store and refuses a missing source', async () => {
    const { lab, driver, store, spec } = setup();
    const other = { storeId: 's2', protocol: 'NFS' as const, url: 'nfs://nfs2/sec' };
    await driver.addStore(store);
    await driver.addStore(other);
    await expect(driver.copyTemplate({ ...spec, store: other, source: store, sourceInstallPath: spec.installPath })).rejects.toThrow('No downloaded image');
    await driver.downloadTemplate(spec);
    expect(await driver.copyTemplate({ ...spec, store: other, source: store, sourceInstallPath: spec.installPath })).toMatchObject({ state: 'DOWNLOADED' });
    expect(lab.storeImages('s2').size).toBe(1);
  });

  it('injects failures and hangs per template or URL', async () => {
    const { lab, driver, store, spec } = setup();
    await driver.addStore(store);
    lab.faults.fail('downloadTemplate', 'http://img/a.qcow2', 'boom');
    await expect(driver.downloadTemplate(spec)).rejects.toBeInstanceOf(SimulatedFault);
    lab.faults.clear();
    lab.faults.hang('downloadTemplate', 't1');
    const outcome = await Promise.race([driver.downloadTemplate(spec).then(() => 'answered'), new Promise((r) => setTimeout(() => r('hung'), 30))]);
    expect(outcome).toBe('hung');
  });
});
