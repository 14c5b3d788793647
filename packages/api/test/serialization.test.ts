import { describe, expect, it } from 'vitest';
import { formatCloudStackDate, listContent, parsePlainDate, parseTzDate, toJson, toXml } from '../src/index.js';
import { ADMIN } from './support/test-authenticator.js';
import { apiFixture, callJson, get, signedQuery } from './support/api-fixture.js';

describe('JSON and XML writers', () => {
  it('writes JSON under the response name with null and undefined fields omitted', () => {
    const text = toJson({ responseName: 'createsecuritygroupresponse', content: { securitygroup: { id: 'x', name: 'web', description: null, account: undefined, ingressrule: [] } } });
    expect(text).toBe('{"createsecuritygroupresponse":{"securitygroup":{"id":"x","name":"web","ingressrule":[]}}}');
  });

  it('omits nulls deep in list items as well, and writes a reply without nulls the same way', () => {
    const withNull = toJson({ responseName: 'listvirtualmachinesresponse', content: { count: 2, virtualmachine: [{ id: 'a', nic: [{ id: 'n1', ipaddress: null }] }, { id: 'b', group: undefined, nic: [] }] } });
    expect(withNull).toBe('{"listvirtualmachinesresponse":{"count":2,"virtualmachine":[{"id":"a","nic":[{"id":"n1"}]},{"id":"b","nic":[]}]}}');
    const without = toJson({ responseName: 'listvirtualmachinesresponse', content: { count: 2, virtualmachine: [{ id: 'a', nic: [{ id: 'n1' }] }, { id: 'b', group: undefined, nic: [] }] } });
    expect(without).toBe(withNull);
  });

  it('keeps strings quoted and numbers and booleans native', () => {
    expect(toJson({ responseName: 'r', content: { success: 'true', count: 2, flag: false } })).toBe('{"r":{"success":"true","count":2,"flag":false}}');
  });

  it('writes XML with the 4.1 root, escaped values and repeated elements for lists', () => {
    const text = toXml({
      responseName: 'listvirtualmachinesresponse',
      content: { count: 1, virtualmachine: [{ id: 'v1', displayname: 'a<b & "c"', nic: [{ ipaddress: '10.0.0.1' }, { ipaddress: '10.0.0.2' }], haenable: false, password: null }] },
    });
    expect(text).toBe(
      '<?xml version="1.0" encoding="UTF-8"?><listvirtualmachinesresponse cloud-stack-version="4.1.0"><count>1</count>' +
        '<virtualmachine><id>v1</id><displayname>a&lt;b &amp; &quot;c&quot;</displayname><nic><ipaddress>10.0.0.1</ipaddress></nic>' +
        '<nic><ipaddress>10.0.0.2</ipaddress></nic><haenable>false</haenable></virtualmachine></listvirtualmachinesresponse>',
    );
  });

  it('shapes lists: items with count, count alone past the last page, {} when nothing matched', () => {
    expect(listContent('zone', [{ id: 'z' }], 2)).toEqual({ count: 2, zone: [{ id: 'z' }] });
    expect(listContent('zone', [], 2)).toEqual({ count: 2 });
    expect(listContent('zone', [], 0)).toEqual({});
  });
});

describe('dates', () => {
  it("formats as yyyy-MM-dd'T'HH:mm:ssZ in server time and parses both parameter forms", () => {
    const text = formatCloudStackDate('2013-05-28T13:16:12.000Z');
    expect(text).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{4}$/);
    expect(parseTzDate(text)).toBe(Date.UTC(2013, 4, 28, 13, 16, 12));
    expect(parseTzDate('2030-01-01T00:00:00+0000')).toBe(Date.UTC(2030, 0, 1));
    expect(parseTzDate('2030-01-01T01:00:00+01:00')).toBe(Date.UTC(2030, 0, 1));
    expect(parseTzDate('2030-01-01T00:00:00 0000')).toBe(Date.UTC(2030, 0, 1));
    expect(parseTzDate('2030-13-01T00:00:00Z')).toBeUndefined();
    expect(parsePlainDate('2013-05-28')).toBe(new Date(2013, 4, 28).getTime());
    expect(parsePlainDate('2013-05-28 10:11:12')).toBe(new Date(2013, 4, 28, 10, 11, 12).getTime());
    expect(parsePlainDate('2013-02-30')).toBeUndefined();
  });
});

describe('replies through handle()', () => {
  it('answers XML by default, with the list count first and the item elements after', async () => {
    const { api } = await apiFixture();
    const response = await api.handle(get(signedQuery({ command: 'listConfigurations', name: 'default.page.size' })));
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('text/xml; charset=UTF-8');
    expect(response.body).toMatch(
      /^<\?xml version="1.0" encoding="UTF-8"\?><listconfigurationsresponse cloud-stack-version="4.1.0"><count>1<\/count><configuration><category>Advanced<\/category><name>default.page.size<\/name><value>500<\/value><description>/,
    );
  });

  it('answers XML errors with errorcode, cserrorcode and errortext under the root', async () => {
    const { api } = await apiFixture();
    const response = await api.handle(get(signedQuery({ command: 'listEvents', page: 'x', pagesize: '1' })));
    expect(response.status).toBe(431);
    expect(response.body).toMatch(/<listeventsresponse cloud-stack-version="4.1.0"><errorcode>431<\/errorcode><cserrorcode>4350<\/cserrorcode><errortext>Invalid parameter page value=x/);
  });

  it('takes response=JSON in any case on the main endpoint', async () => {
    const { api } = await apiFixture();
    const response = await api.handle(get(signedQuery({ command: 'listEvents', response: 'JSON' })));
    expect(response.body).toBe('{"listeventsresponse":{}}');
  });

  it('takes the JSON content type from json.content.type', async () => {
    const { api } = await apiFixture();
    const update = await callJson(api, { command: 'updateConfiguration', name: 'json.content.type', value: 'application/json' });
    expect(update.response.status).toBe(200);
    const { response } = await callJson(api, { command: 'listEvents' });
    expect(response.headers['content-type']).toBe('application/json; charset=UTF-8');
  });

  it('reports count as the total before paging, and {count} alone for a page past the end', async () => {
    const { api } = await apiFixture();
    const first = await callJson(api, { command: 'listConfigurations', category: 'Advanced', page: '1', pagesize: '5' });
    const total = Number(first.json.listconfigurationsresponse?.count);
    expect(total).toBeGreaterThan(5);
    expect(first.json.listconfigurationsresponse?.configuration).toHaveLength(5);
    const past = await callJson(api, { command: 'listConfigurations', category: 'Advanced', page: '500', pagesize: '5' });
    expect(past.json).toEqual({ listconfigurationsresponse: { count: total } });
  });

  it('answers a path other than the endpoint with 404', async () => {
    const { api } = await apiFixture();
    const response = await api.handle({ method: 'GET', path: '/elsewhere', query: signedQuery({ command: 'listEvents' }, ADMIN), headers: {} });
    expect(response.status).toBe(404);
  });
});

describe('date formatting in other zones', () => {
  it('writes the local wall time and offset of the server zone', () => {
    const text = formatCloudStackDate(Date.UTC(2013, 4, 28, 13, 16, 12));
    const local = new Date(Date.UTC(2013, 4, 28, 13, 16, 12));
    const expected = `${local.getFullYear()}-${String(local.getMonth() + 1).padStart(2, '0')}-${String(local.getDate()).padStart(2, '0')}T${String(local.getHours()).padStart(2, '0')}:${String(local.getMinutes()).padStart(2, '0')}:${String(local.getSeconds()).padStart(2, '0')}`;
    expect(text.slice(0, 19)).toBe(expected);
  });
});
