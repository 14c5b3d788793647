import type { CloudServices } from '@cloudstack-sdk/core';

/**
 * Resolves the names 4.1 emits beside ids (`zonename`, `podname`, `clustername`, `domain`,
 * `account`), once per reply. It reads through SYSTEM's services, because a reply names the
 * zone or domain of an object the caller may already see even when the caller may not list
 * zones, pods or domains itself.
 */
export class NameLookup {
  private zones: Promise<Map<string, string>> | undefined;
  private pods: Promise<Map<string, string>> | undefined;
  private clusters: Promise<Map<string, { name: string; clusterType: string }>> | undefined;
  private readonly domains = new Map<string, Promise<{ name: string; path: string } | undefined>>();
  private readonly accounts = new Map<string, Promise<string | undefined>>();

  constructor(private readonly system: CloudServices) {}

  /** The name of a zone, or undefined. */
  async zone(id: string | undefined): Promise<string | undefined> {
    if (id === undefined) return undefined;
    this.zones ??= this.system.zones.list().then((zones) => new Map(zones.map((z) => [z.id, z.name])));
    return (await this.zones).get(id);
  }

  /** The name of a pod, or undefined. */
  async pod(id: string | undefined): Promise<string | undefined> {
    if (id === undefined) return undefined;
    this.pods ??= this.system.pods.list().then((pods) => new Map(pods.map((p) => [p.id, p.name])));
    return (await this.pods).get(id);
  }

  /** The name and type of a cluster, or undefined. */
  async cluster(id: string | undefined): Promise<{ name: string; clusterType: string } | undefined> {
    if (id === undefined) return undefined;
    this.clusters ??= this.system.clusters.list().then((clusters) => new Map(clusters.map((c) => [c.id, { name: c.name, clusterType: c.clusterType }])));
    return (await this.clusters).get(id);
  }

  /** A domain's name and path, or undefined. */
  async domain(id: string | undefined): Promise<{ name: string; path: string } | undefined> {
    if (id === undefined) return undefined;
    let found = this.domains.get(id);
    if (found === undefined) {
      found = this.system.domains.get(id).then(
        (d) => ({ name: d.name, path: d.path }),
        () => undefined,
      );
      this.domains.set(id, found);
    }
    return found;
  }

  /**
   * Remembers names a caller already read (a page's accounts and domains, read in one query
   * each), so that the per-row lookups of the page find them without asking again.
   */
  remember(accounts: Iterable<{ readonly id: string; readonly name: string }>, domains: Iterable<{ readonly id: string; readonly name: string; readonly path: string }>): void {
    for (const account of accounts) this.accounts.set(account.id, Promise.resolve(account.name));
    for (const domain of domains) this.domains.set(domain.id, Promise.resolve({ name: domain.name, path: domain.path }));
  }

  /** An account's name, or undefined. */
  async account(id: string | undefined): Promise<string | undefined> {
    if (id === undefined) return undefined;
    let found = this.accounts.get(id);
    if (found === undefined) {
      found = this.system.accounts.get(id).then(
        (a) => a.name,
        () => undefined,
      );
      this.accounts.set(id, found);
    }
    return found;
  }
}
