import { describe, expect, it } from 'vitest';
import { canonicalString, candidateStrings, decodeForm, encodeValue, sign, signaturesEqual, verifySignature } from '../src/index.js';

const SECRET = 'TestSecretKey-0123456789';

function pairs(query: string): [string, string][] {
  return decodeForm(query).map((p) => [p.name, p.value]);
}

describe('§1.1 signature test vectors', () => {
  it('signs the plain vector: string to sign and signature', () => {
    const params = pairs('command=listZones&response=json&apiKey=TestApiKey-abcdef');
    const text = canonicalString(params, 'java', 'case-sensitive');
    expect(text).toBe('apikey=testapikey-abcdef&command=listzones&response=json');
    expect(sign(text, SECRET)).toBe('NPMBUVOJVLujF3+Ufx5sbKBV6Uw=');
    expect(verifySignature(params, 'NPMBUVOJVLujF3+Ufx5sbKBV6Uw=', SECRET)).toBe(true);
  });

  it('signs the signature-version-3 vector: string to sign and signature', () => {
    const params: [string, string][] = [
      ['command', 'deployVirtualMachine'],
      ['zoneId', '1b9c6c2c-6a43-4f3b-9d1c-2f6c9f2f6a01'],
      ['displayname', 'web 01 *test*'],
      ['userdata', 'aGVsbG8+d29ybGQ/'],
      ['signatureVersion', '3'],
      ['expires', '2030-01-01T00:00:00+0000'],
      ['response', 'json'],
      ['apiKey', 'TestApiKey-abcdef'],
    ];
    const text = canonicalString(params, 'java', 'case-sensitive');
    expect(text).toBe(
      'apikey=testapikey-abcdef&command=deployvirtualmachine&displayname=web%2001%20*test*&expires=2030-01-01t00%3a00%3a00%2b0000&response=json&signatureversion=3&userdata=agvsbg8%2bd29ybgq%2f&zoneid=1b9c6c2c-6a43-4f3b-9d1c-2f6c9f2f6a01',
    );
    expect(sign(text, SECRET)).toBe('dcL0BmHPr80asCC75Bnoevy23jQ=');
    expect(verifySignature([...params, ['signature', 'dcL0BmHPr80asCC75Bnoevy23jQ=']], 'dcL0BmHPr80asCC75Bnoevy23jQ=', SECRET)).toBe(true);
  });
});

describe('canonical forms', () => {
  it("encodes like Java's URLEncoder with + as %20 and * kept", () => {
    expect(encodeValue('a b*c+d/e=f:g~h[i]j,k', 'java')).toBe('a%20b*c%2Bd%2Fe%3Df%3Ag%7Eh%5Bi%5Dj%2Ck');
    expect(encodeValue('a~b[c]', 'java-tilde')).toBe('a~b%5Bc%5D');
    expect(encodeValue('a~b[c]', 'java-tilde-brackets')).toBe('a~b[c]');
    expect(encodeValue('é', 'java')).toBe('%C3%A9');
  });

  it('sorts names case-sensitively (uppercase first) or by lower-cased name', () => {
    const params: [string, string][] = [['b', '1'], ['Z', '2'], ['a', '3']];
    expect(canonicalString(params, 'java', 'case-sensitive')).toBe('z=2&a=3&b=1');
    expect(canonicalString(params, 'java', 'lower-case')).toBe('a=3&b=1&z=2');
  });

  it('leaves out the signature parameter and yields one string when all forms agree', () => {
    expect(candidateStrings([['command', 'listZones'], ['signature', 'x']])).toEqual(['command=listzones']);
  });

  it('accepts a value with ~ signed with ~ unencoded (cs, libcloud), which strict Java rejects', () => {
    const params: [string, string][] = [['command', 'createTags'], ['tags[0].value', 'a~b'], ['apiKey', 'k']];
    const csText = 'apikey=k&command=createtags&tags[0].value=a~b';
    const signature = sign(csText, SECRET);
    expect(signaturesEqual(sign(canonicalString(params, 'java', 'case-sensitive'), SECRET), signature)).toBe(false);
    expect(verifySignature(params, signature, SECRET)).toBe(true);
  });

  it('accepts [ and ] left unencoded in values (libcloud)', () => {
    const params: [string, string][] = [['command', 'x'], ['name', 'a[1]~']];
    expect(verifySignature(params, sign('command=x&name=a[1]~', SECRET), SECRET)).toBe(true);
  });

  it('reads a space in the received signature as +', () => {
    const params = pairs('command=listZones&response=json&apiKey=TestApiKey-abcdef');
    expect(verifySignature(params, 'NPMBUVOJVLujF3 Ufx5sbKBV6Uw=', SECRET)).toBe(true);
  });

  it('rejects a wrong signature, a wrong key and a changed value', () => {
    const params = pairs('command=listZones&response=json&apiKey=TestApiKey-abcdef');
    expect(verifySignature(params, 'NPMBUVOJVLujF3+Ufx5sbKBV6Uw', SECRET)).toBe(false);
    expect(verifySignature(params, 'NPMBUVOJVLujF3+Ufx5sbKBV6Uw=', 'other')).toBe(false);
    expect(verifySignature(pairs('command=listZones&response=xml&apiKey=TestApiKey-abcdef'), 'NPMBUVOJVLujF3+Ufx5sbKBV6Uw=', SECRET)).toBe(false);
  });
});
