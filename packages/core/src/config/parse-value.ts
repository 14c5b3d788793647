import type { ConfigDefinition, ConfigType } from './definition.js';

/** The parsed value of a configuration parameter. */
export type ParsedConfigValue = string | number | boolean | readonly string[];

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const HOSTNAME = /^(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;

function isCidr(value: string): boolean {
  const [ip, bits, extra] = value.split('/');
  return extra === undefined && ip !== undefined && IPV4.test(ip) && bits !== undefined && /^\d{1,2}$/.test(bits) && Number(bits) <= 32;
}

function ipToNumber(ip: string): number {
  return ip.split('.').reduce((acc, octet) => acc * 256 + Number(octet), 0);
}

/**
 * Checks a raw string against a parameter's type and bounds and returns the parsed value, or
 * a reason why it is not acceptable. Shared by updates (validation) and reads (parsing).
 */
export function parseConfigValue(
  definition: ConfigDefinition,
  raw: string,
): { ok: true; value: ParsedConfigValue } | { ok: false; reason: string } {
  const value = raw.trim();
  const fail = (reason: string) => ({ ok: false as const, reason });
  const parsed = parseByType(definition.type, value);
  if (!parsed.ok) return fail(parsed.reason);
  if (typeof parsed.value === 'number') {
    if (definition.min !== undefined && parsed.value < definition.min) return fail(`must be at least ${definition.min}`);
    if (definition.max !== undefined && parsed.value > definition.max) return fail(`must be at most ${definition.max}`);
  }
  if (definition.allowed !== undefined && !definition.allowed.includes(value)) {
    return fail(`must be one of ${definition.allowed.join(', ')}`);
  }
  return parsed;
}

function parseByType(type: ConfigType, value: string): { ok: true; value: ParsedConfigValue } | { ok: false; reason: string } {
  switch (type) {
    case 'string':
      return { ok: true, value };
    case 'integer':
      return /^-?\d+$/.test(value) ? { ok: true, value: Number(value) } : { ok: false, reason: 'must be a whole number' };
    case 'float':
      return /^-?(\d+\.?\d*|\.\d+)$/.test(value) ? { ok: true, value: Number(value) } : { ok: false, reason: 'must be a number' };
    case 'port': {
      const port = Number(value);
      return /^\d+$/.test(value) && port >= 1 && port <= 65535
        ? { ok: true, value: port }
        : { ok: false, reason: 'must be a TCP port (1-65535)' };
    }
    case 'boolean': {
      const lower = value.toLowerCase();
      return lower === 'true' || lower === 'false'
        ? { ok: true, value: lower === 'true' }
        : { ok: false, reason: 'must be true or false' };
    }
    case 'cidr':
      return isCidr(value) ? { ok: true, value } : { ok: false, reason: 'must be a CIDR such as 192.168.1.0/24' };
    case 'cidr-list': {
      const items = value === '' ? [] : value.split(',').map((item) => item.trim());
      const bad = items.find((item) => !isCidr(item));
      return bad === undefined ? { ok: true, value: items } : { ok: false, reason: `${bad} is not a CIDR` };
    }
    case 'ip-range': {
      const [start, end, extra] = value.split('-');
      if (extra !== undefined || start === undefined || end === undefined || !IPV4.test(start) || !IPV4.test(end)) {
        return { ok: false, reason: 'must be a range such as 10.1.2.1-10.1.2.8' };
      }
      return ipToNumber(start) <= ipToNumber(end)
        ? { ok: true, value }
        : { ok: false, reason: 'the range must start before it ends' };
    }
    case 'url': {
      try {
        const url = new URL(value);
        return url.protocol === 'http:' || url.protocol === 'https:'
          ? { ok: true, value }
          : { ok: false, reason: 'must be an http or https URL' };
      } catch {
        return { ok: false, reason: 'must be an http or https URL' };
      }
    }
    case 'host':
      return IPV4.test(value) || HOSTNAME.test(value)
        ? { ok: true, value }
        : { ok: false, reason: 'must be an IPv4 address or host name' };
  }
}
