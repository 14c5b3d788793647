/**
 * XML text helpers for the documents the KVM driver sends to libvirt (domain and device XML):
 * every value that comes from a spec goes through {@link escapeXml} before it lands in markup.
 */

const ENTITIES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', "'": '&apos;', '"': '&quot;' };

/** `text` safe as element content and inside single- or double-quoted attributes. */
export function escapeXml(text: string | number): string {
  return String(text).replace(/[&<>'"]/g, (c) => ENTITIES[c] ?? c);
}

/** An XML element: `tag` with escaped attributes (undefined ones left out) and already-built children. */
export function xmlElement(tag: string, attributes: Readonly<Record<string, string | number | undefined>> = {}, children: readonly string[] | string = []): string {
  const attrs = Object.entries(attributes)
    .filter((entry): entry is [string, string | number] => entry[1] !== undefined)
    .map(([name, value]) => ` ${name}='${escapeXml(value)}'`)
    .join('');
  const inner = typeof children === 'string' ? children : children.join('');
  return inner === '' ? `<${tag}${attrs}/>` : `<${tag}${attrs}>${inner}</${tag}>`;
}

/** An element whose only content is escaped text: `<name>i-2-10-VM</name>`. */
export function xmlText(tag: string, text: string | number, attributes: Readonly<Record<string, string | number | undefined>> = {}): string {
  return xmlElement(tag, attributes, escapeXml(text));
}
