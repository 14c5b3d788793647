import type { ApiBody, ApiObject, ApiValue } from './api-value.js';

/** The CloudStack version the XML root's `cloud-stack-version` attribute and `listCapabilities` report. */
export const CLOUDSTACK_VERSION = '4.1.0';

const ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/** Escapes text for an XML element or attribute. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c] as string);
}

function isObject(value: ApiValue): value is ApiObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function element(name: string, value: ApiValue, out: string[]): void {
  if (value === null || value === undefined) return;
  if (Array.isArray(value)) {
    // Nested lists repeat the element name without a wrapper (several <nic> in a <virtualmachine>).
    for (const item of value as readonly ApiValue[]) element(name, item, out);
    return;
  }
  out.push(`<${name}>`);
  if (isObject(value)) children(value, out);
  else out.push(escapeXml(String(value)));
  out.push(`</${name}>`);
}

function children(object: ApiObject, out: string[]): void {
  for (const [key, value] of Object.entries(object)) element(key, value, out);
}

/**
 * Writes a reply as 4.1's XML: `<?xml …?><listzonesresponse cloud-stack-version="4.1.0">`, one
 * element per scalar field, repeated elements for lists. `encoding` is the declared encoding
 * (ISO-8859-1 for the login reply, as 4.1 declares it).
 */
export function toXml(body: ApiBody, encoding: 'UTF-8' | 'ISO-8859-1' = 'UTF-8'): string {
  const out: string[] = [`<?xml version="1.0" encoding="${encoding}"?>`, `<${body.responseName} cloud-stack-version="${CLOUDSTACK_VERSION}">`];
  children(body.content, out);
  out.push(`</${body.responseName}>`);
  return out.join('');
}
