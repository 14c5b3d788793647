import type { RawPair } from './form-decoding.js';

/**
 * The parameters of one request: query string plus form body, one value per name as 4.1's
 * servlet keeps them. Names are kept as received (for the signature) and looked up
 * case-insensitively (for everything else).
 */
export class RequestParams {
  private readonly byName = new Map<string, string>();
  private readonly byLowerName = new Map<string, string>();

  /**
   * Builds the set from the query-string pairs and the body pairs. A repeated name keeps its
   * last occurrence in the query string (the servlet's UTF-8 re-decoding of GET parameters);
   * a body pair only adds names the query string does not have.
   */
  constructor(query: readonly RawPair[], body: readonly RawPair[] = []) {
    for (const pair of query) this.byName.set(pair.name, pair.value);
    for (const pair of body) if (!this.byName.has(pair.name)) this.byName.set(pair.name, pair.value);
    for (const [name, value] of this.byName) this.byLowerName.set(name.toLowerCase(), value);
  }

  /** The value of a parameter, its name matched in any case; the last spelling wins. */
  get(name: string): string | undefined {
    return this.byLowerName.get(name.toLowerCase());
  }

  /** True when a parameter of that name (any case) is present. */
  has(name: string): boolean {
    return this.byLowerName.has(name.toLowerCase());
  }

  /** Every `[name, value]` pair with the names as received, in arrival order. */
  entries(): [string, string][] {
    return Array.from(this.byName.entries());
  }

  /** Every `[lower-case name, value]` pair. */
  lowerCaseEntries(): [string, string][] {
    return Array.from(this.byLowerName.entries());
  }
}
