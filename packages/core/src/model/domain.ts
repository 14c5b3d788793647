import { z } from 'zod';

/** State of a domain. */
export const DomainState = z.enum(['Active', 'Inactive']);
/** One of the domain states. */
export type DomainState = z.infer<typeof DomainState>;

/** Allowed moves between domain states: a domain is `Inactive` only while it is being removed. */
export const DOMAIN_TRANSITIONS: Readonly<Record<DomainState, readonly DomainState[]>> = {
  Active: ['Inactive'],
  Inactive: ['Active'],
};

/** The path of the ROOT domain. */
export const ROOT_DOMAIN_PATH = '/';

/**
 * A domain: a node of the tree under ROOT that groups accounts. `path` is the login form's
 * name for it: `/` for ROOT, `/Comp1/`, `/Comp1/sales/`.
 */
export const DomainSchema = z.object({
  id: z.string(),
  version: z.number().int().positive(),
  name: z.string().min(1),
  /** Full path, starting and ending with `/`. */
  path: z.string().startsWith('/').endsWith('/'),
  /** The parent domain; absent for ROOT. */
  parentId: z.string().optional(),
  /** Depth below ROOT (ROOT is 0). */
  level: z.number().int().min(0),
  /** DNS suffix for the guest networks of the domain's accounts. */
  networkDomain: z.string().optional(),
  state: DomainState,
  createdAt: z.string(),
});

/** A domain. */
export type Domain = z.infer<typeof DomainSchema>;
