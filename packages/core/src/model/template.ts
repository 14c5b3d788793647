import { z } from 'zod';
import { HYPERVISOR_TYPES } from '../contracts/hypervisor.js';
import { CHECKSUM_ALGORITHMS, TEMPLATE_FORMATS } from '../contracts/storage.js';
import type { Transitions } from './state-machine.js';

/** The digest an image must match: algorithm and lower-case hex value. */
export const TemplateChecksumSchema = z.object({
  algorithm: z.enum(CHECKSUM_ALGORITHMS),
  value: z.string().regex(/^[0-9a-f]+$/),
});

/**
 * Lifecycle of a template or ISO: `Active` while it can be listed and launched, `Deleting`
 * once a delete has been recorded and its copies are being removed from the stores (the row
 * goes when they are).
 */
export const TemplateState = z.enum(['Active', 'Deleting']);
/** One of the template states. */
export type TemplateState = z.infer<typeof TemplateState>;

/** Allowed moves between template states. */
export const TEMPLATE_TRANSITIONS: Transitions<TemplateState> = {
  Active: ['Deleting'],
  Deleting: [],
};

/** `USER` for registered images; `BUILTIN` for images the cloud ships (system VM templates). */
export const TemplateType = z.enum(['USER', 'BUILTIN']);
/** One of the template types. */
export type TemplateType = z.infer<typeof TemplateType>;

/**
 * A template or an ISO (guide 5, reference §5 `template`). ISOs are the same aggregate with
 * format `ISO`, as in CloudStack 4.1 where both are rows of `vm_template`: they share the
 * per-zone copies, the launch permissions, the `templatefilter` semantics and the
 * `template` resource limit, so one model keeps those rules in one place. An ISO has no
 * hypervisor (`None`) and may be non-bootable; password and SSH-key support are template-only.
 */
export const TemplateSchema = z.object({
  id: z.string(),
  version: z.number().int().positive(),
  name: z.string().min(1).max(255),
  displayText: z.string().min(1).max(4096),
  /** http or https URL the image is downloaded from. */
  url: z.string(),
  format: z.enum(TEMPLATE_FORMATS),
  /** The hypervisor the template runs on; `None` for ISOs. */
  hypervisor: z.enum([...HYPERVISOR_TYPES, 'None']),
  /** Guest OS type (an `osTypes` row). */
  osTypeId: z.string(),
  /** The digest the download must match, when one was registered. */
  checksum: TemplateChecksumSchema.optional(),
  bootable: z.boolean(),
  isPublic: z.boolean(),
  isFeatured: z.boolean(),
  isExtractable: z.boolean(),
  passwordEnabled: z.boolean(),
  sshKeyEnabled: z.boolean(),
  /** One image usable in every zone (4.1's `crossZones`). */
  crossZones: z.boolean(),
  templateType: TemplateType,
  /** The owning account. */
  accountId: z.string(),
  /** The owning account's domain. */
  domainId: z.string(),
  state: TemplateState,
  createdAt: z.string(),
});

/** A template or ISO as stored. */
export type Template = z.infer<typeof TemplateSchema>;

/** True for an ISO (a template row of format `ISO`). */
export function isIso(template: Pick<Template, 'format'>): boolean {
  return template.format === 'ISO';
}
