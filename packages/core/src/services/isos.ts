import { inject, injectable } from 'tsyringe';
import type { CallContext } from '../context/call-context.js';
import type { Page } from '../contracts/store.js';
import type { Job } from '../model/job.js';
import type { TemplateCopy } from '../model/template-copy.js';
import { TemplateCatalog } from './template-catalog.js';
import { CopyTemplateInput, DeleteTemplateInput, ListTemplatesInput, RegisterIsoInput, UpdateTemplateInput } from './template-inputs.js';
import type { TemplateView } from './template-views.js';
import { validate } from './validate.js';

/**
 * ISOs (`registerIso`, `listIsos`, `updateIso`, `deleteIso`, `copyIso`): template rows of format
 * `ISO`, with no hypervisor and no password or SSH-key support, sharing the templates' rules.
 */
@injectable()
export class IsoService {
  constructor(@inject(TemplateCatalog) private readonly catalog: TemplateCatalog) {}

  /** Registers an ISO from an http/https URL and starts its downloads. */
  async register(caller: CallContext, input: RegisterIsoInput): Promise<TemplateView> {
    const spec = validate(RegisterIsoInput, input);
    return this.catalog.register(caller, { ...spec, format: 'ISO', hypervisor: 'None', passwordEnabled: false, sshKeyEnabled: false, crossZones: false });
  }

  /** ISOs by filter (4.1's `isofilter`, same values as `templatefilter`). */
  async list(caller: CallContext, input: ListTemplatesInput): Promise<Page<TemplateView>> {
    return this.catalog.list(caller, validate(ListTemplatesInput, input), true);
  }

  /** Changes an ISO's names, OS type or bootable flag. */
  async update(caller: CallContext, input: UpdateTemplateInput): Promise<TemplateView> {
    return this.catalog.update(caller, validate(UpdateTemplateInput, input), true);
  }

  /** Deletes an ISO (or its copy in one zone); returns the job removing the images. */
  async delete(caller: CallContext, input: DeleteTemplateInput): Promise<Job> {
    return this.catalog.delete(caller, validate(DeleteTemplateInput, input), true);
  }

  /** Copies an ISO to another zone. */
  async copy(caller: CallContext, input: CopyTemplateInput): Promise<{ readonly job: Job; readonly copy: TemplateCopy }> {
    return this.catalog.copy(caller, validate(CopyTemplateInput, input), true);
  }
}
