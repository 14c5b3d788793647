import { z } from 'zod';

/** A DNS suffix for guest networks (`networkdomain`): dot-separated host labels. */
export const NetworkDomainName = z
  .string()
  .max(255)
  .regex(/^[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(\.[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$/, 'must be a DNS domain name such as cs1cloud.internal');

/** A domain's name: one path segment, so no `/`. */
export const DomainName = z
  .string()
  .trim()
  .min(1)
  .max(255)
  .refine((name) => !name.includes('/'), 'must not contain "/"');

/** An account name. */
export const AccountName = z.string().trim().min(1).max(255);

/** A login name. */
export const Username = z
  .string()
  .trim()
  .min(1)
  .max(255)
  .refine((name) => !/\s/.test(name), 'must not contain white space');

/** A password as set by a user or admin (kept only as a hash). */
export const Password = z.string().min(1).max(255);

/** A person's first or last name on a user. */
export const PersonName = z.string().trim().min(1).max(255);

/** An e-mail address. */
export const Email = z.email().max(255);

/** An IANA time-zone name such as `Europe/Paris`. */
export const TimeZone = z
  .string()
  .min(1)
  .max(64)
  .refine((zone) => {
    try {
      new Intl.DateTimeFormat('en', { timeZone: zone });
      return true;
    } catch {
      return false;
    }
  }, 'must be an IANA time zone such as Europe/Paris');
