import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  CloudError,
  CsErrorCode,
  ErrorCode,
  concurrentModification,
  fromZodError,
  insufficientCapacity,
  invalidParameter,
  isCloudError,
  limitExceeded,
  missingParameter,
  notAllowed,
  notFound,
  permissionDenied,
  resourceInUse,
  ruleConflict,
  toCloudError,
} from '../src/index.js';

describe('CloudError', () => {
  it('carries the CloudStack code with its matching cserrorcode and the parameter at fault', () => {
    const error = invalidParameter('netmask', 'must be a dotted quad');
    expect(error).toBeInstanceOf(CloudError);
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({ code: 431, csErrorCode: 4350, param: 'netmask' });
    expect(error.message).toBe('Invalid parameter netmask: must be a dotted quad');
    expect(error.toJSON()).toEqual({ code: 431, csErrorCode: 4350, message: error.message, param: 'netmask' });
  });

  it.each([
    [missingParameter('zoneid'), 431, 4350],
    [notFound('zone', 'id', 'z-1'), 431, 4350],
    [permissionDenied('no'), 531, 4365],
    [notAllowed('no'), 432, 9999],
    [limitExceeded('user_vm', 5, 'account a'), 532, 4280],
    [insufficientCapacity('memory', 'no host has 4 GiB free'), 533, 4325],
    [resourceInUse('host has VMs'), 536, 4375],
    [ruleConflict('overlaps rule r-1'), 537, 4360],
    [concurrentModification('zones', 'z-1'), 530, CsErrorCode.CONCURRENT_OPERATION],
  ])('helper gives code %#', (error, code, cs) => {
    expect(error.code).toBe(code);
    expect(error.csErrorCode).toBe(cs);
  });

  it('names the first offending parameter of a zod failure, lower-cased, and tells missing from invalid', () => {
    const schema = z.object({ zoneId: z.string(), size: z.number().int().positive() });
    const missing = fromZodError(schema.safeParse({ size: 1 }).error!);
    expect(missing).toMatchObject({ code: 431, param: 'zoneid' });
    expect(missing.message).toBe('Missing required parameter zoneid');
    const invalid = fromZodError(schema.safeParse({ zoneId: 'z', size: -1 }).error!);
    expect(invalid).toMatchObject({ code: 431, param: 'size' });
    expect(invalid.message).toMatch(/^Invalid parameter size: /);
  });

  it('wraps unknown throwables as 530 and keeps the cause; passes CloudErrors through', () => {
    const original = new TypeError('boom');
    const wrapped = toCloudError(original);
    expect(wrapped).toMatchObject({ code: ErrorCode.INTERNAL_ERROR, message: 'boom' });
    expect(wrapped.cause).toBe(original);
    const cloudError = permissionDenied('x');
    expect(toCloudError(cloudError)).toBe(cloudError);
    expect(isCloudError(cloudError, 531)).toBe(true);
    expect(isCloudError(cloudError, 431)).toBe(false);
    expect(isCloudError(original)).toBe(false);
  });
});
