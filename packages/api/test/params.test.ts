import { CloudError } from '@cloudstack-sdk/core';
import { describe, expect, it } from 'vitest';
import { RequestParams, decodeForm, param, parseParams } from '../src/index.js';

function request(query: string): RequestParams {
  return new RequestParams(decodeForm(query));
}

function refusal(fn: () => unknown): CloudError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(CloudError);
    return error as CloudError;
  }
  throw new Error('expected a refusal');
}

const shape = {
  tags: param.map('tags'),
  startvm: param.boolean('start'),
  networkids: param.list('networks'),
  zoneid: param.uuid('zone'),
  size: param.long('size'),
  created: param.date('date'),
} as const;

describe('request parameters', () => {
  it('decodes + as a space and percent-escapes as UTF-8, keeping the last of a repeated name', () => {
    const params = request('name=web+01%20%C3%A9&name=second&Zone=1');
    expect(params.get('NAME')).toBe('second');
    expect(params.get('zone')).toBe('1');
    expect(params.entries()).toEqual([
      ['name', 'second'],
      ['Zone', '1'],
    ]);
    expect(request('a=web+01%20%C3%A9').get('a')).toBe('web 01 é');
  });

  it('lets the query string win over the body for a name in both', () => {
    const params = new RequestParams(decodeForm('a=query'), decodeForm('a=body&b=body'));
    expect(params.get('a')).toBe('query');
    expect(params.get('b')).toBe('body');
  });

  it('parses map parameters: name part in any case, field case kept, entries in index order', () => {
    const parsed = parseParams(shape, request('TAGS[1].Key=k2&tags[1].value=v2&tags[0].key=k1&tags[0].value=v1'), 'createtags');
    expect(parsed.tags).toEqual([
      { key: 'k1', value: 'v1' },
      { Key: 'k2', value: 'v2' },
    ]);
  });

  it('refuses a malformed map parameter with 430', () => {
    expect(refusal(() => parseParams(shape, request('tags[x].key=k'), 'createtags')).code).toBe(430);
    expect(refusal(() => parseParams(shape, request('tags[0]=k'), 'createtags')).code).toBe(430);
  });

  it("parses booleans as Java's Boolean.valueOf, lists by comma, UUIDs lower-cased, longs and dates", () => {
    const parsed = parseParams(shape, request('startvm=False&networkids=a,b,,c&zoneid=1B9C6C2C-6A43-4F3B-9D1C-2F6C9F2F6A01&size=10737418240&created=2013-05-28'), 'x');
    expect(parsed).toEqual({
      startvm: false,
      networkids: ['a', 'b', 'c'],
      zoneid: '1b9c6c2c-6a43-4f3b-9d1c-2f6c9f2f6a01',
      size: 10737418240,
      created: new Date(2013, 4, 28).toISOString(),
    });
    expect(parseParams(shape, request('startvm=TRUE'), 'x').startvm).toBe(true);
  });

  it('reads an empty value of a non-string parameter as absent and refuses bad values with 431 naming them', () => {
    expect(parseParams(shape, request('zoneid=&size='), 'x')).toEqual({});
    const bad = refusal(() => parseParams(shape, request('zoneid=42'), 'x'));
    expect(bad.code).toBe(431);
    expect(bad.param).toBe('zoneid');
    expect(bad.message).toBe(
      'Invalid parameter zoneid value=42 due to incorrect long value format, or entity does not exist or due to incorrect parameter annotation for the field in api cmd class',
    );
    expect(refusal(() => parseParams(shape, request('created=2013-02-30'), 'x')).param).toBe('created');
  });
});
