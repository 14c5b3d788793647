import { inject, injectable } from 'tsyringe';
import type { CallContext } from '../context/call-context.js';
import type { Page, Transaction } from '../contracts/store.js';
import type { Job } from '../model/job.js';
import type { TemplateCopy } from '../model/template-copy.js';
import type { Template } from '../model/template.js';
import { TemplateCatalog } from './template-catalog.js';
import { TemplateFromDisk, type CreateTemplateInput, type TemplateFromDiskResult } from './template-from-disk.js';
import {
  CopyTemplateInput,
  DeleteTemplateInput,
  ListTemplatesInput,
  RegisterTemplateInput,
  UpdateTemplateInput,
} from './template-inputs.js';
import type { TemplateView } from './template-views.js';
import { validate } from './validate.js';

/**
 * Templates (guide 5, `registerTemplate`, `listTemplates`, `updateTemplate`, `deleteTemplate`,
 * `copyTemplate`): registration is synchronous and returns the template while its copies
 * download to each zone's secondary storage as async jobs.
 */
@injectable()
export class TemplateService {
  constructor(
    @inject(TemplateCatalog) private readonly catalog: TemplateCatalog,
    @inject(TemplateFromDisk) private readonly fromDisk: TemplateFromDisk,
  ) {}

  /** Registers a template from an http/https URL and starts its downloads. */
  async register(caller: CallContext, input: RegisterTemplateInput): Promise<TemplateView> {
    const spec = validate(RegisterTemplateInput, input);
    return this.catalog.register(caller, { ...spec, bootable: true });
  }

  /**
   * Creates a private template from a backed-up snapshot or a stopped VM's ROOT volume
   * (`createTemplate`); returns it, not ready yet, with the job writing its image to the zone's
   * secondary storage (the template is ready once that job succeeds).
   */
  async create(caller: CallContext, input: CreateTemplateInput): Promise<TemplateFromDiskResult> {
    return this.fromDisk.create(caller, input);
  }

  /** Templates by `templatefilter` and the shared visibility rule, one row per zone copy. */
  async list(caller: CallContext, input: ListTemplatesInput): Promise<Page<TemplateView>> {
    return this.catalog.list(caller, validate(ListTemplatesInput, input), false);
  }

  /** Changes a template's names, OS type, format or password/SSH-key support. */
  async update(caller: CallContext, input: UpdateTemplateInput): Promise<TemplateView> {
    return this.catalog.update(caller, validate(UpdateTemplateInput, input), false);
  }

  /** Deletes a template (or its copy in one zone); returns the job removing the images. */
  async delete(caller: CallContext, input: DeleteTemplateInput): Promise<Job> {
    return this.catalog.delete(caller, validate(DeleteTemplateInput, input), false);
  }

  /** Copies a template to another zone; returns the copy job and the new copy. */
  async copy(caller: CallContext, input: CopyTemplateInput): Promise<{ readonly job: Job; readonly copy: TemplateCopy }> {
    return this.catalog.copy(caller, validate(CopyTemplateInput, input), false);
  }

  /**
   * Inside a deploying transaction: the template `caller` may launch, with a downloaded copy
   * in `zoneId`; 431 naming `templateid` otherwise.
   */
  requireUsable(tx: Transaction, caller: CallContext, templateId: string, zoneId: string): Promise<Template> {
    return this.catalog.requireUsable(tx, caller, templateId, zoneId);
  }
}
