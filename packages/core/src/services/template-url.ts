import { invalidParameter } from '../errors.js';
import { cidrContains, parseCidr, parseIpv4, type Ipv4Cidr } from '../net/ipv4.js';

/**
 * Address blocks a template URL may not point into unless `secstorage.allowed.internal.sites`
 * covers the address: RFC 1918 private ranges, loopback and link-local (guide 4.1: "protect
 * your internal network from rogue attempts to download arbitrary files").
 */
export const PRIVATE_BLOCKS: readonly string[] = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '127.0.0.0/8', '169.254.0.0/16'];

const PRIVATE_CIDRS: readonly Ipv4Cidr[] = PRIVATE_BLOCKS.map((text) => parseCidr(text) as Ipv4Cidr);

/**
 * Checks a template or ISO download URL before anything is written: it must be http or https
 * with a host; a host that is a literal IPv4 address (or `localhost`, which is 127.0.0.1)
 * inside a private block is refused unless one of `allowedSites` (CIDRs) contains it. Core
 * does no DNS (it has no I/O), so a name is judged only by what it literally is; the
 * secondary-storage device applies its own rules when it resolves names. Refusals are 431
 * naming `param`.
 */
export function checkDownloadUrl(url: string, allowedSites: readonly string[], param = 'url'): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw invalidParameter(param, `${url} is not a valid URL`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw invalidParameter(param, `unsupported scheme ${parsed.protocol.replace(/:$/, '')}: only http and https URLs can be downloaded`);
  }
  if (parsed.hostname === '') throw invalidParameter(param, `${url} names no host`);
  const host = parsed.hostname.toLowerCase();
  if (host.startsWith('[')) throw invalidParameter(param, 'IPv6 literal hosts are not supported for downloads');
  const address = host === 'localhost' ? parseIpv4('127.0.0.1') : parseIpv4(host);
  if (address === undefined) return parsed;
  const privateBlock = PRIVATE_CIDRS.find((cidr) => cidrContains(cidr, address));
  if (privateBlock === undefined) return parsed;
  const allowed = allowedSites.some((site) => {
    const cidr = parseCidr(site.includes('/') ? site : `${site}/32`);
    return cidr !== undefined && cidrContains(cidr, address);
  });
  if (!allowed) {
    throw invalidParameter(
      param,
      `${host} is in a private address range; add it to secstorage.allowed.internal.sites to download from it`,
      { host },
    );
  }
  return parsed;
}
