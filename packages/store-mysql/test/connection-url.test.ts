import { describe, expect, it } from 'vitest';
import { CloudError, ErrorCode } from '@cloudstack-sdk/core';
import { parseConnectionUrl, resolveOptions } from '../src/index.js';

function refusal(fn: () => unknown): CloudError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(CloudError);
    expect((error as CloudError).code).toBe(ErrorCode.PARAM_ERROR);
    return error as CloudError;
  }
  throw new Error('expected a refusal');
}

describe('connection URL', () => {
  it('reads host, port, percent-encoded credentials, database and options', () => {
    expect(parseConnectionUrl('mysql://cloud:p%40ss%3Aword@db.example:3307/cloud?connectionLimit=25&ssl=true&connectTimeout=5000')).toEqual({
      host: 'db.example',
      port: 3307,
      user: 'cloud',
      password: 'p@ss:word',
      database: 'cloud',
      connectionLimit: 25,
      connectTimeout: 5000,
      ssl: { rejectUnauthorized: true },
    });
  });

  it('defaults the port, accepts mariadb:// and IPv6 hosts, and reads ssl=insecure and ssl=false', () => {
    expect(parseConnectionUrl('mariadb://root@[::1]/cloud?ssl=insecure')).toMatchObject({
      host: '::1',
      port: 3306,
      user: 'root',
      password: '',
      ssl: { rejectUnauthorized: false },
    });
    expect(parseConnectionUrl('mysql://root@localhost/cloud?ssl=false')).not.toHaveProperty('ssl');
  });

  it('refuses what it cannot honour, naming the fault', () => {
    expect(refusal(() => parseConnectionUrl('postgres://root@localhost/cloud')).message).toMatch(/protocol/);
    expect(refusal(() => parseConnectionUrl('mysql://root@localhost/')).message).toMatch(/database/);
    expect(refusal(() => parseConnectionUrl('mysql://root@localhost/cloud?connectionLimit=0')).message).toMatch(/connectionLimit/);
    expect(refusal(() => parseConnectionUrl('mysql://root@localhost/cloud?ssl=maybe')).message).toMatch(/ssl must be/);
    expect(refusal(() => parseConnectionUrl('mysql://root@localhost/cloud?pool=3')).message).toMatch(/unknown option pool/);
    expect(refusal(() => parseConnectionUrl('not a url')).param).toBe('url');
  });

  it('lets explicit options override the URL and applies defaults', () => {
    const resolved = resolveOptions({ url: 'mysql://u:p@h:1234/db?connectionLimit=3', connectionLimit: 8, retry: { attempts: 2 } });
    expect(resolved.connection).toMatchObject({ host: 'h', port: 1234, user: 'u', password: 'p', database: 'db', connectionLimit: 8 });
    expect(resolved.retry.attempts).toBe(2);
    expect(resolved.lockWaitTimeoutSeconds).toBe(10);
    expect(refusal(() => resolveOptions({ host: 'h' })).param).toBe('database');
  });
});
