import { z } from 'zod';
import { HYPERVISOR_TYPES } from '../contracts/hypervisor.js';
import type { TemplateChecksum } from '../contracts/storage.js';
import { PagingInput } from './paging.js';
import { VisibilityInput } from './visibility.js';

const HEX_LENGTH_TO_ALGORITHM = { 32: 'MD5', 40: 'SHA-1', 64: 'SHA-256' } as const;

/**
 * A registered checksum: plain hex (its length says MD5, SHA-1 or SHA-256, 4.1's checksum
 * being an MD5) or `{ALGORITHM}hex` (`{SHA-256}9f86…`), case-insensitive.
 */
export const ChecksumText = z
  .string()
  .trim()
  .transform((text, ctx): TemplateChecksum => {
    const match = /^(?:\{(MD5|SHA-?1|SHA-?256)\})?([0-9a-fA-F]+)$/i.exec(text);
    const value = match?.[2]?.toLowerCase();
    const named = match?.[1]?.toUpperCase().replace(/^SHA(\d)/, 'SHA-$1');
    const byLength = value === undefined ? undefined : HEX_LENGTH_TO_ALGORITHM[value.length as keyof typeof HEX_LENGTH_TO_ALGORITHM];
    const algorithm = (named ?? byLength) as TemplateChecksum['algorithm'] | undefined;
    if (value === undefined || algorithm === undefined || byLength !== algorithm) {
      ctx.addIssue({ code: 'custom', message: 'must be an MD5, SHA-1 or SHA-256 digest in hex, optionally prefixed {MD5}, {SHA-1} or {SHA-256}' });
      return z.NEVER;
    }
    return { algorithm, value };
  });

/** Fields registerTemplate and registerIso share. */
const RegisterCommon = z.object({
  name: z.string().trim().min(1).max(255),
  displayText: z.string().trim().min(1).max(4096),
  /** http or https URL to download from. */
  url: z.string().trim().min(1).max(2048),
  /** Guest OS type. */
  osTypeId: z.string().min(1),
  /** The zone to download to; all zones when absent or `-1`. */
  zoneId: z.string().min(1).optional(),
  isPublic: z.boolean().default(false),
  /** Root and domain admins only. */
  isFeatured: z.boolean().default(false),
  isExtractable: z.boolean().default(false),
  checksum: ChecksumText.optional(),
  /** Register for another account (admins): by name with `domainId`. */
  account: z.string().min(1).optional(),
  domainId: z.string().min(1).optional(),
});

/** Input of `templates.register` (4.1 `registerTemplate`). */
export const RegisterTemplateInput = RegisterCommon.extend({
  format: z.enum(['QCOW2', 'RAW', 'VHD', 'OVA']),
  hypervisor: z.enum(HYPERVISOR_TYPES),
  passwordEnabled: z.boolean().default(false),
  sshKeyEnabled: z.boolean().default(false),
  /** One image usable in every zone. */
  crossZones: z.boolean().default(false),
});
/** Input of `templates.register`. */
export type RegisterTemplateInput = z.input<typeof RegisterTemplateInput>;

/** Input of `isos.register` (4.1 `registerIso`). */
export const RegisterIsoInput = RegisterCommon.extend({
  bootable: z.boolean().default(true),
});
/** Input of `isos.register`. */
export type RegisterIsoInput = z.input<typeof RegisterIsoInput>;

/** What a registration needs once either input is parsed. */
export type RegistrationSpec = z.output<typeof RegisterCommon> & {
  readonly format: 'QCOW2' | 'RAW' | 'VHD' | 'OVA' | 'ISO';
  readonly hypervisor: (typeof HYPERVISOR_TYPES)[number] | 'None';
  readonly bootable: boolean;
  readonly passwordEnabled: boolean;
  readonly sshKeyEnabled: boolean;
  readonly crossZones: boolean;
};

/**
 * The `templatefilter` values (reference §5): `featured` (public and featured), `self`
 * (owned inside the caller's visibility), `selfexecutable` (the same, ready), `sharedexecutable`
 * (owned or shared with, ready), `executable` (anything the caller may launch), `community`
 * (public, not featured); plus `all` for root admins.
 */
export const TemplateFilter = z.enum(['featured', 'self', 'selfexecutable', 'sharedexecutable', 'executable', 'community', 'all']);
/** One of the template filters. */
export type TemplateFilter = z.infer<typeof TemplateFilter>;

/** Input of the template and ISO lists. */
export const ListTemplatesInput = VisibilityInput.extend({
  templateFilter: TemplateFilter,
  id: z.string().min(1).optional(),
  name: z.string().min(1).optional(),
  keyword: z.string().min(1).optional(),
  zoneId: z.string().min(1).optional(),
  hypervisor: z.enum(HYPERVISOR_TYPES).optional(),
  /** ISOs: only bootable (or only non-bootable) ones. */
  bootable: z.boolean().optional(),
  /** Only copies that are downloaded (implied by the executable and featured filters). */
  isReady: z.boolean().optional(),
}).extend(PagingInput.shape);
/** Input of the template and ISO lists. */
export type ListTemplatesInput = z.input<typeof ListTemplatesInput>;

/** Input of `templates.update` / `isos.update`: names and flags the owner may change. */
export const UpdateTemplateInput = z.object({
  id: z.string().min(1),
  name: z.string().trim().min(1).max(255).optional(),
  displayText: z.string().trim().min(1).max(4096).optional(),
  osTypeId: z.string().min(1).optional(),
  bootable: z.boolean().optional(),
  passwordEnabled: z.boolean().optional(),
  sshKeyEnabled: z.boolean().optional(),
  format: z.enum(['QCOW2', 'RAW', 'VHD', 'OVA']).optional(),
});
/** Input of `templates.update`. */
export type UpdateTemplateInput = z.input<typeof UpdateTemplateInput>;

/** Input of `templates.delete` / `isos.delete`. */
export const DeleteTemplateInput = z.object({
  id: z.string().min(1),
  /** Only the copy in this zone; every copy (and the template) when absent. */
  zoneId: z.string().min(1).optional(),
});
/** Input of `templates.delete`. */
export type DeleteTemplateInput = z.input<typeof DeleteTemplateInput>;

/** Input of `templates.copy` / `isos.copy`. */
export const CopyTemplateInput = z.object({
  id: z.string().min(1),
  sourceZoneId: z.string().min(1),
  destZoneId: z.string().min(1),
});
/** Input of `templates.copy`. */
export type CopyTemplateInput = z.input<typeof CopyTemplateInput>;
