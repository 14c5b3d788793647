import { inject, injectable } from 'tsyringe';
import { ConfigReader } from '../config/config-reader.js';
import { isAdmin, isRootAdmin, type CallContext } from '../context/call-context.js';
import { isoNow, type Clock } from '../contracts/clock.js';
import type { RandomSource } from '../contracts/random.js';
import type { Page, Store, Transaction } from '../contracts/store.js';
import { invalidParameter, notAllowed, notFound, permissionDenied, resourceUnavailable } from '../errors.js';
import type { Job } from '../model/job.js';
import { assertTransition } from '../model/state-machine.js';
import type { TemplateCopy } from '../model/template-copy.js';
import { TEMPLATE_TRANSITIONS, type Template } from '../model/template.js';
import { TOKENS } from '../tokens.js';
import { EventRecorder } from './event-recorder.js';
import { zoneOrFail } from './infrastructure-lookups.js';
import { pageWindow } from './paging.js';
import { ResourceLimitService } from './resource-limits.js';
import { entityOf, launchableTemplate, mayFeature, modifiableTemplate } from './template-access.js';
import { TemplateDownloads } from './template-downloads.js';
import type { CopyTemplateInput, DeleteTemplateInput, ListTemplatesInput, RegistrationSpec, UpdateTemplateInput } from './template-inputs.js';
import { zoneStores } from './template-stores.js';
import { checkDownloadUrl } from './template-url.js';
import { templateRows, type TemplateView } from './template-views.js';
import { Visibility } from './visibility.js';
import type { z } from 'zod';

/**
 * The rules templates and ISOs share (one aggregate, format `ISO` for ISOs): registration
 * with its URL, limit and permission checks, the `templatefilter` list, update, delete and
 * copy. {@link TemplateService} and {@link IsoService} are its caller-facing faces.
 */
@injectable()
export class TemplateCatalog {
  constructor(
    @inject(TOKENS.Store) private readonly store: Store,
    @inject(TOKENS.Clock) private readonly clock: Clock,
    @inject(TOKENS.Random) private readonly random: RandomSource,
    @inject(ConfigReader) private readonly config: ConfigReader,
    @inject(EventRecorder) private readonly events: EventRecorder,
    @inject(Visibility) private readonly visibility: Visibility,
    @inject(ResourceLimitService) private readonly limits: ResourceLimitService,
    @inject(TemplateDownloads) private readonly downloads: TemplateDownloads,
  ) {}

  /**
   * Registers a template or ISO: checks the URL, OS type, zone and flags, reserves one of the
   * owner's `template` limit, records the row and a copy per zone store, and submits the
   * download jobs — all in one transaction, so a refusal leaves nothing behind.
   */
  async register(caller: CallContext, spec: RegistrationSpec): Promise<TemplateView> {
    const iso = spec.format === 'ISO';
    const entity = iso ? 'ISO' : 'template';
    if (spec.isFeatured && !mayFeature(caller)) throw permissionDenied(`Only a root or domain admin may register a featured ${entity}`, 'isfeatured');
    return this.store.transaction(async (tx) => {
      if (spec.isPublic && !isAdmin(caller) && !(await this.config.flag('allow.public.user.templates', {}, tx))) {
        throw invalidParameter('ispublic', `only private ${entity}s can be created (allow.public.user.templates is false)`);
      }
      const allowed = (await this.config.get('secstorage.allowed.internal.sites', {}, tx)) ?? [];
      checkDownloadUrl(spec.url, Array.isArray(allowed) ? allowed : String(allowed).split(','));
      const owner = await this.visibility.targetAccount(tx, caller, { ...(spec.account === undefined ? {} : { account: spec.account }), ...(spec.domainId === undefined ? {} : { domainId: spec.domainId }) });
      if ((await tx.repo('osTypes').get(spec.osTypeId)) === undefined) throw notFound('OS type', 'ostypeid', spec.osTypeId);
      const zoneIds = spec.zoneId === undefined || spec.zoneId === '-1'
        ? (await tx.repo('zones').find()).items.map((z) => z.id)
        : [(await zoneOrFail(tx, spec.zoneId)).id];
      const stores = (await Promise.all(zoneIds.map((id) => zoneStores(tx, id)))).flat();
      if (stores.length === 0) throw resourceUnavailable(`No secondary storage is up in ${spec.zoneId === undefined || spec.zoneId === '-1' ? 'any zone' : `zone ${spec.zoneId}`} to download the ${entity} to`, { param: 'zoneid' });
      await this.limits.reserve(tx, owner.id, 'template');
      const template = await tx.repo('templates').insert({
        id: this.random.uuid(),
        name: spec.name,
        displayText: spec.displayText,
        url: spec.url,
        format: spec.format,
        hypervisor: spec.hypervisor,
        osTypeId: spec.osTypeId,
        ...(spec.checksum === undefined ? {} : { checksum: spec.checksum }),
        bootable: spec.bootable,
        isPublic: spec.isPublic,
        isFeatured: spec.isFeatured,
        isExtractable: spec.isExtractable,
        passwordEnabled: spec.passwordEnabled,
        sshKeyEnabled: spec.sshKeyEnabled,
        crossZones: spec.crossZones,
        templateType: 'USER',
        accountId: owner.id,
        domainId: owner.domainId,
        state: 'Active',
        createdAt: isoNow(this.clock),
      });
      const copies = await this.downloads.startDownloads(tx, caller, template, stores);
      await this.events.record(tx, caller, {
        type: iso ? 'ISO.CREATE' : 'TEMPLATE.CREATE',
        state: 'Scheduled',
        description: `Registered ${entity} ${template.name}; downloading to ${copies.length} store(s)`,
        resourceType: iso ? 'Iso' : 'Template',
        resourceId: template.id,
        accountId: owner.id,
        domainId: owner.domainId,
      });
      return (await templateRows(tx, [template], copies, { onlyReady: false }))[0] as TemplateView;
    });
  }

  /** One row per template and zone copy that the filter and the caller's visibility select. */
  async list(caller: CallContext, query: z.output<typeof ListTemplatesInput>, iso: boolean): Promise<Page<TemplateView>> {
    return this.store.transaction(async (tx) => {
      if (query.templateFilter === 'all' && !isRootAdmin(caller)) throw permissionDenied('Only a root admin may list with templatefilter=all', 'templatefilter');
      const scope = await this.visibility.scope(tx, caller, query);
      const inScope = (t: Template) =>
        (scope.accountIds === undefined || scope.accountIds.includes(t.accountId)) && (scope.domainIds === undefined || scope.domainIds.includes(t.domainId));
      const candidates = (await tx.repo('templates').find({ where: { state: 'Active', format: iso ? 'ISO' : { ne: 'ISO' }, ...(query.id === undefined ? {} : { id: query.id }) } })).items;
      const sharedIds = new Set<string>();
      if (query.templateFilter === 'sharedexecutable' || query.templateFilter === 'executable') {
        for (const t of candidates) {
          const grants = (await tx.repo('templatePermissions').find({ where: { templateId: t.id } })).items;
          if (grants.some((g) => (scope.accountIds === undefined || scope.accountIds.includes(g.accountId)) && (scope.domainIds === undefined || scope.domainIds.includes(g.domainId)))) sharedIds.add(t.id);
        }
      }
      const selected = candidates.filter((t) => {
        switch (query.templateFilter) {
          case 'featured':
            return t.isPublic && t.isFeatured;
          case 'community':
            return t.isPublic && !t.isFeatured;
          case 'self':
          case 'selfexecutable':
            return inScope(t);
          case 'sharedexecutable':
            return inScope(t) || sharedIds.has(t.id);
          case 'executable':
            return t.isPublic || inScope(t) || sharedIds.has(t.id);
          case 'all':
            return true;
        }
      }).filter((t) =>
        (query.name === undefined || t.name === query.name) &&
        (query.keyword === undefined || `${t.name}\n${t.displayText}`.toLowerCase().includes(query.keyword.toLowerCase())) &&
        (query.hypervisor === undefined || t.hypervisor === query.hypervisor) &&
        (query.bootable === undefined || t.bootable === query.bootable),
      );
      // 4.1 lists only downloaded copies for these filters (and `executable` when an admin names an account).
      const onlyReady = query.isReady === true || ['featured', 'selfexecutable', 'sharedexecutable', 'community'].includes(query.templateFilter) || (query.templateFilter === 'executable' && query.account !== undefined);
      const copies: TemplateCopy[] = [];
      for (const t of selected) copies.push(...(await tx.repo('templateCopies').find({ where: { templateId: t.id } })).items);
      const rows = await templateRows(tx, selected, copies, { onlyReady, ...(query.zoneId === undefined ? {} : { zoneId: query.zoneId }) });
      const window = pageWindow(query, await this.config.number('default.page.size', {}, tx));
      return { items: rows.slice(window.offset, window.limit === undefined ? undefined : window.offset + window.limit), total: rows.length };
    });
  }

  /** Changes names and attributes (owner or an admin above it). */
  async update(caller: CallContext, change: z.output<typeof UpdateTemplateInput>, iso: boolean): Promise<TemplateView> {
    return this.store.transaction(async (tx) => {
      const current = await modifiableTemplate(tx, this.visibility, caller, change.id, iso, 'update it');
      if (change.osTypeId !== undefined && (await tx.repo('osTypes').get(change.osTypeId)) === undefined) throw notFound('OS type', 'ostypeid', change.osTypeId);
      if (iso && (change.passwordEnabled !== undefined || change.sshKeyEnabled !== undefined || change.format !== undefined)) {
        throw invalidParameter(change.format !== undefined ? 'format' : change.passwordEnabled !== undefined ? 'passwordenabled' : 'sshkeyenabled', 'does not apply to an ISO');
      }
      const updated = await tx.repo('templates').update({
        ...current,
        ...(change.name === undefined ? {} : { name: change.name }),
        ...(change.displayText === undefined ? {} : { displayText: change.displayText }),
        ...(change.osTypeId === undefined ? {} : { osTypeId: change.osTypeId }),
        ...(change.bootable === undefined ? {} : { bootable: change.bootable }),
        ...(change.passwordEnabled === undefined ? {} : { passwordEnabled: change.passwordEnabled }),
        ...(change.sshKeyEnabled === undefined ? {} : { sshKeyEnabled: change.sshKeyEnabled }),
        ...(change.format === undefined ? {} : { format: change.format }),
      });
      await this.events.record(tx, caller, { type: iso ? 'ISO.UPDATE' : 'TEMPLATE.UPDATE', description: `Updated ${entityOf(updated)} ${updated.name}`, resourceType: iso ? 'Iso' : 'Template', resourceId: updated.id, accountId: updated.accountId, domainId: updated.domainId });
      const copies = (await tx.repo('templateCopies').find({ where: { templateId: updated.id } })).items;
      return (await templateRows(tx, [updated], copies.slice(0, 1), { onlyReady: false }))[0] as TemplateView;
    });
  }

  /**
   * Deletes a template or ISO (owner or an admin above it), or only its copy in one zone. As in
   * 4.1, VMs deployed from it do not block this: their disks live on primary storage. The row
   * turns `Deleting` and the owner's `template` count is released in one transaction; the job
   * returned removes the images from the stores and then the rows.
   */
  async delete(caller: CallContext, input: z.output<typeof DeleteTemplateInput>, iso: boolean): Promise<Job> {
    return this.store.transaction(async (tx) => {
      const template = await modifiableTemplate(tx, this.visibility, caller, input.id, iso, 'delete it');
      const all = (await tx.repo('templateCopies').find({ where: { templateId: template.id } })).items;
      let copies = all;
      if (input.zoneId !== undefined) {
        await zoneOrFail(tx, input.zoneId);
        copies = all.filter((c) => c.zoneId === input.zoneId);
        if (copies.length === 0) throw invalidParameter('zoneid', `${entityOf(template)} ${template.name} has no copy in zone ${input.zoneId}`);
      }
      const whole = copies.length === all.length;
      if (whole) {
        assertTransition(TEMPLATE_TRANSITIONS, entityOf(template), template.state, 'Deleting');
        await tx.repo('templates').update({ ...template, state: 'Deleting' });
        await this.limits.release(tx, template.accountId, 'template');
        for (const grant of (await tx.repo('templatePermissions').find({ where: { templateId: template.id } })).items) await tx.repo('templatePermissions').delete(grant.id);
      }
      await this.events.record(tx, caller, {
        type: iso ? 'ISO.DELETE' : 'TEMPLATE.DELETE',
        description: whole ? `Deleted ${entityOf(template)} ${template.name}` : `Deleted ${entityOf(template)} ${template.name} from zone ${input.zoneId}`,
        resourceType: iso ? 'Iso' : 'Template',
        resourceId: template.id,
        accountId: template.accountId,
        domainId: template.domainId,
      });
      return this.downloads.startRemoval(tx, caller, template, copies, whole);
    });
  }

  /** Copies a template's image from one zone's store to another zone's (owner or an admin above it). */
  async copy(caller: CallContext, input: z.output<typeof CopyTemplateInput>, iso: boolean): Promise<{ readonly job: Job; readonly copy: TemplateCopy }> {
    return this.store.transaction(async (tx) => {
      const template = await modifiableTemplate(tx, this.visibility, caller, input.id, iso, 'copy it');
      if (template.crossZones) throw invalidParameter('id', `${entityOf(template)} ${template.name} is cross-zone: every zone uses it already`);
      if (input.sourceZoneId === input.destZoneId) throw invalidParameter('destzoneid', 'must differ from sourcezoneid');
      await zoneOrFail(tx, input.sourceZoneId, 'sourcezoneid');
      await zoneOrFail(tx, input.destZoneId, 'destzoneid');
      const source = (await tx.repo('templateCopies').find({ where: { templateId: template.id, zoneId: input.sourceZoneId, state: 'DOWNLOADED' } })).items[0];
      if (source === undefined) throw invalidParameter('sourcezoneid', `${entityOf(template)} ${template.name} is not downloaded in zone ${input.sourceZoneId}`);
      const existing = (await tx.repo('templateCopies').find({ where: { templateId: template.id, zoneId: input.destZoneId } })).items;
      if (existing.some((c) => c.state !== 'DOWNLOAD_ERROR')) throw invalidParameter('destzoneid', `${entityOf(template)} ${template.name} is already in zone ${input.destZoneId}`);
      const target = (await zoneStores(tx, input.destZoneId))[0];
      if (target === undefined) throw resourceUnavailable(`No secondary storage is up in zone ${input.destZoneId}`, { param: 'destzoneid' });
      const sourceStore = await tx.repo('imageStores').get(source.imageStoreId);
      if (sourceStore === undefined) throw resourceUnavailable(`The secondary storage holding ${template.name} in zone ${input.sourceZoneId} is gone`, { param: 'sourcezoneid' });
      for (const failed of existing) await tx.repo('templateCopies').delete(failed.id);
      const copy = await this.downloads.startCopy(tx, caller, template, source, sourceStore, target);
      await this.events.record(tx, caller, { type: iso ? 'ISO.COPY' : 'TEMPLATE.COPY', state: 'Scheduled', description: `Copying ${entityOf(template)} ${template.name} to zone ${input.destZoneId}`, resourceType: iso ? 'Iso' : 'Template', resourceId: template.id, accountId: template.accountId, domainId: template.domainId });
      const job = await tx.repo('jobs').get(copy.jobId ?? '');
      if (job === undefined) throw notAllowed('the copy job was not recorded');
      return { job, copy };
    });
  }

  /**
   * For deployments (the VM issue): an active, non-ISO template `caller` may launch with a
   * `DOWNLOADED` copy in `zoneId`; 431 naming `param` otherwise.
   */
  async requireUsable(tx: Transaction, caller: CallContext, templateId: string, zoneId: string, param = 'templateid'): Promise<Template> {
    const template = await launchableTemplate(tx, this.visibility, caller, templateId, false, param);
    const ready = template.crossZones
      ? await tx.repo('templateCopies').findOne({ templateId, state: 'DOWNLOADED' })
      : await tx.repo('templateCopies').findOne({ templateId, zoneId, state: 'DOWNLOADED' });
    if (ready === undefined) throw invalidParameter(param, `template ${template.name} is not ready in zone ${zoneId}: its download has not completed`);
    return template;
  }
}
