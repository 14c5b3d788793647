/**
 * The strings a signed request may have been signed over (reference §1.1). 4.1 itself
 * accepts only the strict Java form; real clients differ from it in small ways, so the server
 * accepts any of a few forms. Every form lower-cases the whole joined string.
 */

/** How the values of a canonical form are percent-encoded. */
export type ValueEncoding =
  /** Java's `URLEncoder.encode(v, "UTF-8")` with `+` turned into `%20`: only `A-Za-z0-9.-*_` stay. */
  | 'java'
  /** Like `java` but `~` unencoded (`cs`, and libcloud on Python 3.7+). */
  | 'java-tilde'
  /** Like `java-tilde` but `[` and `]` unencoded too (libcloud's `quote(safe='[]*')`). */
  | 'java-tilde-brackets';

/** How the parameter names are ordered in a canonical form. */
export type NameOrder =
  /** Plain case-sensitive string order (Java `String.compareTo`): 4.1 itself and `cs`. */
  | 'case-sensitive'
  /** Order of the lower-cased names: libcloud. */
  | 'lower-case';

const JAVA_SAFE = /[A-Za-z0-9.\-*_]/;
const encoder = new TextEncoder();

function hex(byte: number): string {
  return `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
}

/** Percent-encodes one value the way `encoding` says. */
export function encodeValue(value: string, encoding: ValueEncoding): string {
  const extraSafe = encoding === 'java' ? '' : encoding === 'java-tilde' ? '~' : '~[]';
  let out = '';
  for (const char of value) {
    if (JAVA_SAFE.test(char) || extraSafe.includes(char)) out += char;
    else if (char === ' ') out += '%20';
    else for (const byte of encoder.encode(char)) out += hex(byte);
  }
  return out;
}

function compareJava(a: string, b: string): number {
  // JS string comparison is by UTF-16 code unit, as Java's String.compareTo.
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The string to sign of one canonical form: names as received (every parameter but
 * `signature`), sorted, each `name=encodedValue`, joined with `&`, lower-cased.
 */
export function canonicalString(pairs: readonly (readonly [string, string])[], encoding: ValueEncoding, order: NameOrder): string {
  const signed = pairs.filter(([name]) => name.toLowerCase() !== 'signature');
  const sorted =
    order === 'case-sensitive'
      ? [...signed].sort((x, y) => compareJava(x[0], y[0]))
      : [...signed].sort((x, y) => compareJava(x[0].toLowerCase(), y[0].toLowerCase()) || compareJava(x[0], y[0]));
  return sorted.map(([name, value]) => `${name}=${encodeValue(value, encoding)}`).join('&').toLowerCase();
}

/** The accepted forms, strictest first: (a) Java, (b) `~` kept, (c) `~[]` kept, each in both name orders. */
export const ACCEPTED_FORMS: readonly { readonly encoding: ValueEncoding; readonly order: NameOrder }[] = [
  { encoding: 'java', order: 'case-sensitive' },
  { encoding: 'java-tilde', order: 'case-sensitive' },
  { encoding: 'java-tilde-brackets', order: 'case-sensitive' },
  { encoding: 'java', order: 'lower-case' },
  { encoding: 'java-tilde', order: 'lower-case' },
  { encoding: 'java-tilde-brackets', order: 'lower-case' },
];

/** The distinct strings to sign of every accepted form (most requests give just one). */
export function candidateStrings(pairs: readonly (readonly [string, string])[]): string[] {
  return Array.from(new Set(ACCEPTED_FORMS.map((form) => canonicalString(pairs, form.encoding, form.order))));
}
