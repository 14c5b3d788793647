import type { Transaction } from '../contracts/store.js';
import { ROOT_DOMAIN_PATH, type Domain } from '../model/domain.js';

/**
 * A domain path as the login form and `path` field spell it: starting and ending with `/`,
 * ROOT being `/`. `Comp1/sales`, `/Comp1/sales` and `/Comp1/sales/` are the same path; an
 * empty or absent value is ROOT (guide 5.1: root users leave the domain field empty).
 */
export function normaliseDomainPath(value: string | undefined): string {
  const trimmed = (value ?? '').trim();
  if (trimmed === '' || trimmed === ROOT_DOMAIN_PATH) return ROOT_DOMAIN_PATH;
  const inner = trimmed.replace(/^\/+/, '').replace(/\/+$/, '');
  return `/${inner}/`;
}

/** True when `domain` is `ancestor` or lies below it. */
export function isInSubtree(domain: Pick<Domain, 'path'>, ancestor: Pick<Domain, 'path'>): boolean {
  return domain.path.startsWith(ancestor.path);
}

/** The domain and every domain below it. */
export async function subtreeOf(tx: Transaction, domain: Domain): Promise<Domain[]> {
  if (domain.path === ROOT_DOMAIN_PATH) return (await tx.repo('domains').find()).items;
  // `like` is a case-insensitive substring match; keep only true descendants by prefix.
  const { items } = await tx.repo('domains').find({ where: { path: { like: domain.path } } });
  return items.filter((d) => isInSubtree(d, domain));
}

/** The ids of the domain and every domain below it. */
export async function subtreeIdsOf(tx: Transaction, domain: Domain): Promise<string[]> {
  return (await subtreeOf(tx, domain)).map((d) => d.id);
}

/** The domain followed by its ancestors up to ROOT (nearest first). */
export async function domainChain(tx: Transaction, domain: Domain): Promise<Domain[]> {
  const chain: Domain[] = [domain];
  let current = domain;
  while (current.parentId !== undefined) {
    const parent = await tx.repo('domains').get(current.parentId);
    if (parent === undefined) break;
    chain.push(parent);
    current = parent;
  }
  return chain;
}
